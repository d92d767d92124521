"""Every answer the API gives with the demo's records is what its published schema says: each
list, and each record of each list, read as a client generated from /api/schema/ reads it
(a value the schema calls a string that comes back null breaks such a client). Walks the
schema's own paths, so a new endpoint is checked without being listed."""

import re

import pytest
from django.test import Client
from jsonschema import Draft202012Validator

pytestmark = pytest.mark.usefixtures("demo_for_the_module")


def _json_schema(node):
    """OpenAPI 3.0's schema as JSON Schema: `nullable: true` is JSON Schema's null type."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


@pytest.fixture(scope="module")
def schema(demo_for_the_module):
    return Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def _check(schema, path, url, client) -> list[str]:
    response = client.get(url)
    answers = schema["paths"][path]["get"]["responses"]
    expected = answers.get(str(response.status_code), {}).get("content", {}).get("application/json")
    if expected is None:
        return [f"{url}: {response.status_code}, an answer the schema does not list"]
    validator = Draft202012Validator(
        {**_json_schema(expected["schema"]), "components": _json_schema(schema["components"])}
    )
    return [
        f"{url}: {'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(response.json())
    ]


def test_every_list_and_record_is_what_the_schema_says(schema):
    client = Client()
    problems, records = [], 0
    for path, operations in schema["paths"].items():
        if "get" not in operations or path == "/api/schema/":
            continue
        if "{" not in path:
            problems += _check(schema, path, path, client)
            continue
        # A record: each one the list above it shows (the list's first page).
        listing = client.get(re.sub(r"\{[^}]+\}/$", "", path)).json()
        key = re.search(r"\{([^}]+)\}", path)[1]
        for row in listing.get("results", []):
            value = row.get(key, row.get("slug", row.get("id")))
            problems += _check(schema, path, re.sub(r"\{[^}]+\}", str(value), path), client)
            records += 1
    assert problems == []
    assert records > 20  # the walk reached records, not only lists


def test_every_paged_list_says_its_pages_start_at_1(schema):
    # The API refuses ?page=0 (a 400 naming the parameter): a client generated from the
    # schema must know not to send it.
    pages = [
        parameter["schema"]
        for operations in schema["paths"].values()
        for parameter in operations.get("get", {}).get("parameters", [])
        if parameter["name"] == "page"
    ]
    assert len(pages) >= 10
    assert all(page == {"type": "integer", "minimum": 1} for page in pages), pages


def _but_links(answer: dict) -> dict:
    # The links to the next and previous pages repeat the query as sent.
    return {name: value for name, value in answer.items() if name not in ("next", "previous")}


def test_every_parameter_sent_empty_is_as_if_not_sent_as_the_schema_says(schema):
    """The API's one rule for a parameter sent with no value (a form sends every field,
    filled in or not): as if it were not sent. Each parameter of the schema says so
    (`allowEmptyValue`, and in words), and each list answers so: walks every query parameter
    of every path the schema lists, so a new filter is checked without being listed."""
    client = Client()
    problems, asked = [], 0
    for path, operations in schema["paths"].items():
        if "get" not in operations or path == "/api/schema/":
            continue
        parameters = [parameter for parameter in operations["get"].get("parameters", []) if parameter["in"] == "query"]
        assert "{" not in path or not parameters, f"{path}: a record's parameters (the walk asks lists only)"
        if not parameters:
            continue
        plain = client.get(path)
        assert plain.status_code == 200, path
        for parameter in parameters:
            name = parameter["name"]
            if not parameter.get("allowEmptyValue") or f"`?{name}=`" not in parameter.get("description", ""):
                problems.append(f"{path}: the schema does not say what ?{name}= does")
            empty = client.get(path, {name: ""})
            if empty.status_code != 200 or _but_links(empty.json()) != _but_links(plain.json()):
                problems.append(f"{path}?{name}=: {empty.status_code}, not the list as if {name} were not sent")
            asked += 1
    assert problems == []
    # Every list's filters, `modified_since`, the withdrawals' `since` and `page` among them.
    assert asked >= 40

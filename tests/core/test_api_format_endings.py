"""An API address answers only as what it names: one ending in a format the API does not
serve (/api/meetings/2.00001/, /api/meetings.xyz) is "not found", never the record or list
before the dot. `.json` is the one format an address may name (core/api_router.py). Walks the
router's own routes and every other address under /api/, so a new endpoint is asked without
being listed."""

import operator

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from config.urls import router

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_for_the_module", "a_declaration")]

# Endings a client could put to an address: a number (as a typo or a version would), a word,
# DRF's other formats (`api`: the browsable page), other formats, JSON in capitals.
ENDINGS = ["00001", "2", "xyz", "api", "html", "yaml", "openapi", "csv", "JSON", "json5"]


@pytest.fixture(scope="module")
def a_declaration(demo_for_the_module):
    """An interest declared at a meeting: the one kind of record the demo has none of."""
    from committee.models import Access, AgendaItem, Member
    from interests.models import Declaration

    item = AgendaItem.objects.filter(access=Access.PUBLIC, meeting__agenda_published_at__isnull=False).first()
    Declaration.objects.create(
        agenda_item=item, member=Member.objects.first(), kind="non_registrable", nature="A friend"
    )


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _router_addresses() -> dict[str, dict]:
    """Each route of the router without an ending (its root, each list, each record, with a
    record of the demo), as its address and the arguments that name it."""
    addresses = {}
    for pattern in router.urls:
        kwargs = dict.fromkeys(pattern.pattern.regex.groupindex)
        if "format" in kwargs:
            continue  # the same route with an ending
        if kwargs:
            viewset = pattern.callback.cls
            record = viewset().get_queryset().first()
            assert record is not None, f"{pattern.name}: no record in the demo to ask for"
            key = operator.attrgetter(viewset.lookup_field.replace("__", "."))(record)
            kwargs = {viewset.lookup_url_kwarg or viewset.lookup_field: key}
        addresses[reverse(f"api:{pattern.name}", kwargs=kwargs)] = {"name": f"api:{pattern.name}", "kwargs": kwargs}
    return addresses


def _other_addresses() -> list[str]:
    """The addresses under /api/ that are not the router's (the schema, its documentation)."""
    return [
        "/" + str(pattern.pattern)
        for pattern in get_resolver().url_patterns
        if isinstance(pattern, URLPattern) and str(pattern.pattern).startswith("api/")
    ]


def _ended(address: str, ending: str) -> list[str]:
    """The ways an ending can be put to an address: /api/meetings/2.x/, /api/meetings/2.x and
    /api/meetings/2/.x (the router's root takes the last)."""
    stem = address.removesuffix("/")
    return [f"{stem}.{ending}/", f"{stem}.{ending}", f"{address}.{ending}"]


def test_the_walk_asks_every_route_of_the_api():
    routes = _router_addresses()
    assert len(routes) == sum("format" not in p.pattern.regex.groupindex for p in router.urls)
    assert {"/api/", "/api/meetings/", "/api/withdrawals/"} <= routes.keys()
    assert sum(address.count("/") == 4 for address in routes) == len(router.registry) - 1  # a record of each
    assert {"/api/schema/", "/api/docs/"} <= set(_other_addresses())


def test_an_address_ending_in_a_format_the_api_does_not_serve_is_not_found():
    client = Client()
    addresses = [*_router_addresses(), *_other_addresses()]
    for address in addresses:
        assert client.get(address).status_code == 200, address  # what the endings are put to
    endings = {address: ENDINGS + (["json"] if address in _other_addresses() else []) for address in addresses}
    answers = {
        url: client.get(url, HTTP_ACCEPT="application/json").status_code
        for address in addresses
        for ending in endings[address]
        for url in _ended(address, ending)
    }
    assert [f"{url}: {status}" for url, status in answers.items() if status != 404] == []


def test_json_is_the_one_format_an_address_names():
    client = Client()
    for address, route in _router_addresses().items():
        json = reverse(route["name"], kwargs={**route["kwargs"], "format": "json"})
        answer = client.get(json, HTTP_ACCEPT=BROWSER)  # a browser, which gets the HTML page without it
        assert answer.status_code == 200 and answer["Content-Type"] == "application/json", json
        assert answer.json().keys() == client.get(address, HTTP_ACCEPT="application/json").json().keys(), json

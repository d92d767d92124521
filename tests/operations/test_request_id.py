"""The request id a proxy sends in X-Request-ID is kept when it is 8-64 letters, digits, `.`,
`_` or `-`; anything else, or none, is replaced by one Quorum makes (docs/operations.md, "The
proxy"), so that nothing a browser sends is written into the log as an id."""

import logging
import re

import pytest

pytestmark = pytest.mark.django_db
AN_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


@pytest.mark.parametrize("sent", ["nginx-4f1c2a9e", "a.b_c-d1", "x" * 64])
def test_the_proxy_s_id_is_kept(client, sent):
    assert client.get("/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent


@pytest.mark.parametrize("sent", [None, "", "short", "x" * 65, "id with spaces", "id<script>", "évènement-1"])
def test_anything_else_is_replaced_by_an_id_of_quorum_s(client, sent):
    headers = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}
    made = client.get("/", **headers)["X-Request-ID"]
    assert made != sent and AN_ID.match(made)
    assert client.get("/", **headers)["X-Request-ID"] != made, "one for each request"


def test_one_line_a_request_says_what_was_answered_and_never_what_was_asked(client, caplog):
    """docs/operations.md, Logs: method, view name, status and milliseconds; never the query
    string (a resident's search may name a person)."""
    caplog.set_level(logging.INFO, logger="quorum.request")
    client.get("/search/", {"q": "Mrs Jennifer Example"})
    [line] = [r for r in caplog.records if r.name == "quorum.request"]
    assert (line.method, line.view, line.status) == ("GET", "committee:search", 200)
    assert isinstance(line.duration_ms, float)
    assert "Jennifer" not in repr(vars(line)) and "Jennifer" not in line.getMessage()

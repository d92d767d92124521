"""Every address the site answers, with what a person or a crawler could put in its variable
parts (an id out of range, a word where a number goes, an over-long or odd name), asked by
the public and by an officer: a page, a redirect, "not found" or "not allowed", never an
error page. Walks the URL configuration itself, so a new page is asked without being listed."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter

pytestmark = pytest.mark.usefixtures("demo_for_the_module")

# What each kind of variable part is asked with: what its converter lets through.
ODD_PARTS = {
    IntConverter: ["1", "0", "99999999999999999999"],  # 1: a record of the demo, mostly
    SlugConverter: ["no-such-thing", "x" * 300],
    StringConverter: ["no such thing", "%00", "x" * 300],
    PathConverter: ["no/such/thing", "%00"],
    UUIDConverter: ["00000000-0000-0000-0000-000000000000"],
}
# Addresses written as regular expressions (ModernGov's old ones): a few of each shape.
REGEX_SAMPLES = {
    r"(?P<page>": ["mgMeetingAttendance.aspx", "ieListDocuments.aspx", "mgNoSuchPage.aspx"],
    r"documents/": ["documents/s99999999999999/Printed minutes.pdf", "documents/g0/x"],
}
# Django's own pages for a static file and the like, which a person never types.
LEFT_OUT = re.compile(r"^(static|media)/")


def _routes(patterns, prefix=""):
    """Each address pattern as its route text, with what its converters are."""
    for pattern in patterns:
        route = str(pattern.pattern)
        converters = getattr(pattern.pattern, "converters", {})
        if isinstance(pattern, URLResolver):
            inner_prefix = prefix + route
            yield from ((text, {**converters, **inner}) for text, inner in _routes(pattern.url_patterns, inner_prefix))
        elif isinstance(pattern, URLPattern):
            yield prefix + route, converters


def _addresses() -> list[str]:
    addresses = set()
    for route, converters in _routes(get_resolver().url_patterns):
        route = route.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
        if LEFT_OUT.match(route):
            continue
        samples = [route]
        for name, converter in converters.items():
            part = re.compile(rf"<(?:\w+:)?{re.escape(name)}>")
            samples = [part.sub(value, s) for s in samples for value in ODD_PARTS.get(type(converter), ["1"])]
        for sample in samples:
            if "(?P<" in sample or "[" in sample:
                for start, shaped in REGEX_SAMPLES.items():
                    if start in route:
                        addresses.update("/" + s for s in shaped)
                continue
            addresses.add("/" + sample)
    return sorted(addresses)


ADDRESSES = _addresses()


def test_the_walk_asks_the_sites_pages():
    # A check on the walk itself: the public pages and the admin's are among what it asks.
    assert "/search/" in ADDRESSES
    assert any(address.startswith("/admin/committee/meeting/") for address in ADDRESSES)
    assert any(address.startswith("/api/") for address in ADDRESSES)
    assert len(ADDRESSES) > 300


@pytest.mark.parametrize("who", ["the public", "an officer"])
def test_no_address_answers_with_an_error_page(who, django_user_model):
    client = Client(raise_request_exception=False)
    if who == "an officer":
        client.force_login(django_user_model.objects.create_superuser("every-address"))
    answers = {address: client.get(address).status_code for address in ADDRESSES}
    assert [f"{address}: {status}" for address, status in answers.items() if status >= 500] == []
    # The walk reaches pages, not only "not found" (the demo's records, the lists).
    assert sum(status == 200 for status in answers.values()) > (30 if who == "the public" else 150)


# What a list's address carries (the admin's search, order and page, a paginated page's
# number) with what cannot be read, and a name no page reads.
ODD_QUERIES = [{"q": "\x00", "o": "x", "p": "abc"}, {"page": "abc", "next": "abc", "no_such_filter": "1"}]


@pytest.mark.parametrize("who", ["the public", "an officer"])
def test_no_page_answers_odd_query_values_with_an_error_page(who, django_user_model):
    client = Client(raise_request_exception=False)
    if who == "an officer":
        client.force_login(django_user_model.objects.create_superuser("every-address"))
    pages = [address for address in ADDRESSES if client.get(address).status_code == 200]
    errors = [
        f"{address}?{query}: {status}"
        for address in pages
        for query in ODD_QUERIES
        if (status := client.get(address, query).status_code) >= 500
    ]
    assert errors == []

"""Every address the site answers, with what a person or a crawler could put in its variable
parts (an id out of range, a word where a number goes, an over-long or odd name), asked by
the public and by an officer: a page, a redirect, "not found" or "not allowed", never an
error page. Walks the URL configuration itself, so a new page is asked without being listed."""

import html
import re
from urllib.parse import unquote

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
# Addresses written as regular expressions (the API's router, ModernGov's web service and old
# addresses): each named part is asked with what ODD_PARTS has that its expression lets
# through, and with these, which only such parts take.
REGEX_PARTS = {
    "page": ["mgCalendarMonthView", "mgMeetingAttendance", "ieListDocuments", "mgNoSuchPage"],  # an old .aspx page
    "name": ["GetCommittees", "GetMeeting", "GetEverything"],  # a web service method
    "prefix": ["s", "g"],  # an old document's kind
    "format": ["json", "api", "xyz"],  # the API's format suffix
}
GROUP = re.compile(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)")
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


def _from_regex(route: str) -> list[str]:
    """Addresses a route written as a regular expression answers, one for each value its
    named parts are asked with (at most four of each)."""
    # Its anchors (at the start of each included part, and the end) and optional slashes go.
    samples = [re.sub(r"(^|/)\^", r"\1", route).removesuffix("$").removesuffix("\\Z").replace("/?", "")]
    for name, expression in GROUP.findall(samples[0]):
        candidates = REGEX_PARTS.get(name, []) + [value for values in ODD_PARTS.values() for value in values]
        fitting = [value for value in candidates if re.fullmatch(expression, unquote(value))][:4]
        group = f"(?P<{name}>{expression})"
        samples = [sample.replace(group, value) for sample in samples for value in fitting]
    # What is left of the expression: a letter in either case ([mM]), a choice ((?:aspx|ASPX)),
    # an escaped dot.
    samples = [re.sub(r"\(\?:(\w+)\|[^)]*\)", r"\1", re.sub(r"\[(\w)\w\]", r"\1", s)) for s in samples]
    # A part with no name (django-simple-history's "([^/]+)") is a record's id.
    return [re.sub(r"\((?!\?)[^()]*\)", "1", sample).replace("\\", "") for sample in samples]


def _addresses() -> list[str]:
    addresses = set()
    for route, converters in _routes(get_resolver().url_patterns):
        if LEFT_OUT.match(route):
            continue
        if "^" in route or "(?P<" in route or "[" in route:
            addresses.update("/" + sample for sample in _from_regex(route))
            continue
        samples = [route]
        for name, converter in converters.items():
            part = re.compile(rf"<(?:\w+:)?{re.escape(name)}>")
            samples = [part.sub(value, s) for s in samples for value in ODD_PARTS.get(type(converter), ["1"])]
        addresses.update("/" + sample for sample in samples)
    return sorted(addresses)


ADDRESSES = _addresses()


def test_the_walk_asks_the_sites_pages():
    # A check on the walk itself: the public pages and the admin's are among what it asks.
    assert "/search/" in ADDRESSES
    assert any(address.startswith("/admin/committee/meeting/") for address in ADDRESSES)
    asked = set(ADDRESSES)
    assert {"/api/meetings/", "/api/meetings/1/", "/api/meetings.json", "/mgWebService.asmx/GetMeeting"} <= asked
    assert "/documents/s1/1" in ADDRESSES and "/mgMeetingAttendance.aspx" in ADDRESSES
    assert not any("^" in address or "(?" in address for address in ADDRESSES)
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

# The names a page's query might read (a page, a search, an order, dates, a format, filters)
# and one no page reads; each odd value is given to all of them at once, and to the page
# number alone (an API list refuses a bad filter before it reads the page). Values as a
# browser or client sends them, percent-encoded: a NUL, a lone surrogate, a byte that is not
# UTF-8, dates that do not exist or lie past the calendar's ends.
QUERY_NAMES = [
    "page", "p", "q", "o", "sort", "order", "ordering", "year", "month", "date", "date_from", "date_to",
    "since", "modified_since", "format", "committee", "meeting", "member", "kind", "status", "view", "next",
    "ID", "MId", "CId", "UID", "M", "DD",  # ModernGov's, on its old addresses
    "no_such_filter",
]  # fmt: skip
ODD_QUERY_VALUES = [
    "0", "-1", "abc", "99999999999999999999", "%00", "%ED%A0%80", "%FF", "31%2F02%2F2026", "0000-00-00",
    "9999-12-31", "10000-01-01", "%20",
]  # fmt: skip
ODD_QUERY_STRINGS = [
    *("&".join(f"{name}={value}" for name in QUERY_NAMES) for value in ODD_QUERY_VALUES),
    *(f"page={value}" for value in ("0", "abc", "%00", "%ED%A0%80", "%FF")),
    "page=1&page=2&q=a&q=b",  # a name given twice
    "%FF=1&%00=%00&=&&",  # names that cannot be read, and none at all
    "q=" + "x" * 100_000,  # a very long value
    "page=" + "9" * 100_000,
]


def _part_ii_texts() -> list[str]:
    """A phrase from each text of the demo's Part II (and confidential) items that only those
    who may read the item see: its report's sections, its reasons. Its title is public."""
    from django.utils.html import strip_tags

    from committee.models import Access, AgendaItem, Report

    texts = []
    for item in AgendaItem.objects.exclude(access=Access.PUBLIC).select_related("report"):
        texts.append(item.public_interest_reasons)
        report = getattr(item, "report", None)
        if report is not None:
            texts += [getattr(report, name) for name, _ in Report.SECTIONS] + [report.reason_for_part_ii]
    phrases = [" ".join(strip_tags(text).split())[:60] for text in texts]
    return [phrase for phrase in phrases if len(phrase) >= 30]


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return ""  # a file (a paper's PDF): its own gate tests read it
    # As read: an apostrophe written &#x27; in HTML is an apostrophe.
    return html.unescape(response.content.decode("utf-8", "replace"))


def test_no_page_an_officer_reads_answers_odd_query_values_with_an_error_page(django_user_model):
    # The public's pages are asked with more below.
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_superuser("every-address"))
    pages = [address for address in ADDRESSES if client.get(address).status_code == 200]
    errors = [
        f"{address}?{query}: {status}"
        for address in pages
        for query in ODD_QUERIES
        if (status := client.get(address, query).status_code) >= 500
    ]
    assert errors == []


def _public_pages() -> list[str]:
    """One address the public reaches (a page, or a redirect: ModernGov's old addresses, a
    page that asks for a sign-in) of each address pattern: the odd queries and methods ask
    each view, not each record of it."""
    from django.urls import resolve

    client, pages = Client(raise_request_exception=False), {}
    for address in ADDRESSES:
        if not address.startswith("/admin/") and client.get(address).status_code < 400:
            pages.setdefault(resolve(address).route, address)
    return list(pages.values())


def test_no_public_page_answers_odd_queries_with_an_error_page_or_part_ii():
    """As a person or a client of the API can send them, to every page the public reads:
    the page (the odd value ignored, or shown as wrong), a 400 or a 404, never an error
    page, and never a word of Part II, whatever the query."""
    client = Client(raise_request_exception=False)
    private = _part_ii_texts()
    assert len(private) >= 3  # the demo's Part II report is read
    pages = _public_pages()
    errors, leaks = [], []
    for address in pages:
        for query in ODD_QUERY_STRINGS:
            response = client.get(f"{address}?{query}")
            if response.status_code >= 500:
                errors.append(f"{address}?{query[:80]}: {response.status_code}")
            body = _body(response)
            leaks += [f"{address}?{query[:80]}: {phrase}" for phrase in private if phrase in body]
    assert errors == []
    assert leaks == []


# Odd ways of asking: each method a page may be sent, and request headers a browser, a cache
# or a client could send with values that cannot be read.
ODD_HEADERS = {
    "HTTP_IF_MODIFIED_SINCE": "Mon, 31 Feb 2026 25:61:00 GMT",
    "HTTP_IF_UNMODIFIED_SINCE": "garbage",
    "HTTP_IF_NONE_MATCH": '"unterminated, *, W/',
    "HTTP_IF_MATCH": "garbage",
    "HTTP_RANGE": "bytes=99999999999999999999-1",
    "HTTP_IF_RANGE": "garbage",
    "HTTP_ACCEPT_LANGUAGE": "xx-YY;q=abc, *;q=2, " + "a" * 300,
    "HTTP_ACCEPT": "text/html; q=abc, garbage/*;;",
    "HTTP_COOKIE": "sessionid=%FF; csrftoken=\x01",
}


def test_no_public_page_answers_odd_methods_or_headers_with_an_error_page():
    client = Client(raise_request_exception=False)
    pages = _public_pages()
    assert len(pages) > 50
    errors = []
    for address in pages:
        for method in ("head", "options", "post", "put", "delete"):
            status = getattr(client, method)(address).status_code
            if status >= 500:
                errors.append(f"{method.upper()} {address}: {status}")
        post = client.post(address, "{not json", content_type="application/json").status_code
        if post >= 500:
            errors.append(f"POST of bad JSON to {address}: {post}")
        status = client.get(address, headers=None, **ODD_HEADERS).status_code
        if status >= 500:
            errors.append(f"GET {address} with odd headers: {status}")
    assert errors == []


def test_the_part_ii_check_finds_the_text_where_it_may_be_read(django_user_model):
    # The canary of the check above: the Part II report's own page, read by an officer, holds
    # the phrases it looks for, so a public page that leaked them would be caught.
    from committee.models import Access, Report

    client = Client()
    client.force_login(django_user_model.objects.create_superuser("every-address"))
    report = Report.objects.exclude(agenda_item__access=Access.PUBLIC).first()
    body = _body(client.get(report.get_absolute_url()))
    assert any(phrase in body for phrase in _part_ii_texts())

"""Choose the pages to load and count their SQL queries, for `make bench-web`.

    DJANGO_SETTINGS_MODULE=bench.web.settings python -m bench.web.probe

Runs each page twice through Django's test client as an anonymous reader (the public), with
the page cache off (what rendering the page costs; under load the pages come from the cache), and
records, for the second request (the first, if it took seconds): status, size, SQL queries, total SQL time and the slowest
query. The last line printed is JSON: the pages, in the order the runner loads them.
"""

import json
import os
import re
import time
from urllib.parse import urlencode

SLOW_SECONDS = 2.0


def pages() -> list[dict]:
    from django.db.models import Count

    from bench.web.corpus import COMMON_QUERY, RARE_QUERY
    from committee.models import Committee, Meeting, Report

    # A meeting as a reader finds it: the latest one whose minutes are published, with a
    # full agenda (at least the average ten items).
    meeting = (
        Meeting.objects.filter(status="minutes_published")
        .annotate(n=Count("items"))
        .filter(n__gte=10)
        .order_by("-starts_at")
        .first()
    )
    # The committee with the most meetings: its page lists all of them.
    committee = Committee.objects.annotate(n=Count("meetings")).order_by("-n", "name").first()
    # The meeting's longest public report: the page a resident opens from the agenda.
    from committee import gate

    report = (
        Report.objects.filter(gate.report_q(gate.Reader.public()), agenda_item__meeting=meeting)
        .order_by("agenda_item__order")
        .first()
    )
    # Pages with a target: "page" (a ratio to the trivial view), "search" (p95 under 100 ms).
    return [
        {"name": "trivial view (framework ceiling)", "path": "/bench/trivial/", "target": "ceiling"},
        {"name": "home", "path": "/", "target": "page"},
        {"name": f"meeting ({meeting.n} items, minutes)", "path": meeting.get_absolute_url(), "target": "page"},
        {"name": f"committee ({committee.n} meetings)", "path": committee.get_absolute_url(), "target": "page"},
        {"name": "report", "path": report.get_absolute_url(), "target": "page"},
        {
            "name": f'search, common words ("{COMMON_QUERY}")',
            "path": "/search/?" + urlencode({"q": COMMON_QUERY}),
            "target": "search",
        },
        {
            # The same search rendered every time: a request carrying a cookie the cache
            # steps aside for (as a signed-in reader's would), i.e. the search itself.
            "name": f'search, common words ("{COMMON_QUERY}"), past the page cache',
            "path": "/search/?" + urlencode({"q": COMMON_QUERY}),
            "headers": {"Cookie": "messages=bench"},
            "target": "search",
        },
        {
            "name": f'search, rare words ("{RARE_QUERY}")',
            "path": "/search/?" + urlencode({"q": RARE_QUERY}),
            "target": "search",
        },
        {"name": "papers feed (RSS)", "path": "/papers.rss", "target": "page"},
        {
            "name": "committee papers feed (Atom)",
            "path": committee.get_absolute_url() + "papers.atom",
            "target": "page",
        },
        {"name": "meetings calendar feed (iCalendar)", "path": "/meetings.ics", "target": "page"},
        {
            "name": "committee calendar feed (iCalendar)",
            "path": committee.get_absolute_url() + "meetings.ics",
            "target": "page",
        },
        {
            "name": "meeting calendar entry (iCalendar)",
            "path": meeting.get_absolute_url() + "meeting.ics",
            "target": "page",
        },
    ]


def probe(page: dict) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    for header, value in page.get("headers", {}).items():
        if header == "Cookie":
            name, _, cookie = value.partition("=")
            client.cookies[name] = cookie
    for _attempt in range(2):
        # The first request warms the caches (templates, content types) as a running server
        # has; a page that takes seconds is not asked twice.
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(page["path"])
            elapsed = time.perf_counter() - started
        if elapsed > SLOW_SECONDS:
            break
    queries = captured.captured_queries
    slowest = max(queries, key=lambda q: float(q["time"]), default=None)
    body = b"".join(response) if response.streaming else response.content
    shown = re.search(rb"<h2>(\d+) results?</h2>", body) if page["path"].startswith("/search/") else None
    return {
        **page,
        "status": response.status_code,
        "bytes": len(body),
        "queries": len(queries),
        "sql_ms": round(sum(float(q["time"]) for q in queries) * 1000, 1),
        "single_ms": round(elapsed * 1000, 1),
        "slowest_sql_ms": round(float(slowest["time"]) * 1000, 1) if slowest else 0.0,
        "slowest_sql": slowest["sql"] if slowest else "",
        "search_results": int(shown.group(1)) if shown else None,
        "sql": [(round(float(q["time"]) * 1000, 1), q["sql"]) for q in queries],
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.web.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.QUORUM_PAGE_CACHE_EXCLUDE = ("/",)  # what a page costs to make, not to fetch
    results = [probe(page) for page in pages()]
    print(json.dumps(results), flush=True)


if __name__ == "__main__":
    main()

"""Choose the pages to load and count their SQL queries, for `make bench-web`.

    DJANGO_SETTINGS_MODULE=bench.web.settings python -m bench.web.probe

Runs each page twice through Django's test client as an anonymous reader (the public) and
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
    from committee.models import Committee, Meeting

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
    return [
        {"name": "trivial view (framework ceiling)", "path": "/bench/trivial/"},
        {"name": "home", "path": "/"},
        {
            "name": f"meeting ({meeting.n} items, minutes)",
            "path": meeting.get_absolute_url(),
        },
        {
            "name": f"committee ({committee.n} meetings)",
            "path": committee.get_absolute_url(),
        },
        {"name": f'search, common words ("{COMMON_QUERY}")', "path": "/search/?" + urlencode({"q": COMMON_QUERY})},
        {"name": f'search, rare words ("{RARE_QUERY}")', "path": "/search/?" + urlencode({"q": RARE_QUERY})},
        {"name": "papers feed (RSS)", "path": "/papers.rss"},
        {"name": "meetings calendar feed (iCalendar)", "path": "/meetings.ics"},
    ]


def probe(page: dict) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
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

    django.setup()
    results = [probe(page) for page in pages()]
    print(json.dumps(results), flush=True)


if __name__ == "__main__":
    main()

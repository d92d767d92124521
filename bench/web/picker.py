"""The officer's meeting picker on the bench archive, for `make bench-web`.

    DJANGO_SETTINGS_MODULE=bench.web.settings python -m bench.web.picker

The picker is the admin's autocomplete box for a meeting (an agenda item's meeting, say):
an officer types a date as they write it or a committee's name, and each keystroke asks
the server. Signed in as an officer, through Django's test client (the whole middleware
stack, no network), each term is asked REPEAT times after one warm-up; the last line
printed is JSON: for each term, the meetings found, the median and p95 in ms, the queries.
"""

import json
import os
import statistics
import time
from urllib.parse import urlencode

REPEAT = 30
TARGET_MS = 50  # issue 15: the picker answers in under 50 ms at 5,000 meetings


def terms() -> list[str]:
    from committee.models import Committee, Meeting

    meeting = Meeting.objects.order_by("-starts_at").filter(status="minutes_published").first()
    day = meeting.starts_at.date()
    committee = Committee.objects.order_by("name").first()
    return [
        f"{day.day} {day:%B %Y}",  # "27 June 2018"
        f"{day:%d/%m/%Y}",  # "27/06/2018"
        f"{day:%B %Y}",  # "June 2018"
        committee.name.split()[0],  # the start of a committee's name
    ]


def measure(term: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    officer, _ = get_user_model().objects.get_or_create(
        username="bench-officer", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(officer)
    path = "/admin/autocomplete/?" + urlencode(
        {"app_label": "committee", "model_name": "agendaitem", "field_name": "meeting", "term": term}
    )
    response = client.get(path)  # warm-up
    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
    found = response.json()
    return {
        "term": term,
        "status": response.status_code,
        "found": len(found["results"]),
        "more": found["pagination"]["more"],
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1], 1),
        "queries": len(captured.captured_queries),
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.web.settings")
    import django

    django.setup()
    print(json.dumps([measure(term) for term in terms()]), flush=True)


if __name__ == "__main__":
    main()

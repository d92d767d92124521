"""Time the search page past the page cache, in one process, on an archive already filled
(for example one kept by `python -m bench.web.run --keep`, or bench/web/fill.py run into a
database of your own):

    DATABASE_URL=postgres://... PYTHONPATH=. DJANGO_SETTINGS_MODULE=bench.web.settings \\
        .venv/bin/python -m bench.web.search_page ["school transport" ...] [--requests 15]

For each query: one warm-up request, then `--requests` requests through Django's test client
with a cookie that the page cache steps aside for (as bench-web's "past the page cache"
does). Prints the number of SQL queries, the median and fastest request, the median and
least SQL time, the median Python CPU time of a request, and the load average, which says
how far the figures are from a quiet machine's. No load generator: the whole request, alone.
"""

import argparse
import os
import statistics
import time
from urllib.parse import urlencode


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("queries", nargs="*", default=["school transport"])
    parser.add_argument("--requests", type=int, default=15)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.web.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    client.cookies["messages"] = "bench"  # the page cache serves no request with a cookie
    for query in args.queries:
        path = "/search/?" + urlencode({"q": query})
        client.get(path)
        wall, sql, cpu = [], [], []
        for _ in range(args.requests):
            with CaptureQueriesContext(connection) as queries:
                started, used = time.perf_counter(), time.process_time()
                response = client.get(path)
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - used) * 1000)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        print(
            f"{query!r}: HTTP {response.status_code}, {len(queries.captured_queries)} queries; "
            f"request median {statistics.median(wall):.1f} ms (fastest {min(wall):.1f}); "
            f"SQL median {statistics.median(sql):.1f} ms (least {min(sql):.1f}); "
            f"Python CPU median {statistics.median(cpu):.1f} ms; load average {os.getloadavg()[0]:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()

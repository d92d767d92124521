"""Measures the operator's endpoints and the backup (docs/operations.md, "Measured").

    QUORUM_VAR_DIR=var/bench-ops .venv/bin/python bench/operations.py

On the database DATABASE_URL names (SQLite under QUORUM_VAR_DIR by default; an empty
PostgreSQL database to measure pg_dump): migrates, loads the demo and builds its packs, then
times /healthz, /readyz and /metrics through Django's handler (the whole middleware stack,
no network), 200 requests each, and one `manage.py backup` and one `restore` into a new
database and media folder. Prints a Markdown table."""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from the checkout
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("QUORUM_LOG_FORMAT", "json")
os.environ["QUORUM_METRICS_TOKEN"] = "bench-token"  # noqa: S105 - a token for this run only
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

REQUESTS = 200


def timed(client: Client, url: str, **headers) -> tuple[float, float]:
    client.get(url, **headers)  # first request: imports, connections
    took = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url, **headers)
        took.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    took.sort()
    return statistics.median(took), took[int(len(took) * 0.95) - 1]


def main() -> None:
    import logging

    logging.disable(logging.INFO)  # the demo's build lines would bury the table
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    from committee.pack.demo import build_demo_packs

    build_demo_packs()
    client = Client()
    rows = []
    for url, headers in (
        ("/healthz", {}),
        ("/readyz", {}),
        ("/metrics", {"HTTP_AUTHORIZATION": "Bearer bench-token"}),
    ):
        median, p95 = timed(client, url, **headers)
        rows.append((f"`{url}`", f"{median:.1f} ms", f"{p95:.1f} ms"))

    out = Path(tempfile.mkdtemp(prefix="quorum-bench-backup-"))
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "manage.py", "backup", "--to", str(out)], capture_output=True, text=True, check=True
    )
    backup_seconds = time.perf_counter() - started
    folder = Path(done.stdout.strip())
    size = sum(p.stat().st_size for p in folder.iterdir())

    env = {**os.environ, "MEDIA_ROOT": str(out / "restored-media")}
    if connection.vendor == "postgresql":
        name = f"{connection.settings_dict['NAME']}_bench_restore"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        from tests.browser.harness import database_url

        env["DATABASE_URL"] = database_url({**connection.settings_dict, "NAME": name})
    else:
        env["DATABASE_URL"] = f"sqlite:///{out / 'restored.sqlite3'}"
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "manage.py", "restore", str(folder)], env=env, check=True, capture_output=True
    )
    restore_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    print(f"Database: {connection.vendor}; {REQUESTS} requests each, through Django's handler in one process.\n")
    print("| endpoint | median | 95th percentile |\n| --- | ---: | ---: |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(
        f"\nBackup of the demo (packs built): {size / 1e6:.1f} MB in {backup_seconds:.1f} s; "
        f"restore into a new database and media folder: {restore_seconds:.1f} s."
    )


if __name__ == "__main__":
    main()

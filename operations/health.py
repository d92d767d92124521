"""The two probes a load balancer or orchestrator asks: is the process answering (`/healthz`),
and can it serve (`/readyz`: database, message broker and file storage reachable, every
migration applied). Each check is bounded by a short timeout and nothing is cached, so that
an answer is about now."""

import logging
import os
from functools import cache

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.loader import MigrationLoader

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 2


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


@cache
def _migrations_on_disk() -> frozenset[tuple[str, str]]:
    # The code's migrations do not change while a process runs: read from disk once.
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    return frozenset(loader.disk_migrations)


def check_migrations() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = set(cursor.fetchall())
    missing = sorted(_migrations_on_disk() - applied)
    if missing:
        names = ", ".join(f"{app}.{name}" for app, name in missing[:5])
        raise RuntimeError(f"{len(missing)} migration(s) not applied ({names}): run manage.py migrate")


def check_broker() -> None:
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://")):
        import redis

        client = redis.Redis.from_url(
            url, socket_connect_timeout=CHECK_TIMEOUT_SECONDS, socket_timeout=CHECK_TIMEOUT_SECONDS
        )
        try:
            client.ping()
        finally:
            client.close()
    elif url.startswith("filesystem://"):
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
        if not os.access(folder, os.W_OK):
            raise RuntimeError("the broker's folder cannot be written")
    else:
        from kombu import Connection

        with Connection(url, connect_timeout=CHECK_TIMEOUT_SECONDS) as conn:
            conn.ensure_connection(max_retries=1, timeout=CHECK_TIMEOUT_SECONDS)


def check_storage() -> None:
    location = getattr(default_storage, "location", None)
    if location is not None:
        # A fresh install's media folder is made at the first upload; make it now instead.
        os.makedirs(location, exist_ok=True)
        if not os.access(location, os.W_OK):
            raise RuntimeError("the media folder cannot be written")
    # A cheap request of the store itself (a stat on disk, a HEAD in object storage).
    default_storage.exists("readyz-probe")


CHECKS = {
    "database": check_database,
    "migrations": check_migrations,
    "broker": check_broker,
    "storage": check_storage,
}


def readiness() -> tuple[bool, dict[str, str]]:
    """Every check, each "ok" or what failed. The public answer names the failing check and
    the kind of error only; the detail (host names, ports) goes to the log."""
    results = {}
    for name, check in CHECKS.items():
        if name == "migrations" and results.get("database") != "ok":
            results[name] = "not checked (no database)"
            continue
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means not ready, and says which
            logger.warning("Not ready: %s check failed: %s: %s", name, exc.__class__.__name__, exc)
            results[name] = f"failed ({exc.__class__.__name__})"
            if name == "migrations":
                results[name] = f"failed: {exc}"
        else:
            results[name] = "ok"
    return all(value == "ok" for value in results.values()), results

"""In CI the suite must run against the real PostgreSQL and Redis: fail, never skip, if not."""

import os

import pytest
from django.conf import settings
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.mark.skipif(not IN_CI, reason="outside CI the embedded defaults (SQLite, filesystem broker) are fine")
def test_ci_runs_on_postgresql():
    assert connection.vendor == "postgresql", "CI must run the suite on PostgreSQL (set DATABASE_URL)"


@pytest.mark.skipif(not IN_CI, reason="outside CI the embedded defaults (SQLite, filesystem broker) are fine")
def test_ci_broker_is_redis_and_answers():
    import redis

    assert settings.CELERY_BROKER_URL.startswith("redis://"), "CI must use Redis (set CELERY_BROKER_URL)"
    assert redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=3).ping()

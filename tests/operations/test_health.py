"""The probes: /healthz answers while the process does; /readyz says ready only when the
database, the broker and the file storage answer and every migration is applied, and says
which failed otherwise. Neither is cached, nor logged at info level."""

import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from tests.browser.harness import free_port

# A loopback port nothing listens on.
closed_port = free_port


def test_healthz_answers_without_the_database_or_a_host_name(client):
    # No database here (this test may not use one): by address, as a load balancer probes,
    # with no ALLOWED_HOSTS entry for it.
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_is_ready_when_everything_answers(client):
    response = client.get("/readyz", HTTP_HOST="10.1.2.3")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "broker": "ok", "storage": "ok"},
    }
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_says_the_broker_is_unreachable(client, settings):
    if settings.CELERY_BROKER_URL.startswith("redis"):
        settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    else:
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": "/nonexistent/broker/queue"}
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["broker"].startswith("failed (")
    assert body["checks"]["database"] == "ok" and body["checks"]["storage"] == "ok"
    # The public body names the failing check, not the broker's address.
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.django_db
def test_readyz_says_a_migration_is_missing(client):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'committee' AND name = '0013_report_authors'")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "committee.0013_report_authors" in response.json()["checks"]["migrations"]
    assert "manage.py migrate" in response.json()["checks"]["migrations"]


@pytest.mark.django_db
def test_readyz_says_the_media_folder_cannot_be_written(client, settings, tmp_path):
    # A file where the media folder should be (a mount that failed, a typing mistake).
    (tmp_path / "media").write_text("not a folder")
    settings.MEDIA_ROOT = tmp_path / "media"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"].startswith("failed (")


def test_readyz_says_the_database_is_unreachable():
    """A process whose database is a closed port: not ready, said plainly, within seconds."""
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://quorum@127.0.0.1:{closed_port()}/quorum",
        "QUORUM_LOG_FORMAT": "json",
    }
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/readyz'); print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["body"]["status"] == "not ready"
    assert answer["body"]["checks"]["database"] == "failed (OperationalError)"
    assert answer["body"]["checks"]["migrations"] == "not checked (no database)"
    # The detail is in the log (a warning), for the operator.
    warnings = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert any(w["level"] == "WARNING" and "database check failed" in w["message"] for w in warnings)


@pytest.mark.django_db
def test_probes_are_not_logged_at_info_level(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.get("/healthz")
    client.get("/readyz")
    assert not [r for r in caplog.records if r.levelno >= logging.INFO], [r.getMessage() for r in caplog.records]
    # while a page is.
    client.get("/robots.txt")
    assert [r for r in caplog.records if r.name == "quorum.request" and r.levelno == logging.INFO]

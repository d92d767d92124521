"""Errors go to Sentry when SENTRY_DSN is set, and nowhere otherwise. The DSN points at an
HTTP server in the test that receives what the SDK really sends, and the event is read: the
error is there; the form that was being posted (it might be a Part II paper), the cookies and
the person are not."""

import gzip
import json
import os
import subprocess
import sys
import zlib

import pytest
import sentry_sdk
from django.conf import settings
from django.db import connection

from tests.browser.harness import database_url
from tests.local_http import Answer, LocalServer, local_http_server

MARKER = "PART-II-MARKER-IN-A-FORM"


def test_error_reports_are_off_without_a_dsn():
    assert not settings.SENTRY_DSN
    assert not sentry_sdk.get_client().is_active()


@pytest.fixture
def sentry():
    """Sentry's ingest, for the DSN: it takes every envelope."""
    with local_http_server(lambda request: Answer(200, b"{}", "application/json")) as server:
        yield server


def _sent(sentry: LocalServer) -> str:
    """Everything the SDK posted to the DSN, decompressed: one JSON document a line."""
    bodies = []
    for request in list(sentry.requests):
        body, encoding = request.body, request.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli  # installed with WeasyPrint's fonttools; the SDK compresses with it when present

            body = brotli.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        bodies.append(body)
    return b"\n".join(bodies).decode(errors="replace")


@pytest.mark.django_db
def test_a_failing_page_is_reported_to_the_dsn_without_personal_data_or_the_form(sentry):
    env = {
        **os.environ,
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{sentry.port}/42",
        "SENTRY_RELEASE": "quorum-test",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": database_url(connection.settings_dict),
    }
    script = (
        "import django; django.setup()\n"
        "import sentry_sdk\n"
        "from django.test import Client, override_settings\n"
        "assert sentry_sdk.get_client().is_active()\n"
        "with override_settings(ROOT_URLCONF='tests.operations.boom_urls'):\n"
        "    client = Client(raise_request_exception=False)\n"
        "    client.cookies['sessionid'] = 'secret-session-cookie'\n"
        f"    response = client.post('/boom/', {{'body': '{MARKER}'}})\n"
        "    assert response.status_code == 500, response.status_code\n"
        "sentry_sdk.flush(10)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=90
    )
    assert done.returncode == 0, done.stderr[-3000:]
    sent = _sent(sentry)
    events = [json.loads(line) for line in sent.splitlines() if line.startswith("{") and '"exception"' in line]
    assert events, sent[:2000]
    event = events[0]
    assert event["exception"]["values"][-1]["value"] == "sentry-probe: the page failed"
    assert event["release"] == "quorum-test"
    assert event["transaction"] == "/boom/"  # which page
    assert not event["request"].get("data")  # not what was posted to it
    assert MARKER not in sent
    assert "secret-session-cookie" not in sent
    assert "user" not in event or "ip_address" not in event["user"]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_failing_task_in_the_worker_is_reported_to_the_dsn(tmp_path, sentry):
    """A real Celery worker, started with the DSN as production starts it, reports a task
    that fails (Sentry's Celery integration, initialised by the settings in the worker too)."""
    import time
    import uuid

    from config.celery import app

    queue = f"sentry-test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{sentry.port}/42",
        "SENTRY_RELEASE": "quorum-test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "QUORUM_TEST_QUEUE": queue,
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "tests.operations.boom_worker", "worker", "--pool=solo",
            "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO", "-n", f"{queue}@%h",
            "-Q", queue,
        ],
        env=env, cwd=settings.BASE_DIR, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while " ready." not in log.read_text():
            assert worker.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        app.send_task("tests.operations.boom", queue=queue)
        deadline = time.monotonic() + 60
        while "sentry-probe: the task failed" not in _sent(sentry):
            assert time.monotonic() < deadline, f"nothing reached the DSN:\n{log.read_text()[-3000:]}"
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    sent = _sent(sentry)
    events = [json.loads(line) for line in sent.splitlines() if line.startswith("{") and '"exception"' in line]
    event = next(e for e in events if "sentry-probe: the task failed" in json.dumps(e))
    assert event["release"] == "quorum-test"
    assert event["transaction"] == "tests.operations.boom"  # which task

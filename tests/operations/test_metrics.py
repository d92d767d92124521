"""/metrics: Prometheus's page, for the scrapers an operator allowed and nobody else."""

import pytest

pytestmark = pytest.mark.django_db

TOKEN = "scrape-token-for-the-test-0123456789"


def test_nobody_may_read_the_metrics_by_default(client):
    response = client.get("/metrics")
    assert response.status_code == 404
    assert b"django_http" not in response.content


def test_a_scraper_with_the_token_reads_request_latency_by_view(client, settings):
    settings.QUORUM_METRICS_TOKEN = TOKEN
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    client.get("/")  # a page, so that its view has a latency figure
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", HTTP_HOST="10.0.0.9:8000")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode()
    assert 'django_http_requests_latency_seconds_by_view_method_count{method="GET",view="committee:home"}' in text
    # Quorum's own figures are on the same page.
    for name in (
        "quorum_pack_builds_total",
        "quorum_pack_build_seconds_bucket",
        "quorum_pack_builds_waiting",
        "quorum_pack_build_oldest_queued_seconds",
        "quorum_pack_paper_cache_hits_total",
        "quorum_queue_length",
        "quorum_broker_up 1.0",
    ):
        assert name in text, name


def test_an_allowed_address_may_scrape_but_not_a_browser_behind_the_proxy(client, settings):
    settings.QUORUM_METRICS_ALLOWED_ADDRESSES = ["10.0.0.0/24"]
    settings.QUORUM_TRUSTED_PROXIES = 1
    # Prometheus, inside the network, straight to the web server.
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.5").status_code == 200
    # A browser through the proxy (itself at an allowed address): the browser's address counts.
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404
    # and what a browser writes on the left of X-Forwarded-For is not trusted.
    forged = client.get("/metrics", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="10.0.0.5, 203.0.113.9")
    assert forged.status_code == 404


def test_an_unreachable_broker_is_a_figure_not_a_failed_scrape(client, settings):
    from tests.operations.test_health import closed_port

    if not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("the broker is Redis in CI")
    settings.QUORUM_METRICS_TOKEN = TOKEN
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert "quorum_broker_up 0.0" in response.content.decode()


def test_several_gunicorn_processes_report_together(tmp_path):
    """gunicorn with two processes and PROMETHEUS_MULTIPROC_DIR: whichever process answers the
    scrape counts the requests both served."""
    import os
    import sys
    import urllib.request

    from django.db import connection

    from tests.browser.harness import answers, database_url, free_port, start_process, wait_for

    port = free_port()
    shared = tmp_path / "prometheus"
    shared.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "PROMETHEUS_MULTIPROC_DIR": str(shared),
        "QUORUM_METRICS_TOKEN": TOKEN,
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    server = start_process("server", command, env, tmp_path)

    def get(path, **headers):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own server
            return response.read().decode()

    try:
        wait_for("answering", lambda: answers(f"http://127.0.0.1:{port}/healthz"), server, timeout=60)
        for _ in range(20):
            # With a session cookie, past the page cache (docs/caching.md): each reaches the view.
            get("/robots.txt", Cookie="sessionid=not-signed-in")
        counts = set()
        for _ in range(6):  # several scrapes, answered by either process
            text = get("/metrics", Authorization=f"Bearer {TOKEN}")
            line = next(
                line
                for line in text.splitlines()
                if line.startswith("django_http_requests_latency_seconds_by_view_method_count")
                and 'view="robots"' in line
            )
            counts.add(float(line.split()[-1]))
        assert counts == {20.0}
        assert len({p.name.split("_")[-1] for p in shared.glob("*.db")}) >= 2  # both processes wrote counts
    finally:
        server.stop()

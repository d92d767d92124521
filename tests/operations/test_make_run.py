"""`make run` serves the demo as a council would serve it: with DEBUG off. With DEBUG on, an
address that finds nothing (a Part II paper's, asked for by the public) answered with
Django's technical 404, which lists every address pattern of the site. The settings are
read in a process started with the environment `make run` gives its server, as `make -n`
prints it; the static files are still served (WhiteNoise, from the source folders)."""

import os
import shlex
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from tests.browser.harness import database_url


def _make_run_environment() -> dict[str, str]:
    """The variables the Makefile sets on the line that starts bin/run-demo."""
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    printed = subprocess.run(
        ["make", "-n", "run"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    line = next(line for line in printed.splitlines() if "bin/run-demo" in line)
    words = shlex.split(line)
    assignments = words[: words.index("bin/run-demo")]
    return dict(word.split("=", 1) for word in assignments)


@pytest.mark.django_db
def test_make_run_serves_with_debug_off_and_its_static_files():
    given = _make_run_environment()
    assert given.get("DEBUG", "") in ("", "0"), given
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    env |= given | {"DATABASE_URL": database_url(connection.settings_dict), "ALLOWED_HOSTS": "testserver"}
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.test import Client\n"
        "assert not settings.DEBUG\n"
        "client = Client()\n"
        "for address in ('/meetings/999999/', '/no-such-page/'):\n"
        "    missing = client.get(address)\n"
        "    assert missing.status_code == 404, missing.status_code\n"
        "    assert b'URLconf' not in missing.content and b'Page not found' in missing.content\n"
        "style = client.get('/static/core/quorum.css')\n"
        "assert style.status_code == 200, style.status_code\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]


def _run_demo_server_environment() -> dict[str, str]:
    """The variables bin/run-demo sets on the line that starts its web server."""
    script = (settings.BASE_DIR / "bin" / "run-demo").read_text()
    line = next(line for line in script.splitlines() if "manage.py runserver" in line)
    words = shlex.split(line)
    return dict(word.split("=", 1) for word in words[: words.index("$py")])


@pytest.mark.django_db
def test_the_demo_server_keeps_no_database_connection_per_request(tmp_path):
    """Django's development server answers each request in a thread of its own; with the
    persistent connections production uses (DATABASE_CONN_MAX_AGE), each thread's connection
    stayed open after it, and `make run` against PostgreSQL ran the server out of connections
    after a few dozen pages ("too many clients") for everyone on it."""
    from tests.browser.harness import answers, free_port, start_process, wait_for

    if connection.vendor != "postgresql":
        pytest.skip("counts PostgreSQL's connections")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    env |= _make_run_environment() | _run_demo_server_environment()
    env |= {"DATABASE_URL": database_url(connection.settings_dict), "ALLOWED_HOSTS": "127.0.0.1"}
    server = start_process(
        "runserver",
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        env,
        tmp_path,
    )
    try:
        wait_for("answering", lambda: answers(f"http://127.0.0.1:{port}/healthz"), server, timeout=60)
        for _ in range(20):
            answers(f"http://127.0.0.1:{port}/meetings/")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            held = cursor.fetchone()[0]
    finally:
        server.stop()
    assert held <= 2, f"{held} connections held open by the development server after 21 requests"

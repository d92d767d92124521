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

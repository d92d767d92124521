"""Each process of a parallel test run (pytest-xdist; `make test` runs one a CPU, at most
four) gets its own working folder and its own Redis database. The servers and Celery workers
a test starts must read only their own process's test database: on a shared queue, one
process's worker would take another's pack builds (record ids of another database), and on a
shared Redis a page cached under a key the two databases both reach would be the other's.

A plugin (pytest.ini's `-p tests.parallel`), not a conftest: pytest-django reads the settings,
which read these variables, before any conftest is loaded."""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

BROWSER_SUITE = "tests/browser/"
# Redis numbers its databases 0-15 unless configured otherwise.
REDIS_DATABASES = 16

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1"... in a parallel run's processes


def _own_redis_database(url: str, index: int) -> str:
    """The broker URL with the database after the given one, one more for each process."""
    parts = urlsplit(url)
    given = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(given + 1 + index) % REDIS_DATABASES}"))


if WORKER:
    index = int(WORKER.removeprefix("gw"))
    var_dir = os.environ.get("QUORUM_VAR_DIR") or str(Path(__file__).resolve().parents[1] / "var")
    os.environ["QUORUM_VAR_DIR"] = str(Path(var_dir) / WORKER)
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if broker.startswith(("redis://", "rediss://")):
        os.environ["CELERY_BROKER_URL"] = _own_redis_database(broker, index)
    if os.environ.get("QUORUM_CACHE_URL", "").startswith(("redis://", "rediss://")):
        os.environ["QUORUM_CACHE_URL"] = _own_redis_database(os.environ["QUORUM_CACHE_URL"], index)


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile`, but the browser suite's modules as one unit, run together in one
    process: their server, worker and demo are set up once for the package (tests/browser/
    conftest.py), and torn down when the package's last test has run. Spread over processes
    by module, each process would start them for each run of browser modules between others,
    and end the database sessions of the one before under the next."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class ModulesWithTheBrowserSuiteTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = super()._split_scope(nodeid)
            return BROWSER_SUITE if module.startswith(BROWSER_SUITE) else module

    return ModulesWithTheBrowserSuiteTogether(config, log)

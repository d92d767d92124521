"""What the browser suite runs against: Debian's Chromium, a real gunicorn server and a
real Celery worker, both started as separate processes on the test database.

Nothing here is a stand-in: the server is the production WSGI application under gunicorn,
the worker is `celery -A config worker`, and they share the test process's database,
media folder and broker, so that what a test sees in the browser is what a person would.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
IN_CI = os.environ.get("CI", "").lower() == "true"

CHROMIUM = Path(os.environ.get("QUORUM_CHROMIUM", "/usr/bin/chromium"))
# This closed network refuses Chromium's own background connections (updates, sync, field
# trials); without these flags it waits on them.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=en-GB",
]
# The widths the suite looks at pages with: a laptop and a phone (CSS pixels).
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# The accessibility tour's wide screen: the commonest laptop screen, as WCAG testing uses it.
LAPTOP = {"width": 1366, "height": 768}

AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

FIX = "Run bin/test-deps (as `make test` does) to install them."


def missing_tools() -> list[str]:
    """What the browser suite needs and cannot find, in words that say how to get it."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"Chromium at {CHROMIUM} (Debian: apt-get install -y chromium)")
    if not AXE_JS.exists():
        missing.append(f"axe-core at {AXE_JS.relative_to(BASE_DIR)} (npm ci)")
    if not VNU_JAR.exists():
        missing.append(f"the Nu HTML checker at {VNU_JAR.relative_to(BASE_DIR)} (npm ci)")
    if shutil.which("java") is None:
        missing.append("Java, to run the Nu HTML checker (Debian: apt-get install -y default-jre-headless)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("Playwright for Python (pip install -r requirements-dev.txt)")
    return missing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL (as config/settings.py reads it) for the database the test process
    is connected to: the test database, not the one the settings name."""
    engine = settings_dict["ENGINE"]
    name = str(settings_dict["NAME"])
    if engine.endswith("sqlite3"):
        return f"sqlite:///{Path(name).resolve()}"
    if "postgresql" in engine:
        auth = quote(settings_dict.get("USER") or "", safe="")
        if settings_dict.get("PASSWORD"):
            auth += ":" + quote(settings_dict["PASSWORD"], safe="")
        host = settings_dict.get("HOST") or "localhost"
        port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
        return f"postgres://{auth}@{host}{port}/{quote(name, safe='')}"
    raise RuntimeError(f"The browser suite does not know how to point a server at {engine}")


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return ""
        return "\n".join(text[-lines:])

    def terminate(self) -> None:
        """Ask this process and the children it started (gunicorn's workers) to stop, by its
        own process group, which it was given when started."""
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)

    def stop(self) -> None:
        self.terminate()
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=5)


@dataclass
class Stack:
    base_url: str
    server: Process
    worker: Process
    log_dir: Path
    processes: list[Process] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def logs(self) -> str:
        return "\n\n".join(f"--- {p.name} ({p.log}) ---\n{p.tail()}" for p in (self.server, self.worker))

    def check_alive(self) -> None:
        for process in (self.server, self.worker):
            if process.popen.poll() is not None:
                raise RuntimeError(f"The {process.name} stopped (exit {process.popen.returncode}).\n{process.tail()}")

    def stop(self) -> None:
        for process in (self.worker, self.server):
            process.terminate()  # both at once: each takes a few seconds to finish cleanly
        for process in (self.worker, self.server):
            process.stop()


def start_process(name: str, command: list[str], env: dict, log_dir: Path) -> Process:
    """A server or worker started in its own process group, its output in `log_dir`/<name>.log
    (the browser tests' stack, and the tests that start gunicorn themselves)."""
    log = log_dir / f"{name}.log"
    handle = log.open("wb")
    popen = subprocess.Popen(  # noqa: S603 - our own command line
        command,
        cwd=BASE_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so that stop() ends its children too
    )
    handle.close()
    return Process(name=name, popen=popen, log=log)


def wait_for(what: str, ready, process: Process, timeout: float) -> None:
    """Until `ready()`; an error with the process's last output if it stops or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(f"The {process.name} stopped while starting.\n{process.tail()}")
        if ready():
            return
        time.sleep(0.2)
    raise RuntimeError(f"The {process.name} was not {what} after {timeout:.0f}s.\n{process.tail()}")


def answers(url: str) -> bool:
    """Whether `url` answers 200 now."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start_stack(*, settings_dict: dict, log_dir: Path, extra_env: dict | None = None, port: int | None = None) -> Stack:
    """Start gunicorn and a Celery worker on the test database; return when both are ready.
    `extra_env`: more settings for both (the loopback SMTP server that receives their mail)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_CURRENT_TEST", "PYTEST_VERSION"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url(settings_dict),
        QUORUM_VAR_DIR=str(Path(settings.VAR_DIR).resolve()),
        MEDIA_ROOT=str(Path(settings.MEDIA_ROOT).resolve()),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        PYTHONUNBUFFERED="1",
    )
    env.update({key: str(value) for key, value in (extra_env or {}).items()})
    port = port or free_port()
    server = start_process(
        "server",
        [
            sys.executable, "-m", "gunicorn", "config.wsgi",
            "--bind", f"127.0.0.1:{port}",
            "--workers", "2", "--threads", "4", "--worker-class", "gthread",
            "--timeout", "120", "--graceful-timeout", "5",
            "--access-logfile", "-", "--error-logfile", "-",
        ],
        env,
        log_dir,
    )  # fmt: skip
    worker = start_process(
        "worker",
        [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--pool", "solo", "--loglevel", "INFO",
            "--hostname", f"browser-tests-{os.getpid()}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ],
        env,
        log_dir,
    )  # fmt: skip
    stack = Stack(base_url=f"http://127.0.0.1:{port}", server=server, worker=worker, log_dir=log_dir)
    try:
        wait_for("answering", lambda: answers(stack.url("/accessibility/")), server, timeout=60)
        wait_for("ready", lambda: " ready." in worker.tail(200), worker, timeout=90)
    except Exception:
        stack.stop()
        raise
    return stack

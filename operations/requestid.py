"""The request id: one per web request, carried into every log line the request writes and
into the Celery tasks it queues (as a message header), so that an operator can follow an
officer's "Publish" from the web server's log into the worker's.

A proxy may send its own id in X-Request-ID (nginx's $request_id): it is kept when it looks
like an id, so that the proxy's access log and ours agree; anything else is replaced."""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from celery.signals import before_task_publish, task_postrun, task_prerun

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_current: ContextVar[str] = ContextVar("request_id", default="")


def current() -> str:
    return _current.get()


def new_id() -> str:
    return uuid.uuid4().hex


def accept(value: str | None) -> str:
    """The id a proxy sent, if it is a plain id (never a place to smuggle text into logs)."""
    return value if value and _VALID.match(value) else new_id()


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every log record (empty outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current()
        return True


@before_task_publish.connect(weak=False)
def _add_header(headers=None, **kwargs) -> None:
    # The web process queues a task: the task's message carries the request's id.
    if headers is not None and current() and "request_id" not in headers:
        headers["request_id"] = current()


@task_prerun.connect(weak=False)
def _enter_task(task=None, **kwargs) -> None:
    # The worker runs it: its log lines carry the id of the request that queued it. A task
    # queued by no request (beat's sweep) gets an id of its own.
    sent = getattr(task.request, "request_id", None) if task is not None else None
    _current.set(accept(sent))


@task_postrun.connect(weak=False)
def _leave_task(**kwargs) -> None:
    _current.set("")


access_log = logging.getLogger("quorum.request")

# Probes and scrapes come every few seconds: at debug level only, so that they do not bury
# the requests people make.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


class RequestIdMiddleware:
    """First in the middleware: every later log line of the request carries its id, and the
    response says it (X-Request-ID), so that a person reporting a problem can quote it. One
    line per request: method, view name, status, milliseconds. Never the query string, the
    person or the form: no personal data in the log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = accept(request.headers.get(HEADER))
        token = _current.set(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            match = getattr(request, "resolver_match", None)
            access_log.log(
                logging.DEBUG if request.path in QUIET_PATHS else logging.INFO,
                "%s %s %s",
                request.method,
                match.view_name if match else "(no view)",
                response.status_code,
                extra={
                    "method": request.method,
                    "view": match.view_name if match else "",
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response

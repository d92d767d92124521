"""A real web server on this machine for the far end of an outgoing request: a ModernGov site
(tests/moderngov/server.py), a newsroom's webhook receiver, Sentry's ingest, a server that
must never be asked. http.server in a thread, on a free loopback port; every request is
recorded, and a function of the test gives the answer.

Quorum itself is not served from here: where a test needs Quorum at the other end it runs
the application as it runs in production, under pytest-django's live_server (the Django app
in this process, on the test's database: tests/moderngov/test_round_trip.py) or gunicorn
(separate worker processes: tests/browser/harness.py). Those are the part under test; this
is only the canned other side."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # as asked, with its query
    headers: Message
    body: bytes


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = ""


@dataclass
class LocalServer:
    url: str  # http://127.0.0.1:<port>, no trailing slash
    port: int
    requests: list[Request] = field(default_factory=list)  # in the order they arrived


@contextmanager
def local_http_server(answer: Callable[[Request], Answer]) -> Iterator[LocalServer]:
    """Serve on a free loopback port until the block ends; `answer` is called in the
    server's thread for each GET or POST, after the request is recorded."""
    recorded: list[Request] = []

    class Handler(BaseHTTPRequestHandler):
        def _serve(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            request = Request(self.command, self.path, self.headers, body)
            recorded.append(request)
            reply = answer(request)
            self.send_response(reply.status)
            if reply.content_type:
                self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        do_GET = do_POST = _serve  # the names http.server calls for each method

        def log_message(self, *args):
            pass  # the test's output is for the test

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        yield LocalServer(url=f"http://127.0.0.1:{port}", port=port, requests=recorded)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)

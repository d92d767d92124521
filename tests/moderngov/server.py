"""A ModernGov site on loopback: a real HTTP server (http.server in a thread) answering its
web service and documents from a folder of saved answers, as docs/moderngov.md names them."""

import shutil
import threading
import urllib.parse
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from moderngov.source import SERVICE, request_name

ARCHIVE = Path(__file__).parent / "data" / "archive"


class Site:
    def __init__(self, folder: Path):
        self.folder = folder
        self.requests: list[str] = []
        self.failing: set[str] = set()  # request names answered 503, as a site that has gone down
        self.url = ""


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            parts = urllib.parse.urlsplit(self.path)
            path = urllib.parse.unquote(parts.path).lstrip("/")
            if path.startswith(f"{SERVICE}/"):
                method = path.split("/", 1)[1]
                name = request_name(method, dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True)))
            else:
                name = path
            site.requests.append(name)
            if name in site.failing:
                self.send_error(503, "Service Unavailable")
                return
            target = (site.folder / name).resolve()
            if site.folder.resolve() not in target.parents or not target.is_file():
                self.send_error(404, "Not Found")
                return
            body = target.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf" if name.endswith(".pdf") else "text/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


@contextmanager
def moderngov_site(tmp_path: Path, archive: Path = ARCHIVE):
    folder = tmp_path / "site"
    shutil.copytree(archive, folder)
    site = Site(folder)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()

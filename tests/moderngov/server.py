"""A ModernGov site on loopback: a real HTTP server (tests/local_http.py) answering its web
service and documents from a folder of saved answers, as docs/moderngov.md names them."""

import shutil
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

from moderngov.source import SERVICE, request_name
from tests.local_http import Answer, Request, local_http_server

ARCHIVE = Path(__file__).parent / "data" / "archive"


class Site:
    def __init__(self, folder: Path):
        self.folder = folder
        self.requests: list[str] = []  # the saved answers asked for, by name
        self.failing: set[str] = set()  # request names answered 503, as a site that has gone down
        self.url = ""

    def answer(self, request: Request) -> Answer:
        parts = urllib.parse.urlsplit(request.path)
        path = urllib.parse.unquote(parts.path).lstrip("/")
        if path.startswith(f"{SERVICE}/"):
            method = path.split("/", 1)[1]
            name = request_name(method, dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True)))
        else:
            name = path
        self.requests.append(name)
        if name in self.failing:
            return Answer(503, b"Service Unavailable", "text/plain")
        target = (self.folder / name).resolve()
        if self.folder.resolve() not in target.parents or not target.is_file():
            return Answer(404, b"Not Found", "text/plain")
        content_type = "application/pdf" if name.endswith(".pdf") else "text/xml; charset=utf-8"
        return Answer(200, target.read_bytes(), content_type)


@contextmanager
def moderngov_site(tmp_path: Path, archive: Path = ARCHIVE):
    folder = tmp_path / "site"
    shutil.copytree(archive, folder)
    site = Site(folder)
    with local_http_server(site.answer) as server:
        site.url = server.url
        yield site

"""Where the import reads ModernGov from: the site itself, or a folder of saved responses.

A site is asked politely: one request at a time, no more than `rate` a second, a timeout
on every request, and retries with a growing pause (honouring Retry-After) when it is busy
or fails. A folder holds one file per request (docs/moderngov.md, "Importing an archive"):

    GetCommittees.xml
    GetMeetings_lCommitteeId=12_sFromDate=01-01-2018_sToDate=31-12-2018.xml
    GetMeeting_lMeetingId=345.xml
    GetAttachment_lAttachmentId=678.xml
    GetCouncillorsByWard.xml
    GetMemberGroup_sOrder=0_sShortName=.xml
    documents/s678/Budget report.pdf        (a document, at its address's path on the site)
"""

import time
import urllib.parse
from pathlib import Path

import urllib3
from urllib3.util import Retry, Timeout

SERVICE = "mgWebService.asmx"
USER_AGENT = "Quorum ModernGov import (committee papers portal moving an archive)"


class NotFound(Exception):
    """The site (or the folder) has no such answer: the record is skipped with the reason."""


class Unavailable(Exception):
    """The site did not answer, even after the retries: the run stops, to be run again."""


class Unreadable(Exception):
    """An answer the run cannot go on without (the list of committees) is not XML Quorum can
    read: the run stops, naming it."""


def request_name(method: str, params: dict) -> str:
    """The file a request's answer is saved in, within a folder of saved responses."""
    parts = [method] + [f"{key}={str(value).replace('/', '-')}" for key, value in params.items() if key != "lDummy"]
    return "_".join(parts) + ".xml"


class FolderSource:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.label = str(folder)

    def call(self, method: str, **params) -> bytes:
        path = self.folder / request_name(method, params)
        if not path.is_file():
            raise NotFound(f"no saved answer {path.name}")
        return path.read_bytes()

    def document(self, url: str) -> bytes:
        relative = urllib.parse.unquote(urllib.parse.urlsplit(url).path).lstrip("/")
        path = (self.folder / relative).resolve()
        if self.folder.resolve() not in path.parents or not path.is_file():
            raise NotFound(f"no saved document {relative}")
        return path.read_bytes()


class SiteSource:
    def __init__(self, base_url: str, *, rate: float = 2.0, retries: int = 4, backoff: float = 1.0,
                 timeout: float = 60.0):  # fmt: skip
        self.base = base_url.rstrip("/") + "/"
        self.label = self.base
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._last = 0.0
        retry = Retry(
            total=retries,
            backoff_factor=backoff,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=("GET",),
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        self.http = urllib3.PoolManager(
            retries=retry,
            timeout=Timeout(connect=min(10.0, timeout), read=timeout),
            headers={"User-Agent": USER_AGENT},
        )

    def _get(self, url: str) -> bytes:
        # The pause between requests is kept here, before each, so that retries (spaced by
        # urllib3's backoff) and documents count too.
        wait = self._last + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            response = self.http.request("GET", url, preload_content=True)
        except urllib3.exceptions.HTTPError as error:
            raise Unavailable(f"{url}: {error}") from error
        finally:
            self._last = time.monotonic()
        if response.status == 404:
            raise NotFound(f"{url} answered 404")
        if response.status >= 400:
            raise Unavailable(f"{url} answered {response.status}")
        return response.data

    def call(self, method: str, **params) -> bytes:
        return self._get(f"{self.base}{SERVICE}/{method}?{urllib.parse.urlencode(params)}")

    def document(self, url: str) -> bytes:
        # Documents are the site's own (documents/s123/…, mgConvert2PDF.aspx?ID=…): asked of
        # the site being imported, whatever host the address names.
        parts = urllib.parse.urlsplit(url)
        path = urllib.parse.quote(urllib.parse.unquote(parts.path.lstrip("/")))  # ModernGov leaves spaces in
        return self._get(urllib.parse.urljoin(self.base, path) + (f"?{parts.query}" if parts.query else ""))


def open_source(source: str, **options):
    if source.startswith(("http://", "https://")):
        return SiteSource(source, **options)
    folder = Path(source)
    if not folder.is_dir():
        raise NotFound(f"{source} is neither a web address nor a folder")
    return FolderSource(folder)

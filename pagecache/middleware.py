"""Whole responses for anonymous readers, kept in Django's cache under the public content
generation (pagecache.generation): a change an officer makes raises the generation in the
same transaction, so the next request, in any web process, finds no page under the new
number and renders afresh. docs/caching.md says what is cached, for whom, and the headers a
reverse proxy or CDN is given."""

import hashlib
import logging
import math
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from pagecache import generation

logger = logging.getLogger(__name__)

# Requests that may belong to someone: a session (signed in, or half-way through signing in),
# messages waiting to be shown, credentials for the API. They are never answered from the
# cache and their responses are never kept.
PERSONAL_COOKIES = ("messages",)
# Request headers a kept response may vary on: Cookie (only requests without a personal
# cookie are answered from the cache) and Accept (in the key).
KEYED_VARY = {"cookie", "accept"}
# In every key: a release that keeps pages differently never reads an older release's.
KEPT_FORMAT = 3
LARGEST_KEPT = 4 * 1024 * 1024  # bytes: a page, a feed or a calendar, not a download


def _personal(request) -> bool:
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or any(name in cookies for name in PERSONAL_COOKIES)
        or "HTTP_AUTHORIZATION" in request.META
    )


def public_cache_control(response) -> None:
    """What a shared cache may do with a public page: keep it, but ask again (with its ETag)
    before each use, so that nothing stale is served (QUORUM_PROXY_MAX_AGE allows a few
    seconds of reuse without asking, at that cost)."""
    shared = settings.QUORUM_PROXY_MAX_AGE
    if shared > 0:
        patch_cache_control(response, public=True, max_age=0, s_maxage=shared)
    else:
        patch_cache_control(response, public=True, no_cache=True)


class AnonymousPageCache:
    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches[settings.QUORUM_PAGE_CACHE]
        self.local = LocalPages(settings.QUORUM_PAGE_CACHE_LOCAL_ENTRIES, settings.QUORUM_PAGE_CACHE_SECONDS)

    def __call__(self, request):
        # "Changed since?" is answered here, by when public content last changed, and never
        # further in: a view's own date (a feed's newest paper) is worked out from the rows it
        # shows, so it cannot see a row that left them (a paper made Part II), and Django's
        # ConditionalGetMiddleware would answer "304 Not Modified" by it, leaving the reader
        # the copy that holds the paper. So no response leaves with a view's own
        # Last-Modified either: a response carries the one this answers by, or none.
        # (If-None-Match stays: an ETag is a digest of the body itself.)
        since = request.META.pop("HTTP_IF_MODIFIED_SINCE", None)
        if request.method != "GET" or request.path.startswith(settings.QUORUM_PAGE_CACHE_EXCLUDE) or _personal(request):
            return _undated(self.get_response(request))
        # Read before anything is rendered: a page made from older rows is kept under the
        # older number, never under the new one.
        now = generation.current()
        if now is None:
            return _undated(self.get_response(request))
        number, changed_at, read_at = now
        key = self._key(request, number)
        kept = self.local.get(key)
        if kept is None:
            kept = self._cache("get", key)
            if kept is not None:
                self.local.put(key, kept)
        if kept is not None:
            response = _response(kept)
            response["X-Page-Cache"] = "hit"
            return _conditional(request, response, since, changed_at, read_at)
        response = _undated(self.get_response(request))
        if not self._keepable(request, response):
            return response
        if not response.has_header("ETag"):
            response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        public_cache_control(response)
        # Kept without Last-Modified: whether one can be given depends on when it is served.
        kept = (response.status_code, list(response.items()), response.content)
        self.local.put(key, kept)
        self._cache("set", key, kept, settings.QUORUM_PAGE_CACHE_SECONDS)
        response["X-Page-Cache"] = "miss"
        return _conditional(request, response, since, changed_at, read_at)

    def _cache(self, operation: str, *args):
        """The cache is a shortcut, never a dependency: when Redis does not answer, the page
        is rendered as if nothing were kept (and the failure logged)."""
        try:
            return getattr(self.cache, operation)(*args)
        except Exception:  # noqa: BLE001 - any backend's connection error
            logger.warning("page cache %s failed; serving without it", operation, exc_info=True)
            return None

    @staticmethod
    def _key(request, number: int) -> str:
        # The day is in the key as well: "upcoming" and "past" move with the date, not only
        # with officers' changes (and entries expire after QUORUM_PAGE_CACHE_SECONDS anyway).
        # Accept too: the API answers a browser with HTML and a program with JSON (Vary: Accept).
        where = (
            f"{request.scheme}://{request.get_host()}{request.get_full_path()} {request.META.get('HTTP_ACCEPT', '')}"
        )
        digest = hashlib.sha256(where.encode()).hexdigest()
        return f"page:{KEPT_FORMAT}:{number}:{timezone.localdate().isoformat()}:{digest}"

    @staticmethod
    def _keepable(request, response) -> bool:
        user = getattr(request, "user", None)
        control = response.get("Cache-Control", "").lower()
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies  # a CSRF token, a session or messages were handed out
            and user is not None
            and not user.is_authenticated
            and "private" not in control
            and "no-store" not in control
            and len(response.content) <= LARGEST_KEPT
            # The key holds what a response may vary on here; anything else, it is not kept.
            and all(name.strip().lower() in KEYED_VARY for name in response.get("Vary", "").split(",") if name.strip())
        )


def _conditional(request, response, since: str | None, changed_at, read_at):
    """The response, with its Last-Modified, or "304 Not Modified" if the client's copy is
    current (by If-None-Match, or by the If-Modified-Since taken off the request).

    HTTP dates have whole seconds, and public content can change twice within one: a paper
    made Part II and taken back, a copy served between. So the page's date is the end of the
    second in which public content last changed (`modified`), "not modified since" means that
    second had ended by the date the client sends (Django's rule, `modified <= since`), and
    the date is given only on a copy made a second after that: every change made within the
    second was committed, and is in the copy. A copy made sooner carries no Last-Modified
    (its ETag serves), so no date a client holds can hide a later change.

    A page also changes with the day, as its key does (`_key`): "upcoming" and "past" move
    with the date. So the date is never before the start of the day the copy was made in: a
    copy from yesterday is not "not modified" today."""
    modified = None
    if changed_at is not None:
        today = timezone.localtime(read_at).replace(hour=0, minute=0, second=0, microsecond=0)
        modified = max(math.floor(changed_at.timestamp()) + 1, math.floor(today.timestamp()))
    if modified is not None and read_at is not None and read_at.timestamp() >= modified + 1:
        # The second after, as well: PostgreSQL stamps a change as its transaction commits, a
        # moment before other readers see it (SQLite as each row is written: docs/caching.md).
        response["Last-Modified"] = http_date(modified)
    if since is not None:
        request.META["HTTP_IF_MODIFIED_SINCE"] = since
    return get_conditional_response(request, etag=response.get("ETag"), last_modified=modified, response=response)


def _undated(response):
    """A response past the cache, without the Last-Modified its view may have set (by its
    rows, as a feed's newest paper): no If-Modified-Since is answered by it."""
    if response.has_header("Last-Modified"):
        del response["Last-Modified"]
    return response


def _response(kept) -> HttpResponse:
    """A new response from what was kept: (status, headers, body)."""
    status, headers, content = kept
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


class LocalPages:
    """The pages this process served last, in its own memory, in front of the shared cache: a
    page asked for again costs no round trip to Redis. As fresh as the shared cache (the key
    holds the generation, read from the database for every request); entries expire as there."""

    def __init__(self, size: int, seconds: int):
        self.size, self.seconds = size, seconds
        self.entries: OrderedDict[str, tuple[float, tuple]] = OrderedDict()
        self.lock = threading.Lock()  # gthread workers serve requests on several threads

    def get(self, key: str):
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return found[1]

    def put(self, key: str, kept) -> None:
        if self.size <= 0:
            return
        with self.lock:
            self.entries[key] = (time.monotonic() + self.seconds, kept)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

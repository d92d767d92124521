"""WeasyPrint rendering: each paper on its own, several at once, cached by content hash.

Layout is most of a pack's cost and it is linear in pages, so the papers are rendered as
separate documents in a small pool of processes (one per core by default) and the result of
each is kept in storage under the hash of its HTML: an unchanged paper is never rendered
twice, on any worker sharing the storage. Each process renders a few papers, not the whole
pack, so its memory stays below that of a one-document render (WeasyPrint does not give
memory back; the pool is new for every build).
"""

import ctypes
import gc
import hashlib
import io
import logging
import multiprocessing
import os
import re
import resource
import signal
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta

import pikepdf
import weasyprint
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from . import fonts, line_ends, stamps
from .assemble import repair_structure

# The space a printed line ends at is written, so a paragraph's words read apart (see
# line_ends: WeasyPrint 70 drops it).
line_ends.install()

logger = logging.getLogger(__name__)

CACHE_DIR = "packs/parts"


class PackURLFetcher(URLFetcher):
    """Papers carry no external assets (the pack's stylesheet is inlined): the only
    resources a pack may load are inline data: URIs, such as a chart embedded as an image.
    Everything else (http, https, file, ftp) is refused before any request is made, so a
    template or an officer's text can neither reach the network nor read the worker's
    files. A refusal is not fatal: WeasyPrint logs it and prints the paper without it."""

    def __init__(self):
        super().__init__(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=False)

    def fetch(self, url, headers=None):
        if not url.lower().startswith("data:"):
            raise ValueError(f"The pack does not fetch {url[:80]}")
        return super().fetch(url, headers)


@dataclass
class Job:
    key: str  # the cache key: a content hash
    html: str
    tagged: bool = True  # papers are tagged PDF/UA; page stamps are artifacts, untagged


@dataclass
class Rendered:
    key: str
    pdf: bytes
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    cached: bool = False
    pid: int = 0  # the process that rendered it


def peak_memory_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss
    over from the parent through fork and exec, which would charge it the parent's peak."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass(frozen=True)
class _Fonts:
    configuration: FontConfiguration
    fingerprint: str  # of the font files it gives the papers (fonts.fingerprint)


_fonts: _Fonts | None = None


def _loaded_fonts() -> _Fonts:
    """One font configuration per process, for every paper it renders: WeasyPrint otherwise
    loads Fontconfig's configuration and a new Pango font map for each document, and
    starts each paper with cold font caches (a few per cent of a pack's rendering, as
    bench/render_costs.py measures). Its fingerprint is taken as it is loaded, from the very
    configuration the papers are rendered with, once (a worker restarted after a font
    upgrade loads the new fonts and their fingerprint together)."""
    global _fonts
    if _fonts is None:
        configuration = FontConfiguration()
        # WeasyPrint's Fontconfig configuration, which its Pango font map resolves fonts with.
        config = getattr(configuration, "_config", None)
        _fonts = _Fonts(configuration=configuration, fingerprint=fonts.fingerprint(config))
    return _fonts


def _font_configuration() -> FontConfiguration:
    return _loaded_fonts().configuration


def font_fingerprint() -> str:
    """The fingerprint of the fonts this process renders the papers with: part of every
    cache key (`cache_key`), so that a paper rendered with other fonts is not reused."""
    return _loaded_fonts().fingerprint


# The papers' stylesheet, inlined in the head of each (templates/pdf/base_pack.html).
_STYLESHEET = re.compile(r"<style>(.*?)</style>", re.DOTALL)
_sheets: dict[str, tuple[weasyprint.CSS, CounterStyle]] = {}


def _stylesheet(css: str) -> tuple[weasyprint.CSS, CounterStyle]:
    """The papers' stylesheet, parsed once per process. WeasyPrint parses a document's own
    stylesheet and compiles each of its selectors (with eval) for every document: about 11 ms
    a paper, most of what a nearly empty paper costs, and the one document pays it once. The
    counter styles it defines go with it (WeasyPrint asks for the same CounterStyle when
    rendering with a stylesheet that defines some)."""
    if css not in _sheets:
        if len(_sheets) > 4:  # a new release's stylesheet; the old one is not needed again
            _sheets.clear()
        counters = CounterStyle()
        sheet = weasyprint.CSS(
            string=css, url_fetcher=PackURLFetcher(), font_config=_font_configuration(), counter_style=counters
        )
        _sheets[css] = (sheet, counters)
    return _sheets[css]


def write_pdf(html: str, *, tagged: bool) -> bytes:
    """One document's PDF, as a paper of the pack is rendered. A tagged paper's stylesheet is
    taken out of its head and given to WeasyPrint already parsed (`_stylesheet`): as a user
    stylesheet, which only the papers' own style attributes (author styles) override, as
    they override it in the head; the papers have no other stylesheet."""
    document, pdf = _render(html, tagged=tagged)
    if tagged:
        continued = continued_rows(document) if CONTINUED_LABEL in html else []
        pdf = repair_structure(pdf, mark=_continuation_marker(continued) if continued else None)
    return pdf


def _render(html: str, *, tagged: bool):
    """The laid-out document and its PDF: as HTML.write_pdf does it, in two steps, so that
    the pages can be read between them."""
    options: dict = {**weasyprint.DEFAULT_OPTIONS}
    counters = None
    if tagged:
        options["pdf_variant"] = "pdf/ua-1"
        found = _STYLESHEET.search(html)
        if found:
            sheet, counters = _stylesheet(found.group(1))
            html = html[: found.start()] + html[found.end() :]
            options["stylesheets"] = [sheet]
    document = weasyprint.HTML(string=html, url_fetcher=PackURLFetcher()).render(
        _font_configuration(), counters, **options
    )
    return document, document.write_pdf(**options)


def _continuation_marker(continued: list[stamps.Continued]):
    """What draws the continued rows' labels on the paper (stamps.mark_continued): their kit
    is rendered here, a line each, and each line's width read from its layout."""
    from weasyprint.formatting_structure import boxes

    kit = stamps.continued_kit(continued)
    document, kit_pdf = _render(stamps.kit_html(kit), tagged=False)
    widths = [
        max((b.width for b in _descendants(page._page_box) if isinstance(b, boxes.TextBox)), default=0) * stamps.PX
        for page in document.pages
    ]

    def mark(pdf: pikepdf.Pdf) -> None:
        with pikepdf.open(io.BytesIO(kit_pdf)) as kit_doc:
            stamps.mark_continued(pdf, continued, kit, kit_doc, widths)

    return mark


# A table row that names itself for the pages it continues on (<tr data-continued-label="CR1
# (continued)">: the risk register's rows). WeasyPrint prints the rest of a row split by a
# page break with its cells empty where their text has all been printed, the row header
# among them, and CSS has no way to print anything in a row's continuation; so the label is
# drawn over the empty row header once the pages are laid out (stamps.mark_continued).
CONTINUED_LABEL = "data-continued-label"


def continued_rows(document) -> list[stamps.Continued]:
    """Where a labelled row continues at the top of a page: the page and its row header cell
    (the row's first cell) there. A row starts a page as a continuation when the same element
    was laid out on an earlier page; a page that starts with a new row gets nothing. Reading
    the laid-out boxes costs a walk of the pages, not a second layout."""
    seen: set[int] = set()
    found: list[stamps.Continued] = []
    for number, page in enumerate(document.pages):
        first = True
        for row in _labelled_rows(page._page_box):
            key = id(row.element)
            if first and key in seen and row.children:
                found.append(stamps.continued(number, page, row.children[0], row.element.get(CONTINUED_LABEL)))
            first = False
            seen.add(key)
    return found


def _labelled_rows(page_box):
    """The labelled table rows among a page's boxes, in the order they are laid out."""
    from weasyprint.formatting_structure import boxes

    for box in _descendants(page_box, inside_rows=False):
        if isinstance(box, boxes.TableRowBox) and box.element is not None and box.element.get(CONTINUED_LABEL):
            yield box


def _descendants(box, *, inside_rows: bool = True):
    """A box and the boxes in it, in the order they are laid out (a row's cells are not
    walked unless `inside_rows`)."""
    from weasyprint.formatting_structure import boxes

    stack = [box]
    while stack:
        box = stack.pop()
        yield box
        if isinstance(box, boxes.ParentBox) and (inside_rows or not isinstance(box, boxes.TableRowBox)):
            stack.extend(reversed(box.children))


def render_job(job: Job) -> Rendered:
    started = time.perf_counter()
    pdf = write_pdf(job.html, tagged=job.tagged)
    return Rendered(
        key=job.key, pdf=pdf, seconds=time.perf_counter() - started, peak_rss_mb=peak_memory_mb(), pid=os.getpid()
    )


def cache_key(html: str, *, tagged: bool = True) -> str:
    """What a rendered paper prints: its HTML, the renderer's versions and the fonts it is
    rendered with (`font_fingerprint`, taken once per process, not per paper)."""
    from .content import RENDERER_VERSION

    h = hashlib.sha256(f"{RENDERER_VERSION}|fonts-{font_fingerprint()}|{'ua' if tagged else 'plain'}|".encode())
    h.update(html.encode())
    return h.hexdigest()


def _cache_name(key: str) -> str:
    return f"{CACHE_DIR}/{key[:2]}/{key}.pdf"


def cache_has(key: str) -> bool:
    return default_storage.exists(_cache_name(key))


def cache_get(key: str) -> bytes | None:
    try:
        with default_storage.open(_cache_name(key), "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def cache_put(key: str, pdf: bytes) -> None:
    name = _cache_name(key)
    if not default_storage.exists(name):
        # Two builds may race to store the same part; the content is the same either way.
        default_storage.save(name, ContentFile(pdf))


def cache_prune(*, older_than: timedelta) -> int:
    """Remove cached parts written longer ago than `older_than`; return how many went.

    Nothing refers to a cached part but the next build that needs it, which renders it
    again if it has gone: pruning costs at most one render per paper still in use. Packs
    themselves (every version served) are other files and are never touched.
    """
    cutoff = timezone.now() - older_than
    removed = 0
    try:
        folders, _files = default_storage.listdir(CACHE_DIR)
    except FileNotFoundError:
        return 0
    for folder in folders:
        for name in default_storage.listdir(f"{CACHE_DIR}/{folder}")[1]:
            path = f"{CACHE_DIR}/{folder}/{name}"
            with suppress(FileNotFoundError):  # another prune, at the same time
                if default_storage.get_modified_time(path) < cutoff:
                    default_storage.delete(path)
                    removed += 1
    return removed


_warm = False


def warm_up() -> None:
    """Load fonts and parse the papers' stylesheet once in this process, so that forked
    renderers, and this process's own renders (the front sheet), start warm. Its own flag:
    the fonts are loaded already when a build has made its cache keys (`font_fingerprint`),
    yet nothing has been rendered with them."""
    global _warm
    if not _warm:
        from django.template.loader import render_to_string

        page = render_to_string("pdf/base_pack.html", {"document_title": "Quorum"})
        write_pdf(page.replace("</body>", "<p>Quorum <b>warm</b></p></body>"), tagged=True)  # a word for each font
        _warm = True


def _renderer_started() -> None:
    """Runs in each renderer as it starts."""
    # If the worker is killed mid-build, its renderers go too (Linux's parent-death signal),
    # rather than wait forever for more work. Not on Linux, the pool's own shutdown is all
    # there is.
    with suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    # Layout allocates millions of short-lived objects, and Python's default thresholds
    # collect garbage every 700 of them, each time walking what the renderer inherited: a
    # tenth of the papers' rendering went on it. A renderer lives for one build, so it
    # collects less often (every 50,000 objects; the oldest generation hardly ever); its
    # peak memory grew by a few megabytes at most (bench/render_costs.py).
    gc.set_threshold(50_000, 20, 100)


@contextmanager
def _children_allowed():
    # Celery's prefork pool marks its worker processes daemonic, and multiprocessing refuses
    # children to daemonic processes so that none outlive their parent. The render pool is
    # always shut down before the build returns, and its processes are killed with their
    # parent (_renderer_started), so they cannot be left behind.
    process = multiprocessing.current_process()
    daemon = process._config.get("daemon")
    process._config["daemon"] = False
    try:
        yield
    finally:
        if daemon is not None:
            process._config["daemon"] = daemon


def processes() -> int:
    return max(1, getattr(settings, "QUORUM_PACK_PROCESSES", 0) or os.cpu_count() or 1)


class RenderPool:
    """Renderer processes for one build, started at the first paper to render and shared by
    the build's rounds (papers and the stamp kit, then the front sheet); shut down at the end."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or processes()
        self._executor: ProcessPoolExecutor | None = None
        self._allowed = None

    def __enter__(self) -> "RenderPool":
        return self

    def __exit__(self, *exc) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._allowed.__exit__(None, None, None)
            self._executor = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            warm_up()
            self._allowed = _children_allowed()
            self._allowed.__enter__()
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("fork"), initializer=_renderer_started
            )
        return self._executor

    def render_all(self, jobs: list[Job], *, on_done=None, on_ready=None, tick=None) -> dict[str, Rendered]:
        """Render the jobs not already cached; return every job's PDF by key.

        After one look in the cache for each job, the renderers start, and the cached PDFs
        are read while they work: a rebuild after one edit renders that paper in a renderer
        while this process reads (and, in `on_ready`, opens) all the others.
        `on_ready(rendered)` is called in this process for every PDF as soon as it is at
        hand, cached or new; `on_done(rendered, rendering)` as each new one is rendered, with
        the keys of all those this call renders; `tick()` at least every few seconds while
        waiting (the build renews its lease there).
        """
        unique: dict[str, Job] = {}
        for job in jobs:
            unique.setdefault(job.key, job)
        cached: list[Job] = []
        todo: list[Job] = []
        for key, job in unique.items():
            (cached if cache_has(key) else todo).append(job)
        todo.sort(key=lambda j: len(j.html), reverse=True)  # longest first: the last to finish is short
        rendering = frozenset(job.key for job in todo)
        if self.workers > 1 and todo and (len(todo) > 1 or cached):
            finished = self._parallel(todo, tick)
        else:
            finished = (render_job(job) for job in todo)  # nothing to do meanwhile: no process to start

        results: dict[str, Rendered] = {}

        def ready(rendered: Rendered) -> None:
            results[rendered.key] = rendered
            if on_ready:
                on_ready(rendered)

        for job in cached:
            pdf = cache_get(job.key)
            if pdf is None:  # removed from the cache since: render it here
                rendered = render_job(job)
                cache_put(rendered.key, rendered.pdf)
                ready(rendered)
            else:
                ready(Rendered(key=job.key, pdf=pdf, cached=True))
        for rendered in finished:
            cache_put(rendered.key, rendered.pdf)
            ready(rendered)
            if on_done:
                on_done(rendered, rendering)
        return results

    def _parallel(self, jobs: list[Job], tick):
        # The renderers are forked at the first submit. Frozen, the objects they inherit from
        # this process (Django, WeasyPrint, the papers) are never walked by their garbage
        # collector, which would otherwise touch, and so copy, every inherited page of memory.
        gc.freeze()
        try:
            pending = {self._pool().submit(render_job, job) for job in jobs}  # submitted now, not when first read
        finally:
            gc.unfreeze()

        def collect():
            nonlocal pending
            while pending:
                finished, pending = wait(pending, timeout=5, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield future.result()
                if tick:
                    tick()

        return collect()

"""From a pack's content to its PDF bytes.

1. Render every paper not already cached, and the kit of page stamps, in parallel
   (render.py, stamps.py); meanwhile open each part as it comes and copy it into the pack.
2. The parts' page counts give each item's page range.
3. Render the front sheet with the true ranges.
4. Assemble: order the pages, join the structure trees, stamp each page (assemble.py).

Page numbers are stamped on rather than laid out with each paper, so a paper's rendering
does not depend on where it falls in the pack: an edit re-renders that paper alone (and
the front sheet, if a range changed).

Before publication the pre-render does all of this in the background and keeps each whole
pack (`prerender`, `preassembled`): the publication's build only copies it into place.
"""

import hashlib
import io
import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import get_template

from committee import appendices

from . import render, stamps
from .assemble import Assembler, PartPdf, Section, assemble, open_part
from .content import RENDERER_VERSION, PackContent, PackContentError, Part
from .render import CACHE_DIR, Job, RenderPool, cache_key, peak_memory_mb

logger = logging.getLogger(__name__)


def _assembly_version() -> str:
    """The version of the assembly code: the source of the modules that put a pack together
    and save it (this one, assemble.py, stamps.py, and pdfsafety.py, which cleans every part
    as it is copied in), so that any change to them makes every pack pre-assembled by the
    code before unfit to publish, without anyone having to remember to bump a number. (What
    the stamp kit and the front sheet print is checked by their cache keys: `_printed_keys`.)"""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in (here / "builder.py", here / "assemble.py", here / "stamps.py", here.parent / "pdfsafety.py"):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


ASSEMBLY_VERSION = _assembly_version()

ProgressFn = Callable[[int, str], None]


@dataclass
class BuildResult:
    pdf: bytes
    pages: int
    front_pages: int
    ranges: dict[str, list[int]]
    timings: dict = field(default_factory=dict)
    # The opened parts and the assembled document. Freeing them (qpdf's objects, a pack's
    # worth) takes a tenth of a second or more for 300 pages: held here, that happens once the
    # caller has saved and published the version, not before.
    held: tuple = field(default=(), repr=False)


def warm_up() -> None:
    """What every build needs and a worker process can do once, when it starts (see
    committee.pack.tasks): WeasyPrint's fonts loaded, and the templates of the papers compiled
    (Django's cached loader keeps them). A worker's first build is then as quick as the rest."""
    render.warm_up()
    folders = {"pdf", *(kind.template.split("/")[0] for kind in appendices.kinds())}
    for folder in sorted(folders):
        for path in sorted((settings.BASE_DIR / "templates" / folder).glob("*.html")):
            get_template(f"{folder}/{path.name}")


def build(
    content: PackContent,
    *,
    progress: ProgressFn | None = None,
    tick: Callable[[], None] | None = None,
    workers: int | None = None,
) -> BuildResult:
    with RenderPool(workers) as pool:
        return _build(content, pool, progress=progress, tick=tick)


@dataclass
class _PaperProgress:
    """Tells the officer how many papers are rendered ("Rendered 3 of 7 papers"), counting
    only the papers this build renders (not the stamp kit, nor what came from the cache)."""

    report: ProgressFn
    papers: set[str]
    done: int = 0

    def __call__(self, rendered, rendering) -> None:
        if rendered.key in self.papers:
            self.done += 1
            total = len(self.papers & rendering)
            self.report(10 + int(65 * self.done / total), f"Rendered {self.done} of {total} papers")


@dataclass
class _Papers:
    """The papers' round: every part opened (rendered or uploaded), and the stamp kit."""

    opened: dict[str, PartPdf]
    kit: object
    kit_pdf: bytes
    renders: list  # what the renderers reported, for the timings


def _build(
    content: PackContent, pool: RenderPool, *, progress: ProgressFn | None, tick: Callable[[], None] | None
) -> BuildResult:
    started = time.perf_counter()
    report = progress or (lambda percent, note: None)
    timings: dict = {"preassembled": False}
    pack = Assembler(lang="en-GB")

    # 1. Papers, and the kit the page stamps are drawn from.
    papers = _render_papers(content, pool, pack, report=report, tick=tick, timings=timings)
    timings["papers_seconds"] = round(time.perf_counter() - started, 3)

    # 2. Page ranges, numbered from 1 after the front sheet as councils do.
    step = time.perf_counter()
    sections_parts = [[papers.opened[part.key] for part in paper.parts] for paper in content.papers]
    ranges = _page_ranges(content, sections_parts)

    # 3. Front sheet.
    report(78, "Rendering the front sheet")
    front_html = content.front_sheet_html({k: tuple(v) for k, v in ranges.items()})
    front_job = Job(key=cache_key(front_html), html=front_html)
    finishing = pool.render_all([front_job], tick=tick)
    timings["front_sheet_rendered"] = not finishing[front_job.key].cached  # pre-rendered, or an unchanged range
    timings["front_sheet_seconds"] = round(time.perf_counter() - step, 3)

    # 4. Assemble.
    report(90, "Putting the pack together")
    step = time.perf_counter()
    front = open_part(Part(key="front-sheet", html=front_html), finishing[front_job.key].pdf)
    sections = [
        Section(number=paper.item.number, title=paper.item.title, parts=parts)
        for paper, parts in zip(content.papers, sections_parts, strict=True)
    ]
    pdf = assemble(
        pack,
        front=front,
        sections=sections,
        kit=(papers.kit, pikepdf.open(io.BytesIO(papers.kit_pdf))),
        title=content.title,
        author=settings.QUORUM_COUNCIL_NAME,
    )
    timings["assemble_seconds"] = round(time.perf_counter() - step, 3)
    timings["total_seconds"] = round(time.perf_counter() - started, 3)
    _memory_timings(timings, [*papers.renders, *finishing.values()])
    last_page = max((end for _, end in ranges.values()), default=0)
    return BuildResult(
        pdf=pdf,
        pages=front.pages + last_page,
        front_pages=front.pages,
        ranges=ranges,
        timings=timings,
        held=(pack, papers, front, sections),
    )


def _render_papers(
    content: PackContent, pool: RenderPool, pack: Assembler, *, report: ProgressFn, tick, timings: dict
) -> _Papers:
    """Render every paper not in the cache and the stamp kit, side by side; each part is
    opened as soon as it is at hand, and prepared for the pack once every part before it in
    the agenda is, while the renderers work on the rest. In agenda order, not the order the
    renderers finish in: the objects copied in are numbered as they come, and the saved file
    keeps that order, so the same content makes the same bytes (docs/packs.md, "Reproducible")."""
    parts = [part for paper in content.papers for part in paper.parts]
    keys = {part.key: cache_key(part.html) for part in parts if not part.is_upload}
    jobs = [Job(key=keys[part.key], html=part.html) for part in parts if not part.is_upload]
    kit, kit_job = _kit(content)
    opened: dict[str, PartPdf] = {part.key: open_part(part, part.upload) for part in parts if part.is_upload}
    by_digest: dict[str, list[Part]] = {}
    for part in parts:
        if not part.is_upload:
            by_digest.setdefault(keys[part.key], []).append(part)
    report(10, f"Rendering {len(jobs)} paper{'s' if len(jobs) != 1 else ''}")

    to_prepare = [part.key for part in parts if not part.is_upload]  # an upload is copied in as it is added

    def on_ready(rendered):
        for part in by_digest.get(rendered.key, []):
            opened[part.key] = open_part(part, rendered.pdf)
        while to_prepare and to_prepare[0] in opened:
            pack.prepare(opened[to_prepare.pop(0)])

    on_paper = _PaperProgress(report=report, papers={job.key for job in jobs})
    rendered = pool.render_all([*jobs, kit_job], on_ready=on_ready, on_done=on_paper, tick=tick)
    timings["papers"] = len(jobs)
    timings["papers_rendered"] = sum(1 for job in jobs if not rendered[job.key].cached)
    timings["kit_seconds"] = round(rendered[kit_job.key].seconds, 3)  # 0 when it came from the cache
    timings["paper_render_seconds"] = {
        key: round(rendered[digest].seconds, 3) for key, digest in keys.items() if not rendered[digest].cached
    }
    return _Papers(opened=opened, kit=kit, kit_pdf=rendered[kit_job.key].pdf, renders=list(rendered.values()))


def _kit(content: PackContent) -> tuple[list[stamps.Piece], Job]:
    """The stamp kit's pieces for this pack, and the job that renders them."""
    parts = [part for paper in content.papers for part in paper.parts]
    kit = stamps.pieces(notices=[part.notice for part in parts], items=[paper.item.number for paper in content.papers])
    kit_html = stamps.kit_html(kit)
    return kit, Job(key=cache_key(kit_html, tagged=False), html=kit_html, tagged=False)


def paper_keys(contents: list[PackContent]) -> set[str]:
    """The cache keys (content hashes) of every rendered paper of these packs."""
    return {
        cache_key(part.html)
        for content in contents
        for paper in content.papers
        for part in paper.parts
        if not part.is_upload
    }


def prerender(contents: list[PackContent], *, unchanged: set[str], workers: int | None = None) -> dict[str, list[str]]:
    """Render into the part cache what building these packs will need (services.papers_prerender):
    the papers whose cache key is in `unchanged` (the others are still being edited), each
    pack's stamp kit and, for a pack whose every paper is then in the cache, its front sheet
    with the page ranges they give, and then the whole pack, assembled and kept for the
    publication (`preassembled`). Each pack renders only what its own content holds: the
    public pack's content has no Part II paper in it (the gate), so none is rendered for it.
    Returns, for each pack kind, the names of its parts now in the cache ("front-sheet"
    included when it is, and "pack" when the whole pack is)."""
    wanted: dict[str, Job] = {}
    kits: dict[str, str] = {}  # each pack's stamp kit's key
    for content in contents:
        for paper in content.papers:
            for part in paper.parts:
                key = cache_key(part.html) if not part.is_upload else ""
                if key in unchanged:
                    wanted.setdefault(key, Job(key=key, html=part.html))
        kit_job = _kit(content)[1]
        wanted.setdefault(kit_job.key, kit_job)
        kits[content.kind] = kit_job.key
    ready: dict[str, list[str]] = {}
    complete: list[tuple[PackContent, dict[str, str]]] = []  # with what each pack prints
    with RenderPool(workers) as pool:
        rendered = pool.render_all(list(wanted.values()))
        fronts: list[Job] = []
        for content in contents:
            names, counts = [], []
            for paper in content.papers:
                counts.append([])
                for part in paper.parts:
                    if part.is_upload:
                        data = part.upload
                    else:
                        found = rendered.get(cache_key(part.html))
                        data = found.pdf if found else None
                    if data is None:
                        continue
                    names.append(part.key)
                    counts[-1].append(len(pikepdf.open(io.BytesIO(data)).pages))
            ready[content.kind] = names
            if len(names) == sum(len(paper.parts) for paper in content.papers):
                ranges = _ranges_from_counts(content, counts)
                html = content.front_sheet_html({k: tuple(v) for k, v in ranges.items()})
                fronts.append(Job(key=cache_key(html), html=html))
                names.append("front-sheet")
                complete.append((content, _printed(kits[content.kind], fronts[-1].key)))
        pool.render_all(fronts)
        # Every part of these packs is now in the cache: put each together once, as its build
        # would, and keep it for the publication (unless it is kept already).
        for content, printed in complete:
            key = assembly_key(content)
            if not _kept(key, printed):
                try:
                    _keep_assembled(content, _build(content, pool, progress=None, tick=None), key=key)
                except PackContentError as exc:  # an upload that cannot be read: the build will say so
                    logger.info(
                        "The %s pack of meeting %s is not pre-assembled: %s", content.kind, content.meeting.pk, exc
                    )
                    continue
            ready[content.kind].append("pack")
    return ready


# Pre-assembled packs ----------------------------------------------------------------------
#
# A pack assembled by the pre-render is kept in the part cache as two files: the PDF, named by
# its own SHA-256 and never written again, and a record named by what the pack contains
# (`assembly_key`) that gives that checksum and the pack's pages and ranges. A build finds it
# by its content alone: anything changed since (a paper, the agenda, an item made Part II, the
# renderer or the assembly code) makes another key, which has no record. Only the latest pack
# of each meeting, kind and scope is kept (`_keep_only_latest`): an agenda saved thirty times
# would otherwise keep sixty whole packs until the nightly prune (render.cache_prune).


def assembly_key(content: PackContent) -> str:
    """What the pack will contain: its content's digest (the front sheet's inputs, each paper's
    rendered HTML or uploaded bytes with its notice and bookmark, RENDERER_VERSION) with the
    pack's kind, scope and title, the assembly code's version and the fonts its papers are
    rendered with (`render.font_fingerprint`)."""
    h = hashlib.sha256(
        f"{ASSEMBLY_VERSION}|{RENDERER_VERSION}|fonts-{render.font_fingerprint()}|{content.kind}|{content.scope}|".encode()
    )
    h.update(f"{content.title}|{settings.QUORUM_COUNCIL_NAME}|{content.digest}".encode())
    return h.hexdigest()


def _printed_keys(content: PackContent, ranges: dict[str, list[int]]) -> dict[str, str]:
    """The cache keys of the two things printed on the pack that the content's digest does not
    cover: the stamp kit (its template draws the Part II marking and the page numbers) and the
    front sheet as printed, with its page ranges (the digest has it with none). Both are HTML
    rendered from templates, cheap beside the pack: compared at publication, a template changed
    since the pre-assembly means the kept pack is not the one the build would make."""
    front_html = content.front_sheet_html({k: tuple(v) for k, v in ranges.items()})
    return _printed(_kit(content)[1].key, cache_key(front_html))


def _printed(kit_key: str, front_sheet_key: str) -> dict[str, str]:
    """What a kept pack's record says it prints, as `_printed_keys` and the pre-render (which
    has both keys at hand) compare it."""
    return {"kit": kit_key, "front_sheet": front_sheet_key}


def _record_name(key: str) -> str:
    return f"{CACHE_DIR}/{key[:2]}/{key}.assembled.json"


def _latest_name(content: PackContent) -> str:
    """Where the name of the meeting's latest pre-assembled pack of this kind and scope is kept."""
    return f"{CACHE_DIR}/latest/meeting-{content.meeting.pk}-{content.kind}-{content.scope}.json"


def _keep_assembled(content: PackContent, result: BuildResult, *, key: str) -> None:
    checksum = hashlib.sha256(result.pdf).hexdigest()
    name = f"{CACHE_DIR}/{checksum[:2]}/{checksum}.pack.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(result.pdf))
    record = {
        "file": name,
        "sha256": checksum,
        "pages": result.pages,
        "front_pages": result.front_pages,
        "ranges": result.ranges,
        "printed": _printed_keys(content, result.ranges),
        "papers": result.timings.get("papers", 0),
        "assembled_seconds": result.timings.get("total_seconds"),
    }
    # The record alone is replaced (one that names a damaged file); the PDF never is.
    record_name = _record_name(key)
    _replace(record_name, record)
    _keep_only_latest(content, {"record": record_name, "file": name})


def _replace(name: str, data: dict) -> None:
    default_storage.delete(name)
    default_storage.save(name, ContentFile(json.dumps(data).encode()))


def _keep_only_latest(content: PackContent, kept: dict[str, str]) -> None:
    """Remove the meeting's previous pre-assembled pack of this kind and scope, now that another
    is kept: its content is no longer the agenda's, so no publication will be given it.

    Safe for a publication reading it at that moment: the record goes first, so no build finds
    it after; a build that read the record already either reads the whole file (an open file
    stays readable once removed) or finds it gone, or incomplete, and then builds the pack
    (`preassembled` checks its SHA-256). A published version is never this file: the
    publication saves a copy of its bytes as the version's own file (services.pack_build)."""
    pointer = _latest_name(content)
    try:
        with default_storage.open(pointer, "rb") as f:
            previous = json.loads(f.read())
    except (OSError, ValueError):  # the first kept (FileNotFoundError), or a damaged pointer
        previous = {}
    _replace(pointer, kept)
    if not isinstance(previous, dict):
        return
    for part in ("record", "file"):  # in this order
        name = previous.get(part)
        if isinstance(name, str) and name != kept[part] and name.startswith(f"{CACHE_DIR}/"):
            default_storage.delete(name)


def _record(key: str) -> dict:
    """The record of the pack pre-assembled for this assembly key (FileNotFoundError if none)."""
    with default_storage.open(_record_name(key), "rb") as f:
        return json.loads(f.read())


def _kept(key: str, printed: dict[str, str]) -> bool:
    """Whether the pre-render need not assemble this pack: one is kept for this assembly key,
    printing what it would print now (`_printed_keys`, which the pre-render has at hand), and
    its file is there. Its record alone is read: reading and hashing the whole PDF (tens of
    megabytes for a long agenda) at every save would cost more than the check saves. A file
    damaged since is caught where it would do harm, at publication (`preassembled`), which
    then builds the pack."""
    try:
        record = _record(key)
        return record["printed"] == printed and default_storage.exists(record["file"])
    except (OSError, ValueError, KeyError, TypeError):  # not kept (FileNotFoundError), or a damaged record
        return False


def preassembled(content: PackContent) -> BuildResult | None:
    """The pack the pre-render assembled for exactly this content, if it is kept, intact (its
    SHA-256 is the one recorded) and what the build would print now (`_printed_keys`); None
    otherwise, and the build makes the pack itself."""
    started = time.perf_counter()
    try:
        record = _record(assembly_key(content))
        pages, front_pages, ranges = int(record["pages"]), int(record["front_pages"]), dict(record["ranges"])
        if record["printed"] != _printed_keys(content, ranges):
            logger.info("A pre-assembled agenda pack (%s) prints what has changed since: built instead", record["file"])
            return None
        with default_storage.open(record["file"], "rb") as f:
            pdf = f.read()
        if hashlib.sha256(pdf).hexdigest() != record["sha256"]:
            logger.warning("A pre-assembled agenda pack (%s) is damaged: the pack is built instead", record["file"])
            return None
    except (OSError, ValueError, KeyError, TypeError):  # not kept (FileNotFoundError), or a damaged record
        return None
    timings = {
        "preassembled": True,
        "papers": record.get("papers", 0),
        "papers_rendered": 0,
        "kit_seconds": 0,
        "front_sheet_rendered": False,
        "total_seconds": round(time.perf_counter() - started, 3),
    }
    return BuildResult(pdf=pdf, pages=pages, front_pages=front_pages, ranges=ranges, timings=timings)


def _page_ranges(content: PackContent, sections_parts: list[list[PartPdf]]) -> dict[str, list[int]]:
    return _ranges_from_counts(content, [[p.pages for p in item_parts] for item_parts in sections_parts])


def _ranges_from_counts(content: PackContent, counts: list[list[int]]) -> dict[str, list[int]]:
    """Each item's first and last page, numbered from 1 after the front sheet."""
    ranges: dict[str, list[int]] = {}
    folio = 1
    for paper, item_counts in zip(content.papers, counts, strict=True):
        count = sum(item_counts)
        ranges[paper.item.number] = [folio, folio + count - 1]
        folio += count
    return ranges


def _memory_timings(timings: dict, renders: list) -> None:
    # The renderer processes' peaks; what the builder rendered itself counts as the builder's.
    peaks = [r.peak_rss_mb for r in renders if r.pid not in (0, os.getpid())]
    timings["peak_rss_mb_renderers"] = round(max(peaks), 1) if peaks else None
    timings["peak_rss_mb_builder"] = round(peak_memory_mb(), 1)

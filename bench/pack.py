"""`make bench-pack`: the agenda pack's speed and memory against its targets.

For the demo meeting's pack and a synthetic 300-page pack, on this machine:

- the one-document WeasyPrint render of the same pack (the baseline: bench/one_document.py);
- a cold build (empty part cache) as the worker does it (committee.pack.builder);
- a rebuild after one report is edited, against that report's own render time;
- peak memory of every process, and checks that each result is tagged, bookmarked and
  has true page ranges and numbers.

Each measurement runs in a fresh process so that memory and warm caches do not carry over.
Prints a Markdown table (paste into docs/benchmarks.md) and the raw figures as JSON.
Usage: QUORUM_VAR_DIR=var/bench python bench/pack.py [--pages 300] [--repeat 5] [--repeat-large 3]
"""

import argparse
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("QUORUM_VAR_DIR", str(ROOT / "var" / "bench"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.machine import one_cpu_seconds  # noqa: E402
from committee import services  # noqa: E402
from committee.models import AgendaItem, Meeting, Report  # noqa: E402

BENCH_SLUG = "benchmark-committee"
TEXT = (
    "The service has reviewed its performance against the targets agreed by the Cabinet, "
    "and the variances are explained below together with the actions the directorate has "
    "taken and the risks that remain, so that members can judge whether the plan is on track. "
)


# Fixtures ---------------------------------------------------------------------------------


def _table(rows: int, n: int) -> str:
    head = "".join(f'<th scope="col">Measure {c}</th>' for c in range(1, 9))
    body = "".join(
        "<tr>"
        + "".join(f"<td>{(r * 7 + c * 3 + n) % 97} {TEXT[: 20 + (r + c) % 40]}</td>" for c in range(1, 9))
        + "</tr>"
        for r in range(rows)
    )
    return f"<table><caption>Table {n}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def synthetic_meeting(pages: int) -> Meeting:
    """A meeting whose public pack is about `pages` long: reports of prose and tables."""
    from committee.models import Committee, Venue

    committee, _ = Committee.objects.get_or_create(slug=BENCH_SLUG, defaults={"name": "Benchmark Committee"})
    meeting = Meeting.objects.filter(committee=committee).first()
    if meeting is not None:
        return meeting
    venue, _ = Venue.objects.get_or_create(name="Committee Room 'B'", address="County Hall, Preston")
    meeting = services.meeting_save(
        meeting=Meeting(committee=committee, venue=venue, starts_at=timezone.now() + timedelta(days=40))
    )
    reports = max(1, round(pages / 12.5))
    for n in range(1, reports + 1):
        item = AgendaItem.objects.create(meeting=meeting, order=n, number=str(n), title=f"Performance Report {n}")
        Report.objects.create(
            agenda_item=item,
            title=f"Performance Report {n}",
            report_of="Director of Corporate Services",
            executive_summary=f"<p>{TEXT}</p>" * 3,
            recommendation="<p>The Committee is asked to note the report.</p>",
            background_and_advice="".join(f"<h3>Section {s}</h3>" + f"<p>{TEXT}</p>" * 16 for s in range(1, 7))
            + _table(45, n),
            risk_management=f"<p>{TEXT}</p>" * 4,
        )
    Meeting.objects.filter(pk=meeting.pk).update(agenda_published_at=timezone.now(), status="agenda_published")
    return Meeting.objects.get(pk=meeting.pk)


# Checks -----------------------------------------------------------------------------------


def check(pdf_data: bytes) -> dict:
    """Tagged, bookmarked, and every front sheet range is where its paper is."""
    import pikepdf
    import pypdfium2

    pdf = pikepdf.open(io.BytesIO(pdf_data))
    tagged = (
        "/StructTreeRoot" in pdf.Root and bool(pdf.Root.get("/MarkInfo", {}).get("/Marked")) and "/Lang" in pdf.Root
    )
    with pdf.open_outline() as outline:
        bookmarks = sum(1 for _ in outline.walk()) if hasattr(outline, "walk") else len(outline.root)
    # PDFium reads a 300-page pack's text in a second or two; pdfplumber takes minutes.
    doc = pypdfium2.PdfDocument(pdf_data)
    texts = [re.sub(r"\r\n?", "\n", page.get_textpage().get_text_range()) for page in doc]
    front = " ".join(texts[0].split())
    folios = {}
    for index, text in enumerate(texts):
        # A register row continued on to the page has its label ("CR1 (continued)") stamped
        # with the folio, and PDFium reads the two stamps as one line.
        found = re.findall(r"^(?:\S+ \(continued\) )?Page (\d+)$", text, flags=re.MULTILINE)
        if found:
            folios[int(found[-1])] = index
    numbered_in_order = list(folios.values()) == sorted(folios.values()) and list(folios) == list(
        range(1, len(folios) + 1)
    )
    ranges = re.findall(r"(\d+)\. ([^()]+?) \(Pages (\d+) - (\d+)\)", front)
    true_ranges = bool(ranges)
    previous_end = 0
    for _number, title, start, end in ranges:
        start, end = int(start), int(end)
        page = texts[folios[start]] if start in folios else ""
        first_words = title.strip()[:25]
        if start != previous_end + 1 or (
            first_words not in " ".join(page.split()) and "Minutes of the Meeting" not in page
        ):
            true_ranges = False
        previous_end = end
    return {
        "pages": len(texts),
        "tagged": tagged,
        "bookmarks": bookmarks,
        "numbered": numbered_in_order,
        "ranges": len(ranges),
        "ranges_true": true_ranges,
    }


# Measurements (each in its own process) ---------------------------------------------------


def warm_up() -> None:
    """Every measurement starts as a worker process does (committee.pack.tasks): fonts loaded and
    the papers' templates compiled. The one-document render gets the same start."""
    from committee.pack.builder import warm_up

    warm_up()


def _peak_mb() -> float:
    from committee.pack.render import peak_memory_mb

    return round(peak_memory_mb(), 1)


def measure_one_document(meeting_id: int, out: str) -> dict:
    import weasyprint

    from bench.one_document import one_document_html
    from committee.pack.content import gather

    meeting = Meeting.objects.get(pk=meeting_id)
    warm_up()
    load = os.getloadavg()[0]
    started = time.perf_counter()
    content = gather(meeting, kind="public", scope="full")
    html = one_document_html(content)
    weasyprint.HTML(string=html).write_pdf(out, pdf_variant="pdf/ua-1")
    return {"seconds": round(time.perf_counter() - started, 2), "peak_rss_mb": _peak_mb(), "load": round(load, 1)}


def measure_cold(meeting_id: int, media: str, out: str) -> dict:
    from django.conf import settings

    settings.MEDIA_ROOT = media  # an empty part cache: a cold build
    from committee.pack import builder
    from committee.pack.content import gather

    meeting = Meeting.objects.get(pk=meeting_id)
    warm_up()
    load = os.getloadavg()[0]
    started = time.perf_counter()
    result = builder.build(gather(meeting, kind="public", scope="full"))
    seconds = time.perf_counter() - started
    Path(out).write_bytes(result.pdf)
    return {
        "seconds": round(seconds, 2),
        "load": round(load, 1),
        "peak_rss_mb_builder": result.timings["peak_rss_mb_builder"],
        "peak_rss_mb_renderers": result.timings["peak_rss_mb_renderers"],
        "timings": result.timings,
    }


def measure_rebuild(meeting_id: int, media: str, out: str) -> dict:
    """Edit the longest report (the worst case) and build again on the warm part cache."""
    from django.conf import settings

    settings.MEDIA_ROOT = media
    from committee.pack import builder
    from committee.pack.content import gather

    meeting = Meeting.objects.get(pk=meeting_id)
    content = gather(meeting, kind="public", scope="full")
    paper = max(
        (p for p in content.papers if p.item.report_if_readable is not None), key=lambda p: len(p.parts[0].html)
    )
    report = Report.objects.get(agenda_item=paper.item)
    original = report.executive_summary
    report.executive_summary = original + "<p>Corrected after publication.</p>"
    report.save()
    warm_up()
    try:
        load = os.getloadavg()[0]
        started = time.perf_counter()
        result = builder.build(gather(meeting, kind="public", scope="full"))
        seconds = time.perf_counter() - started
    finally:
        Report.objects.filter(pk=report.pk).update(executive_summary=original)
    Path(out).write_bytes(result.pdf)
    return {
        "seconds": round(seconds, 2),
        "load": round(load, 1),
        "report": paper.item.title,
        "report_render_seconds": result.timings["paper_render_seconds"].get(f"item-{paper.item.number}-report"),
        "papers_rendered": result.timings["papers_rendered"],
        "peak_rss_mb_builder": result.timings["peak_rss_mb_builder"],
        "timings": result.timings,
    }


def measure_publish(meeting_id: int) -> dict:
    """Instant packs on publish: the meeting's papers are saved before publication (so the
    worker pre-renders them), and at least 30 s later the agenda is published; measured from
    the service call to both full packs being ready (downloadable), built by a real Celery
    worker (2 processes, as the README's production section runs it) on the configured
    broker, with a part cache emptied before the save. The meeting is made unpublished and
    its pack versions deleted first: only in a benchmark's own database."""
    import shutil
    import signal

    from django.conf import settings
    from django.db import connection, transaction

    from committee.models import AgendaPack
    from committee.pack.content import kinds_needed
    from config.celery import app

    name = str(connection.settings_dict["NAME"])
    if "bench" not in name or "bench" not in str(settings.MEDIA_ROOT):
        raise SystemExit(f"The publish measurement changes its meeting: run it on a benchmark's own database ({name})")
    if connection.vendor == "sqlite":
        # Readers that do not hold up writers, as on PostgreSQL: this process polls the packs
        # while the worker's two builds write theirs.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
    meeting = Meeting.objects.get(pk=meeting_id)
    before = {"status": meeting.status, "agenda_published_at": meeting.agenda_published_at}
    AgendaPack.objects.filter(meeting=meeting).delete()
    Meeting.objects.filter(pk=meeting_id).update(status="draft", agenda_published_at=None)
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "packs" / "parts", ignore_errors=True)

    node = f"bench-pack-{os.getpid()}@localhost"
    worker = subprocess.Popen(  # noqa: S603 - Celery, with our own arguments
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency", "2", "-n", node, "-l", "WARNING"],
        cwd=ROOT,
        env=os.environ.copy(),
        start_new_session=True,  # its pool goes with it (killpg below)
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait(lambda: app.control.ping(destination=[node], timeout=0.5), "the worker to start", 60)
        officer = _bench_officer()
        saved = time.perf_counter()
        with transaction.atomic():  # an officer's save: the pre-render is asked for when it commits
            services.papers_changed(meeting=Meeting.objects.get(pk=meeting_id), by=officer)
        _wait(lambda: _idle(app, node), "the pre-render", 600, poll=0.5, after=2)
        prerendered = time.perf_counter() - saved
        time.sleep(max(0.0, 30 - (time.perf_counter() - saved)))  # saved at least 30 s before publication
        # This process stands for a web process that has served pages before the click: the
        # message queue's producer is connected (the save above) and the bank holidays that
        # the five-clear-days check reads are loaded (the admin shows the deadline).
        services.meeting_deadline(meeting=Meeting.objects.get(pk=meeting_id))

        load = os.getloadavg()[0]
        clicked = timezone.now()
        started = time.perf_counter()
        with transaction.atomic():  # the builds are sent when the publication commits
            services.meeting_publish_agenda(
                meeting=Meeting.objects.get(pk=meeting_id), by=officer, late_reasons="Benchmark."
            )
        # The public pack, and the confidential one where the meeting has Part II papers for it.
        needed = len(kinds_needed(Meeting.objects.get(pk=meeting_id)))
        ready = AgendaPack.objects.filter(meeting_id=meeting_id, scope="full", is_preview=False, status="ready")
        _wait(lambda: ready.count() == needed, "the meeting's packs", 120, poll=0.01)
        seconds = time.perf_counter() - started
        packs = {pack.kind: pack for pack in ready}
        return {
            "seconds": round(seconds, 2),
            "load": round(load, 1),
            "prerender_seconds": round(prerendered, 1),
            "papers_rendered": {kind: pack.timings.get("papers_rendered") for kind, pack in packs.items()},
            "front_sheet_rendered": {kind: pack.timings.get("front_sheet_rendered") for kind, pack in packs.items()},
            "build_seconds": {kind: pack.timings.get("total_seconds") for kind, pack in packs.items()},
            # Published from the pack the pre-render assembled (not rendered or assembled again),
            # and the CPU each build took (the machine is shared: time alone says little).
            "preassembled": {kind: pack.timings.get("preassembled") for kind, pack in packs.items()},
            "cpu_seconds": {kind: pack.timings.get("cpu_seconds") for kind, pack in packs.items()},
            # When each build was sent, claimed by a worker and made ready, after the click.
            "sent_claimed_ready": {
                kind: [
                    round((moment - clicked).total_seconds(), 3) for moment in (p.sent_at, p.started_at, p.finished_at)
                ]
                for kind, p in packs.items()
            },
            "pdf": {kind: pack.file.path for kind, pack in packs.items()},
        }
    finally:
        worker.terminate()  # a warm shutdown: the worker stops its own pool
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        Meeting.objects.filter(pk=meeting_id).update(**before)


def _bench_officer():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench-officer", defaults={"is_staff": True})
    return user


def _idle(app, node: str) -> bool:
    inspect = app.control.inspect(destination=[node], timeout=0.5)
    found = [inspect.active(), inspect.reserved(), inspect.scheduled()]
    return all(f is not None and not any(f.values()) for f in found)


def _wait(ready, what: str, limit: float, *, poll: float = 0.2, after: float = 0) -> None:
    time.sleep(after)
    deadline = time.perf_counter() + limit
    while not ready():
        if time.perf_counter() > deadline:
            raise SystemExit(f"Gave up waiting for {what} after {limit} s")
        time.sleep(poll)


def _child(*args: str) -> dict:
    out = subprocess.run(  # noqa: S603 - this script, with our own arguments
        [sys.executable, __file__, *args], capture_output=True, text=True, env=os.environ.copy(), check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _best(runs: list[dict]) -> dict:
    """The fastest run, with the highest memory peak and every check of all runs."""
    best = dict(min(runs, key=lambda r: r["seconds"]))
    for key in ("peak_rss_mb", "peak_rss_mb_builder", "peak_rss_mb_renderers"):
        values = [r[key] for r in runs if r.get(key) is not None]
        if values:
            best[key] = max(values)
    for key in ("tagged", "numbered", "ranges_true"):
        best[key] = all(r[key] for r in runs)
    best["all_seconds"] = [r["seconds"] for r in runs]
    return best


MODES = {"one": measure_one_document, "cold": measure_cold, "rebuild": measure_rebuild, "publish": measure_publish}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="runs of each measurement of the demo pack, interleaved; the fastest counts",
    )
    parser.add_argument(
        "--repeat-large", type=int, default=3, help="the same for the synthetic pack (ten times longer to run)"
    )
    parser.add_argument(
        "--repeat-publish", type=int, default=3, help="publications of the demo meeting after its papers were saved"
    )
    parser.add_argument("--repeat-publish-large", type=int, default=2, help="the same for the synthetic meeting")
    parser.add_argument("mode", nargs="?", default="all")
    parser.add_argument("args", nargs="*")
    options = parser.parse_args()
    if options.mode in MODES:
        meeting_id, *rest = options.args
        print(json.dumps(MODES[options.mode](int(meeting_id), *rest)))
        return

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    from committee.demo import demo_meeting

    subjects = [
        ("Demo pack (27 June 2018)", demo_meeting("2018-06-27").pk, options.repeat, options.repeat_publish, 1.0),
        (
            f"Synthetic {options.pages}-page pack",
            synthetic_meeting(options.pages).pk,
            options.repeat_large,
            options.repeat_publish_large,
            2.0,
        ),
    ]
    from django.conf import settings

    publishing = settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
    if not publishing:
        print(
            "Publish runs skipped: they need a Celery worker on Redis, as in production (CELERY_BROKER_URL).",
            file=sys.stderr,
        )
    results = {"cpus": os.cpu_count(), "one_cpu_seconds": one_cpu_seconds(), "packs": []}
    for name, meeting_id, repeat, repeat_publish, publish_target in subjects:
        runs: dict[str, list[dict]] = {"one": [], "cold": [], "rebuild": []}
        for _ in range(repeat):
            # Interleaved, so that other work on the machine weighs on each alike.
            with tempfile.TemporaryDirectory() as work:
                media = str(Path(work) / "media")
                for mode, args in (
                    ("one", [f"{work}/one.pdf"]),
                    ("cold", [media, f"{work}/cold.pdf"]),
                    ("rebuild", [media, f"{work}/rebuild.pdf"]),
                ):
                    run = _child(mode, str(meeting_id), *args)
                    run.update(check(Path(args[-1]).read_bytes()))
                    runs[mode].append(run)
        one, cold, rebuild = (_best(runs[mode]) for mode in ("one", "cold", "rebuild"))
        publish = []
        for _ in range(repeat_publish if publishing else 0):
            run = _child("publish", str(meeting_id))
            run["checks"] = {kind: check(Path(path).read_bytes()) for kind, path in run.pop("pdf").items()}
            publish.append(run)
        results["packs"].append(
            {
                "name": name,
                "one_document": one,
                "cold": cold,
                "rebuild": rebuild,
                "publish": publish,
                "publish_target": publish_target,
                "runs": runs,
            }
        )
        print(
            f"{name}: one document {one['seconds']} s; cold {cold['seconds']} s; rebuild {rebuild['seconds']} s",
            file=sys.stderr,
        )

    print(markdown(results))
    print(json.dumps(results))


def markdown(results: dict) -> str:
    lines = [
        f"Machine: {results['cpus']} cores; one CPU's speed before the runs: ten million additions in a Python loop "
        f"in {results.get('one_cpu_seconds', '?')} s (fastest of 5; lower is faster). Times in seconds (the fastest of the interleaved runs), memory as the "
        "highest peak resident set of any one process in any run; load is the 1-minute load average when the "
        "fastest run started (other work on the machine).",
        "",
        "| Pack | Pages | One document (load) | Cold build (load) | Ratio (target <= 0.55) | Rebuild after an edit (load) | Edited report's own render + 1 s | Peak MB one document | Peak MB build (builder / renderers) | Tagged, bookmarked, ranges and numbers true |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for p in results["packs"]:
        one, cold, re_ = p["one_document"], p["cold"], p["rebuild"]
        ratio = cold["seconds"] / one["seconds"]
        own = (re_["report_render_seconds"] or 0) + 1
        ok = all(r["tagged"] and r["numbered"] and r["ranges_true"] and r["bookmarks"] for r in (cold, re_))
        one_ok = one["tagged"] and one["numbered"] and one["ranges_true"]
        lines.append(
            f"| {p['name']} | {cold['pages']} | {one['seconds']} ({one['load']}) | {cold['seconds']} ({cold['load']}) "
            f"| {ratio:.2f} {'met' if ratio <= 0.55 else 'NOT met'} "
            f"| {re_['seconds']} ({re_['load']}) | {own:.2f} {'met' if re_['seconds'] <= own else 'NOT met'} "
            f"| {one['peak_rss_mb']} | {cold['peak_rss_mb_builder']} / {cold['peak_rss_mb_renderers']} "
            f"{'met' if max(cold['peak_rss_mb_builder'], cold['peak_rss_mb_renderers'] or 0, re_['peak_rss_mb_builder']) <= one['peak_rss_mb'] else 'NOT met'} "
            f"| {'yes' if ok else 'NO'} (one document: {'yes' if one_ok else 'NO'}) |"
        )
    lines += [
        "",
        "Publication after the papers were saved (pre-rendered) at least 30 s before: from the service call to both "
        "full packs ready, built by a Celery worker of 2 processes; load is the 1-minute load average at the click.",
        "",
        "| Pack | Runs: seconds (load) | Target | Papers rendered at publication (public / confidential) | Front sheet rendered | Pre-assembled pack published | Builds' CPU s (public / confidential) | Pre-render took (s) | Tagged, bookmarked, ranges and numbers true |",
        "| --- | --- | ---: | --- | --- | --- | --- | --- | --- |",
    ]
    for p in results["packs"]:
        runs = p.get("publish") or []
        if not runs:
            continue
        worst = max(r["seconds"] for r in runs)
        ok = all(
            c["tagged"] and c["numbered"] and c["ranges_true"] and c["bookmarks"]
            for r in runs
            for c in r["checks"].values()
        )
        timed = ", ".join(f"{r['seconds']} ({r['load']})" for r in runs)
        rendered = ", ".join(
            f"{r['papers_rendered'].get('public')} / {r['papers_rendered'].get('confidential')}" for r in runs
        )
        fronts = ", ".join("yes" if any(r["front_sheet_rendered"].values()) else "no" for r in runs)
        took = ", ".join(str(r["prerender_seconds"]) for r in runs)
        whole = ", ".join("yes" if r.get("preassembled") and all(r["preassembled"].values()) else "no" for r in runs)
        cpu = ", ".join(
            f"{r.get('cpu_seconds', {}).get('public')} / {r.get('cpu_seconds', {}).get('confidential')}" for r in runs
        )
        met = "met" if worst <= p["publish_target"] else "NOT met"
        lines.append(
            f"| {p['name']} | {timed} | {p['publish_target']:.0f} s: {met} (slowest {worst}) | {rendered} | {fronts} "
            f"| {whole} | {cpu} | {took} | {'yes' if ok else 'NO'} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()

"""What each of the renderers' settings saves, on the demo pack (`make bench-pack` runs it last).

docs/packs.md ("What else a render costs") gives these figures; this measures them. The
demo's public pack's papers and stamp kit are rendered in one process, each way several
times over, the ways interleaved so that other work on the machine weighs on each alike:

- one after another, fonts subset by fontTools (WeasyPrint's fallback when HarfBuzz's
  subsetter is missing), a new font configuration per paper;
- the same with HarfBuzz's subsetter;
- the same with one font configuration for every paper (committee.pack.render.render_job);
- in a pool of two processes with Python's default garbage collection;
- in the build's own pool of two (committee.pack.render.RenderPool: objects frozen before
  the fork, higher collection thresholds in the renderers).

Usage: QUORUM_VAR_DIR=var/bench-pack python bench/render_costs.py [--rounds 4]
"""

import argparse
import gc
import io
import multiprocessing
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("QUORUM_VAR_DIR", str(ROOT / "var" / "bench-pack"))

import django  # noqa: E402

django.setup()

import weasyprint  # noqa: E402
import weasyprint.pdf.fonts  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import override_settings  # noqa: E402

from committee.pack import builder, render, stamps  # noqa: E402
from committee.pack.render import Job, render_job  # noqa: E402

HARFBUZZ_SUBSET = weasyprint.pdf.fonts.harfbuzz_subset


def demo_jobs() -> list[Job]:
    """The demo public pack's papers and stamp kit, longest first (as the build orders them)."""
    from committee.demo import demo_meeting
    from committee.pack.content import gather

    content = gather(demo_meeting("2018-06-27"), kind="public", scope="full")
    parts = [part for paper in content.papers for part in paper.parts if not part.is_upload]
    kit = stamps.pieces(notices=[part.notice for part in parts], items=[paper.item.number for paper in content.papers])
    jobs = [Job(key=part.key, html=part.html) for part in parts]
    jobs.append(Job(key="stamp kit", html=stamps.kit_html(kit), tagged=False))
    return sorted(jobs, key=lambda job: len(job.html), reverse=True)


def _plain(job: Job) -> None:
    """A paper as WeasyPrint renders it by default: a font configuration of its own."""
    options = {"pdf_variant": "pdf/ua-1"} if job.tagged else {}
    weasyprint.HTML(string=job.html).write_pdf(**options)


def one_after_another(jobs: list[Job], *, harfbuzz: bool, shared_fonts: bool) -> dict:
    weasyprint.pdf.fonts.harfbuzz_subset = HARFBUZZ_SUBSET if harfbuzz else None
    try:
        started = time.perf_counter()
        for job in jobs:
            render_job(job) if shared_fonts else _plain(job)
        return {"seconds": time.perf_counter() - started}
    finally:
        weasyprint.pdf.fonts.harfbuzz_subset = HARFBUZZ_SUBSET


def pool_of_two(jobs: list[Job], *, tuned: bool) -> dict:
    """Wall time, the renders' own times added up, and the renderers' peak memory."""
    started = time.perf_counter()
    if tuned:
        # As a cold build renders: an empty part cache of its own.
        with (
            tempfile.TemporaryDirectory() as media,
            override_settings(MEDIA_ROOT=media),
            render.RenderPool(workers=2) as pool,
        ):
            finished = list(pool.render_all(jobs).values())
    else:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(2, mp_context=context) as executor:
            finished = list(executor.map(render_job, jobs))
    return {
        "seconds": time.perf_counter() - started,
        "render_seconds": sum(r.seconds for r in finished),
        "peak_mb": max(r.peak_rss_mb for r in finished),
    }


WAYS = {
    "One after another: fontTools subsets, a font configuration per paper": lambda jobs: one_after_another(
        jobs, harfbuzz=False, shared_fonts=False
    ),
    "One after another: HarfBuzz subsets, a font configuration per paper": lambda jobs: one_after_another(
        jobs, harfbuzz=True, shared_fonts=False
    ),
    "One after another: HarfBuzz, one font configuration (the build's)": lambda jobs: one_after_another(
        jobs, harfbuzz=True, shared_fonts=True
    ),
    "Pool of two: Python's default garbage collection": lambda jobs: pool_of_two(jobs, tuned=False),
    "Pool of two: the build's (frozen before the fork, higher thresholds)": lambda jobs: pool_of_two(jobs, tuned=True),
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=4, help="times each way is measured, interleaved")
    options = parser.parse_args()
    if HARFBUZZ_SUBSET is None:
        sys.exit("HarfBuzz's subsetter is not installed (make system-check installs it): nothing to compare.")
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())  # without the demo logins
    builder.warm_up()  # as a worker starts
    jobs = demo_jobs()
    gc.collect()
    runs: dict[str, list[dict]] = {name: [] for name in WAYS}
    for _ in range(options.rounds):
        for name, way in WAYS.items():
            runs[name].append(way(jobs))

    print(f"Demo pack: {len(jobs)} documents (papers, register pieces, stamp kit); {options.rounds} rounds.\n")
    print("| Way | Seconds (fastest - slowest) | Renders added up | Peak MB, a renderer |")
    print("| --- | ---: | ---: | ---: |")
    for name, results in runs.items():
        seconds = sorted(r["seconds"] for r in results)
        renders = sorted(r["render_seconds"] for r in results if "render_seconds" in r)
        peak = max((r["peak_mb"] for r in results if "peak_mb" in r), default=None)
        print(
            f"| {name} | {seconds[0]:.2f} - {seconds[-1]:.2f} "
            f"| {f'{renders[0]:.2f} - {renders[-1]:.2f}' if renders else ''} "
            f"| {f'{peak:.0f}' if peak else ''} |"
        )


if __name__ == "__main__":
    main()

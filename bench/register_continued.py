"""What labelling continued register rows costs (docs/packs.md, "A continued row names
itself"): the demo pack's risk register appendix, each of its pieces rendered as the build
renders it (committee.pack.render.render_job), with its rows labelled and without (the
`data-continued-label` attributes taken out: the render as it was before), the two ways
interleaved, several rounds, in one warm process.

Usage: QUORUM_VAR_DIR=var/bench-pack python bench/register_continued.py [--rounds 5]
"""

import argparse
import io
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("QUORUM_VAR_DIR", str(ROOT / "var" / "bench-pack"))

import django  # noqa: E402

django.setup()

import pikepdf  # noqa: E402
from django.core.management import call_command  # noqa: E402

from committee.pack import builder, render  # noqa: E402
from committee.pack.render import Job, render_job  # noqa: E402

UNLABELLED = re.compile(rf' {render.CONTINUED_LABEL}="[^"]*"')


def register_jobs() -> list[Job]:
    """The pieces of the demo's register appendix (Appendix 'A' of item 4), as the build
    renders them."""
    from committee.demo import demo_meeting
    from committee.pack.content import gather

    content = gather(demo_meeting("2018-06-27"), kind="public", scope="full")
    parts = [part for paper in content.papers for part in paper.parts if part.key.startswith("item-4-appendix-A")]
    return [Job(key=part.key, html=part.html) for part in parts]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5, help="times each way is measured, interleaved")
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())  # without the demo logins
    builder.warm_up()  # as a worker starts
    labelled = register_jobs()
    ways = {
        "unlabelled (before)": [Job(key=job.key, html=UNLABELLED.sub("", job.html)) for job in labelled],
        "labelled (now)": labelled,
    }
    for job in labelled:  # once each way first: fonts and caches warm
        render_job(job)
    times: dict[str, dict[str, list[float]]] = {name: {job.key: [] for job in labelled} for name in ways}
    for _ in range(options.rounds):
        for name, jobs in ways.items():
            for job in jobs:
                times[name][job.key].append(render_job(job).seconds)

    # The extra steps alone, which the whole renders' times (above) hide in their noise: the
    # walk of the laid-out pages (every labelled paper), and the labels' kit render and
    # drawing (only a paper with a continued row).
    continued: dict[str, int] = {}
    steps: dict[str, list[float]] = {"walk": [], "kit": [], "draw": []}
    for job in labelled:
        document, pdf = render._render(job.html, tagged=True)
        for _ in range(options.rounds):
            started = time.perf_counter()
            found = render.continued_rows(document)
            steps["walk"].append(time.perf_counter() - started)
            continued[job.key] = len(found)
            if found:
                started = time.perf_counter()
                mark = render._continuation_marker(found)
                steps["kit"].append(time.perf_counter() - started)
                with pikepdf.open(io.BytesIO(pdf)) as opened:  # opened and saved by repair_structure anyway
                    started = time.perf_counter()
                    mark(opened)
                    steps["draw"].append(time.perf_counter() - started)
    load = os.getloadavg()[0]
    print(
        f"Demo register appendix: {len(labelled)} pieces; {options.rounds} rounds, medians in seconds; load {load:.1f}.\n"
    )
    print("| Piece | Continued rows labelled | Before | Now | Extra |")
    print("| --- | ---: | ---: | ---: | ---: |")
    totals = dict.fromkeys(ways, 0.0)
    for job in labelled:
        before, now = (statistics.median(times[name][job.key]) for name in ways)
        totals["unlabelled (before)"] += before
        totals["labelled (now)"] += now
        print(f"| {job.key} | {continued[job.key]} | {before:.3f} | {now:.3f} | {now - before:+.3f} |")
    before, now = totals.values()
    print(f"| All pieces | {sum(continued.values())} | {before:.3f} | {now:.3f} | {now - before:+.3f} |")
    print("\nThe extra steps alone, medians in milliseconds, per piece:")
    for name, what in (
        ("walk", "reading the laid-out pages"),
        ("kit", "the labels' kit"),
        ("draw", "drawing the labels on the opened paper"),
    ):
        print(f"- {what}: {statistics.median(steps[name]) * 1000:.1f} ms" if steps[name] else f"- {what}: none")


if __name__ == "__main__":
    main()

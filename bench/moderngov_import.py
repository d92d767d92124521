"""`make bench-moderngov`: bench-web's archive (bench/web/fill.py, 5,000 meetings at full
scale) served by Quorum's own ModernGov web service under gunicorn, saved to a folder by
`save_moderngov`, imported from the folder into an empty database; then a second run, which
must change nothing. Prints time, peak memory and counts for each step (docs/moderngov.md).

    .venv/bin/python -m bench.moderngov_import [--scale 0.05] [--reuse] [--documents 200]

The source database is BENCH_DATABASE_URL (bench-web's, default quorum_bench): filled afresh,
or with --reuse taken as it is when it already holds meetings (after `bench.web.run --keep`).
The import goes into BENCH_IMPORT_DATABASE_URL (default quorum_bench_moderngov), recreated.

`--generated` runs the earlier form instead: importing a ModernGov archive the size of bench-web's (40
committees, 5,000 meetings over ten years, ten items each, councillors in wards) from a
folder of saved answers into an empty database; then a second run, which must change
nothing. Documents: bench-web's archive has 100,000; each PDF is checked in its own process
as an upload is (committee/pdfsafety.py), so this run fetches a sample (DOCUMENTS) and
reports the time per document. Prints time, peak memory and counts (docs/moderngov.md).

    DATABASE_URL=postgres://…/empty QUORUM_VAR_DIR=var/bench-moderngov python -m bench.moderngov_import
"""

import argparse
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from html import escape
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from bench.web import corpus  # noqa: E402
from committee.models import AgendaItem, Appendix, Attendance, Committee, Meeting, Member  # noqa: E402
from moderngov.models import ModernGovId  # noqa: E402
from moderngov.source import request_name  # noqa: E402
from tests.gate_surfaces import pdf_with_text  # noqa: E402  (a one-page PDF with a text layer)

MEETINGS, ITEMS, WARDS, DOCUMENTS = 5_000, 10, 84, 200
FIRST_YEAR, LAST_YEAR = 2015, 2024
FOLDER = Path(os.environ.get("QUORUM_VAR_DIR", "var/bench-moderngov")) / "moderngov-archive"


def save(name: str, body: str) -> None:
    (FOLDER / name).write_text(f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n', encoding="utf-8")


def write_archive() -> None:
    """The archive as ModernGov would answer for it, one file per request (seeded)."""
    rnd = random.Random(19)
    FOLDER.mkdir(parents=True, exist_ok=True)
    (FOLDER / "documents").mkdir(exist_ok=True)
    committees = "".join(
        f"<committee><committeeid>{100 + n}</committeeid><committeetitle>{escape(escape(title))}</committeetitle>"
        f"<committeeexpired>False</committeeexpired><committeedeleted>False</committeedeleted></committee>"
        for n, (title, _) in enumerate(corpus.COMMITTEES)
    )
    save(
        "GetCommittees.xml",
        f"<committees><committeescount>{len(corpus.COMMITTEES)}</committeescount>{committees}</committees>",
    )
    wards, member = [], 1000
    for n in range(WARDS):
        place = f"{corpus.PLACES[n % len(corpus.PLACES)]} {corpus.DIVISION_SUFFIXES[n // len(corpus.PLACES)]}"
        member += 1
        name = f"County Councillor {rnd.choice(corpus.FIRST_NAMES)} {rnd.choice(corpus.SURNAMES)}"
        wards.append(
            f"<ward><wardid>{n + 1}</wardid><wardtitle>{escape(place)}</wardtitle><councillors><councillor>"
            f"<councillorid>{member}</councillorid><fullusername>{escape(name)}</fullusername>"
            f"<politicalpartytitle>{rnd.choice(corpus.PARTIES)}</politicalpartytitle></councillor></councillors></ward>"
        )
    save("GetCouncillorsByWard.xml", f"<councillorsbyward><wards>{''.join(wards)}</wards></councillorsbyward>")
    save(request_name("GetMemberGroup", {"sOrder": 0, "sShortName": ""}), "<memberlist><members /></memberlist>")
    days = (date(LAST_YEAR, 12, 31) - date(FIRST_YEAR, 1, 1)).days
    listings: dict[tuple[int, int], list[str]] = {}
    item_id, doc_id, docs = 100_000, 500_000, 0
    for meeting_id in range(10_001, 10_001 + MEETINGS):
        committee = 100 + rnd.randrange(len(corpus.COMMITTEES))
        day = date(FIRST_YEAR, 1, 1) + timedelta(days=rnd.randrange(days))
        status = rnd.choice(
            ["Confirmed"] * 30 + ["Cancelled", f"Confirmed; Rescheduled from {day - timedelta(days=7):%d/%m/%Y}"]
        )
        listings.setdefault((committee, day.year), []).append(
            f"<meeting><meetingid>{meeting_id}</meetingid><meetingdate>{day:%d/%m/%Y}</meetingdate>"
            f"<meetingstatus>{status}</meetingstatus></meeting>"
        )
        items = []
        for n in range(1, ITEMS + 1):
            item_id += 1
            linked = ""
            if n == 5 and docs < DOCUMENTS:
                docs, doc_id = docs + 1, doc_id + 1
                title = f"{rnd.choice(corpus.REPORT_TITLES)} report"
                path = f"documents/s{doc_id}/{title}.pdf"
                (FOLDER / path).parent.mkdir(parents=True, exist_ok=True)
                (FOLDER / path).write_bytes(pdf_with_text(f"{title}: {rnd.choice(corpus.PLACES)}"))
                linked = (
                    f"<linkeddocs><linkeddoc><attachmentid>{doc_id}</attachmentid><title>{escape(title)}</title>"
                    f"<url>https://council.example.gov.uk/{escape(path)}</url></linkeddoc></linkeddocs>"
                )
            restricted = "True" if n == ITEMS and rnd.random() < 0.1 else "False"
            items.append(
                f"<agendaitem><agendaitemid>{item_id}</agendaitemid><agendaitemnumber>{n}</agendaitemnumber>"
                f"<fulldisplaynumberformat>{n}.</fulldisplaynumberformat>"
                f"<agendaitemtitle>{escape(escape(rnd.choice(corpus.REPORT_TITLES)))}</agendaitemtitle>"
                f"<agendatext>{escape('<p>' + ' '.join(rnd.choice(corpus.PLACES) for _ in range(30)) + '</p>')}</agendatext>"
                f"<isrestricted>{restricted}</isrestricted>{linked}</agendaitem>"
            )
        attendees = "".join(
            f'<attendee memberid="{1001 + rnd.randrange(WARDS)}" name="x" roledescription="Committee Member" '
            f'attendance="{rnd.choice(["Present", "Present", "Apologies"])}" />'
            for _ in range(8)
        )
        save(
            request_name("GetMeeting", {"lMeetingId": meeting_id}),
            f"<meeting><meetingid>{meeting_id}</meetingid><committeeid>{committee}</committeeid>"
            f"<meetingdate>{day:%d/%m/%Y}</meetingdate><meetingtime>10.00 am</meetingtime>"
            f"<meetingstatus>{status}</meetingstatus><meetinglocation>{escape(rnd.choice(corpus.VENUES)[0])}, County Hall, Preston</meetinglocation>"
            f"<agendapublished>True</agendapublished><minutepublished>True</minutepublished>"
            f"<attendees>{attendees}</attendees><agendaitems>{''.join(items)}</agendaitems></meeting>",
        )
    for (committee, year), meetings in listings.items():
        params = {"lCommitteeId": committee, "sFromDate": f"01/01/{year}", "sToDate": f"31/12/{year}"}
        save(
            request_name("GetMeetings", params),
            f"<getmeetings><committee><committeeid>{committee}</committeeid><committeemeetings>{''.join(meetings)}"
            f"</committeemeetings></committee></getmeetings>",
        )


def import_once(label: str) -> dict:
    out = io.StringIO()
    started = time.perf_counter()
    call_command(
        "import_moderngov",
        str(FOLDER),
        "--since",
        str(FIRST_YEAR),
        "--until",
        str(LAST_YEAR),
        stdout=out,
        stderr=io.StringIO(),
    )
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label}: {seconds:.0f} s, peak memory {peak_mb:.0f} MB")
    print(out.getvalue())
    return {"seconds": round(seconds, 1), "peak_mb": round(peak_mb), "summary": out.getvalue().splitlines()}


def main_generated() -> None:
    call_command("migrate", verbosity=0)
    if Meeting.objects.exists():
        sys.exit("Run this on an empty database (it imports into it).")
    if not (FOLDER / "GetCommittees.xml").exists():
        write_archive()
    import_once("First run")
    counts = (
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        Appendix.objects.count(),
        ModernGovId.objects.count(),
    )
    print(f"Meetings {counts[0]}, agenda items {counts[1]}, documents {counts[2]}, ModernGov ids {counts[3]}")
    fingerprints = sorted(ModernGovId.objects.values_list("fingerprint", flat=True))
    history = sum(m.history.count() for m in (Meeting, AgendaItem, Appendix))
    import_once("Second run")
    unchanged = fingerprints == sorted(ModernGovId.objects.values_list("fingerprint", flat=True)) and history == sum(
        m.history.count() for m in (Meeting, AgendaItem, Appendix)
    )
    print(f"Second run changed nothing: {unchanged}")


def import_only(folder: str, since: int, until: int) -> None:
    """The import step of the bench-web form, in its own process (its peak memory is its own):
    two runs of the folder into the empty database in DATABASE_URL; the last line is JSON."""
    global FOLDER, FIRST_YEAR, LAST_YEAR
    FOLDER, FIRST_YEAR, LAST_YEAR = Path(folder), since, until
    first = import_once("First run")
    counts = {
        "committees": Committee.objects.count(),
        "councillors": Member.objects.count(),
        "meetings": Meeting.objects.count(),
        "agenda items": AgendaItem.objects.count(),
        "Part II items, paragraph not recorded": AgendaItem.objects.filter(paragraph_not_recorded=True).count(),
        "attendances": Attendance.objects.count(),
        "PDF documents": Appendix.objects.filter(kind=Appendix.Kind.DOCUMENT).count(),
        "ModernGov ids kept": ModernGovId.objects.count(),
    }
    fingerprints = sorted(ModernGovId.objects.values_list("fingerprint", flat=True))
    history = sum(m.history.count() for m in (Meeting, AgendaItem, Appendix, Attendance))
    second = import_once("Second run")
    unchanged = fingerprints == sorted(ModernGovId.objects.values_list("fingerprint", flat=True)) and history == sum(
        m.history.count() for m in (Meeting, AgendaItem, Appendix, Attendance)
    )
    print(json.dumps({"first": first, "second": second, "counts": counts, "second run changed nothing": unchanged}))


def main_bench_web(args) -> None:
    from bench.web import fill
    from bench.web.run import Database, django_env, free_port, run_json, start_gunicorn

    python, root = sys.executable, Path(__file__).resolve().parents[1]
    var_dir = Path(os.environ.get("QUORUM_VAR_DIR", "var/bench-moderngov")).resolve()
    source = Database(os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/quorum_bench"))
    target = Database(
        os.environ.get("BENCH_IMPORT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/quorum_bench_moderngov")
    )
    source_env = django_env(source.url, str(var_dir / "source"))
    load = os.getloadavg()
    print(f"== Load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} cores)")
    started = time.perf_counter()
    reused = False
    if args.reuse:
        try:
            reused = source._run(source.name, "SELECT count(*) FROM committee_meeting")[0][0][0] > 0
        except Exception:  # noqa: BLE001 - no such database or table: fill it
            reused = False
    if reused:
        print(f"== Reusing the archive in {source.name}")
    else:
        print(f"== Filling bench-web's archive in {source.name} (scale {args.scale:g})")
        source.recreate()
        subprocess.run([python, "manage.py", "migrate", "--no-input", "-v0"], cwd=root, env=source_env, check=True)  # noqa: S603
        run_json([python, "-m", "bench.web.fill", "--scale", str(args.scale)], source_env)
        source.vacuum_analyze()
    # The archive's PDFs are one dummy file (bench/web/fill.py): present in this var folder.
    dummy = var_dir / "source" / "media" / fill.DUMMY_DOCUMENT
    dummy.parent.mkdir(parents=True, exist_ok=True)
    dummy.write_bytes(fill.dummy_pdf())
    fill_seconds = time.perf_counter() - started

    folder = var_dir / "saved"
    shutil.rmtree(folder, ignore_errors=True)
    port = free_port()
    server = start_gunicorn(source_env, port, 2, var_dir / "gunicorn.log")
    today = date.today()
    years = ["--since", str(today.year - 11), "--until", str(today.year + 2)]
    try:
        print(f"== Saving the web service's answers to {folder}")
        started = time.perf_counter()
        saved = subprocess.run(  # noqa: S603
            [python, "manage.py", "save_moderngov", f"http://127.0.0.1:{port}", str(folder), *years, "--rate", "0",
             "--most-documents", str(args.documents)],
            cwd=root, env=source_env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        save_seconds = time.perf_counter() - started
        print(saved.stdout)
    finally:
        server.terminate()
        server.wait(timeout=30)
    files = [p for p in folder.rglob("*") if p.is_file()]
    print(f"  {len(files):,} files, {sum(p.stat().st_size for p in files) / 1e6:,.1f} MB, {save_seconds:,.0f} s")

    print(f"== Importing the folder into {target.name} (recreated, migrated)")
    target.recreate()
    target_env = django_env(target.url, str(var_dir / "target"))
    subprocess.run([python, "manage.py", "migrate", "--no-input", "-v0"], cwd=root, env=target_env, check=True)  # noqa: S603
    result = run_json([python, "-m", "bench.moderngov_import", "--import-only", str(folder), *years], target_env)
    load = os.getloadavg()
    print(
        json.dumps(
            {
                "archive": "reused" if reused else f"filled at scale {args.scale:g} in {fill_seconds:.0f} s",
                "save seconds": round(save_seconds, 1),
                "saved files": len(files),
                **result,
                "load average after": [round(x, 2) for x in load],
            },
            indent=2,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of bench-web's archive (0.05 to try)")
    parser.add_argument("--reuse", action="store_true", help="take bench-web's database as it is if it has meetings")
    parser.add_argument("--documents", type=int, default=DOCUMENTS, help="most PDFs saved and imported (a sample)")
    parser.add_argument("--generated", action="store_true", help="the earlier form: a generated folder, no service")
    parser.add_argument("--import-only", nargs=1, metavar="FOLDER", help=argparse.SUPPRESS)
    parser.add_argument("--since", type=int, default=FIRST_YEAR, help=argparse.SUPPRESS)
    parser.add_argument("--until", type=int, default=LAST_YEAR, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.import_only:
        import_only(args.import_only[0], args.since, args.until)
    elif args.generated:
        main_generated()
    else:
        main_bench_web(args)


if __name__ == "__main__":
    main()

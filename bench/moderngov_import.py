"""`make bench-moderngov`: importing a ModernGov archive the size of bench-web's (40
committees, 5,000 meetings over ten years, ten items each, councillors in wards) from a
folder of saved answers into an empty database; then a second run, which must change
nothing. Documents: bench-web's archive has 100,000; each PDF is checked in its own process
as an upload is (committee/pdfsafety.py), so this run fetches a sample (DOCUMENTS) and
reports the time per document. Prints time, peak memory and counts (docs/moderngov.md).

    DATABASE_URL=postgres://…/empty QUORUM_VAR_DIR=var/bench-moderngov python -m bench.moderngov_import
"""

import io
import os
import random
import resource
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
from committee.models import AgendaItem, Appendix, Meeting  # noqa: E402
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
    return {"seconds": seconds, "peak_mb": peak_mb}


def main() -> None:
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


if __name__ == "__main__":
    main()

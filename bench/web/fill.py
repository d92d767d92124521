"""Fill an empty database with a ten-year archive of a large county council, for
`make bench-web`: 40 committees, 5,000 meetings, 50,000 agenda items, 20,000 reports and
100,000 appendix documents, with members, attendance and minutes.

    DJANGO_SETTINGS_MODULE=bench.web.settings python -m bench.web.fill [--scale 1] [--seed 2026]

Rows go in with bulk_create (no history rows, no services): this is test data, not a
workflow. It keeps every database constraint (unique item order and number per meeting, a
Part II item with its paragraph and reasons, a published meeting with its publication date,
an appendix with its content). The same seed gives the same archive, dated relative to
today so that there are upcoming meetings. The last line printed is JSON: what was made.
"""

import argparse
import io
import json
import os
import time
from datetime import date, datetime, timedelta
from datetime import time as clock

TOTALS = {"committees": 40, "meetings": 5_000, "items": 50_000, "reports": 20_000, "documents": 100_000}
MEMBERS = 84
OFFICERS = 60
YEARS = 10
# County elections (first Thursday in May, every four years): committee places change then.
ELECTIONS = (date(2013, 5, 2), date(2017, 5, 4), date(2021, 5, 6), date(2025, 5, 1))
# Meetings a year, by kind of committee, before scaling to the total.
MEETINGS_A_YEAR = {
    "full_council": 6,
    "cabinet": 12,
    "cabinet_committee": 6,
    "audit": 5,
    "scrutiny": 8,
    "regulatory": 12,
    "other": 6,
}
DUMMY_DOCUMENT = "appendices/bench-dummy.pdf"
CHUNK = 250  # meetings per transaction


def allocate(total: int, slots: int, low: int, high: int, rnd) -> list[int]:
    """`slots` whole numbers in [low, high] that sum to exactly `total`, spread around the mean."""
    base, extra = divmod(total, slots)
    if not low <= base <= high or (extra and base + 1 > high):
        raise ValueError(f"cannot split {total} into {slots} between {low} and {high}")
    counts = [base + (1 if i < extra else 0) for i in range(slots)]
    rnd.shuffle(counts)
    for _ in range(slots * 3):
        a, b, step = rnd.randrange(slots), rnd.randrange(slots), rnd.randint(1, 3)
        if a != b and counts[a] - step >= low and counts[b] + step <= high:
            counts[a] -= step
            counts[b] += step
    return counts


def weighted(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainders), summing exactly."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    for i in sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])[: total - sum(counts)]:
        counts[i] += 1
    return counts


def dummy_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class Filler:
    def __init__(self, *, scale: float, seed: int, out=print):
        from bench.web.corpus import Corpus

        self.totals = {key: max(1, round(value * scale)) for key, value in TOTALS.items()}
        self.totals["committees"] = TOTALS["committees"]
        self.text = Corpus(seed)
        self.rnd = self.text.random
        self.out = out

    # -- people, places, committees ------------------------------------------------------

    def people(self):
        from django.utils.text import slugify

        from bench.web import corpus
        from committee.models import ElectoralDivision, Member, Officer, Venue

        rnd = self.rnd
        divisions = {
            name: ElectoralDivision(name=name, slug=slugify(name))
            for name in {f"{place} {suffix}" for place in corpus.PLACES for suffix in corpus.DIVISION_SUFFIXES}
        }
        ElectoralDivision.objects.bulk_create(divisions.values())
        names: set[str] = set()
        members = []
        while len(members) < MEMBERS:
            name = self.text.person()
            if name in names:
                continue
            names.add(name)
            members.append(
                Member(
                    name=name,
                    honours=rnd.choice(("", "", "", "", "", "", "MBE", "CBE", "OBE")),
                    party=rnd.choice(corpus.PARTIES),
                    division=divisions[f"{rnd.choice(corpus.PLACES)} {rnd.choice(corpus.DIVISION_SUFFIXES)}"],
                    email=f"{slugify(name).replace('-', '.')}@example.gov.uk",
                    slug=slugify(name),
                )
            )
        self.members = Member.objects.bulk_create(members)
        officer_keys: set[tuple[str, str]] = set()
        officers = []
        while len(officers) < OFFICERS:
            key = (self.text.person(), rnd.choice(corpus.OFFICER_TITLES))
            if key in officer_keys:
                continue
            officer_keys.add(key)
            name, title = key
            officers.append(
                Officer(
                    name=name,
                    job_title=title,
                    phone=f"01772 5{rnd.randint(10000, 39999)}",
                    email=f"{name.lower().replace(' ', '.')}@example.gov.uk",
                )
            )
        self.officers = Officer.objects.bulk_create(officers)
        self.clerks = [o for o in self.officers if "Democratic" in o.job_title] or self.officers[:5]
        self.venues = Venue.objects.bulk_create(
            [Venue(name=n, address=a, accessibility="Step-free access; hearing loop.") for n, a in corpus.VENUES]
        )

    def committees(self):
        from django.utils.text import slugify

        from bench.web import corpus
        from committee.models import Committee, Membership

        rnd = self.rnd
        self.committee_rows = Committee.objects.bulk_create(
            [
                Committee(name=name, slug=slugify(name), kind=kind, purpose=self.text.paragraphs(1, 2, 2, 3))
                for name, kind in corpus.COMMITTEES[: self.totals["committees"]]
            ]
        )
        # Who sits on each committee in each term of the council.
        self.seats: dict[tuple[int, int], list] = {}
        memberships = []
        for committee in self.committee_rows:
            for term, start in enumerate(ELECTIONS):
                if committee.kind == "full_council":
                    people = list(self.members)
                else:
                    people = rnd.sample(self.members, rnd.randint(8, 14))
                self.seats[committee.pk, term] = people
                end = ELECTIONS[term + 1] - timedelta(days=1) if term + 1 < len(ELECTIONS) else None
                for position, member in enumerate(people):
                    role = ("chair", "vice_chair")[position] if position < 2 else "member"
                    memberships.append(
                        Membership(committee=committee, member=member, role=role, start_date=start, end_date=end)
                    )
        Membership.objects.bulk_create(memberships, batch_size=2000)

    # -- meetings --------------------------------------------------------------------------

    def meetings(self):
        from django.utils import timezone

        from committee.deadlines import publication_deadline
        from committee.models import Meeting

        rnd = self.rnd
        now = timezone.now()
        today = timezone.localdate()
        last = today + timedelta(days=90)  # three months of meetings are in the calendar
        first = last - timedelta(days=365 * YEARS)
        span = (last - first).days
        per_committee = weighted(
            self.totals["meetings"], [MEETINGS_A_YEAR[c.kind] * rnd.uniform(0.8, 1.2) for c in self.committee_rows]
        )
        rows = []
        for committee, count in zip(self.committee_rows, per_committee, strict=True):
            venue = rnd.choice(self.venues)
            hour = 18 if committee.name.startswith("Lancashire Local") else rnd.choice((10, 10, 10, 14))
            step = span / count
            for i in range(count):
                day = first + timedelta(days=int(i * step + rnd.uniform(0, min(step, 28) * 0.3)))
                day += timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
                starts_at = timezone.make_aware(datetime.combine(day, clock(hour, 0)))
                deadline = publication_deadline(day)
                published = timezone.make_aware(
                    datetime.combine(deadline - timedelta(days=rnd.choice((0, 0, 0, 1, 2, 3))), clock(11, 30))
                )
                meeting = Meeting(
                    committee=committee,
                    starts_at=starts_at,
                    venue=venue,
                    clerk=rnd.choice(self.clerks),
                    signing_officer=rnd.choice(self.officers),
                    publication_deadline=deadline,
                )
                roll = rnd.random()
                if starts_at > now:
                    if deadline < today:
                        meeting.status, meeting.agenda_published_at = Meeting.Status.AGENDA_PUBLISHED, published
                    else:
                        meeting.status = Meeting.Status.DRAFT
                elif roll < 0.03:
                    meeting.status = Meeting.Status.CANCELLED
                    meeting.status_reason = "Cancelled: there was insufficient business to transact."
                elif roll < 0.04:
                    meeting.status = Meeting.Status.POSTPONED
                    meeting.status_reason = "Postponed at the request of the Chair."
                else:
                    if roll > 0.985:  # a few late agendas, with the reasons the law asks for
                        published = timezone.make_aware(datetime.combine(deadline + timedelta(days=1), clock(16, 0)))
                        meeting.late_publication_reasons = (
                            "The report was not available in time because the Government's figures were "
                            "published late; the Chair agreed the item is urgent because a decision is "
                            "needed before the funding deadline."
                        )
                    meeting.agenda_published_at = published
                    recent = starts_at > now - timedelta(days=35)
                    meeting.status = Meeting.Status.HELD if recent else Meeting.Status.MINUTES_PUBLISHED
                rows.append(meeting)
        rows.sort(key=lambda m: (m.starts_at, m.committee.pk))  # pks in date order, as a real archive
        self.meeting_rows = Meeting.objects.bulk_create(rows, batch_size=1000)
        by_committee: dict[int, list] = {}
        for meeting in self.meeting_rows:
            by_committee.setdefault(meeting.committee_id, []).append(meeting)
        self.previous, self.following = {}, {}
        for meetings in by_committee.values():
            for before, after in zip(meetings, meetings[1:], strict=False):
                self.previous[after.pk], self.following[before.pk] = before, after

    # -- agendas, reports, appendices, minutes ----------------------------------------------

    def papers(self):
        from django.db import transaction

        rnd = self.rnd
        meetings = self.meeting_rows
        reports = allocate(self.totals["reports"], len(meetings), 1, 9, rnd)
        # Items that are not reports: apologies, declarations, minutes and at least two more.
        others = allocate(self.totals["items"] - self.totals["reports"] - 3 * len(meetings), len(meetings), 2, 6, rnd)
        documents = allocate(self.totals["documents"], self.totals["reports"], 0, 12, rnd)
        document_iter = iter(documents)
        started = time.monotonic()
        for start in range(0, len(meetings), CHUNK):
            with transaction.atomic():
                plan = []
                for index in range(start, min(start + CHUNK, len(meetings))):
                    plan.append((meetings[index], reports[index], others[index]))
                self._chunk(plan, document_iter)
            done = min(start + CHUNK, len(meetings))
            if done % 1000 == 0 or done == len(meetings):
                self.out(f"  {done:,} of {len(meetings):,} meetings filled ({time.monotonic() - started:.0f} s)")

    def _chunk(self, plan, document_iter):
        from django.utils import timezone

        from bench.web import corpus
        from committee.models import Access, AgendaItem, Appendix, Attendance, Minute, Minutes, Report

        rnd, text = self.rnd, self.text
        now = timezone.now()
        items, item_reports, topics = [], [], {}
        for meeting, report_count, other_count in plan:
            previous = self.previous.get(meeting.pk)
            # A Part II report needs the exclusion resolution item: only where there is room for it.
            exempt = [other_count >= 3 and rnd.random() < 0.06 for _ in range(report_count)]
            public_reports = exempt.count(False)
            rows = [
                ("Apologies", "apologies", "<p>Members are asked to note any apologies for absence.</p>"),
                (
                    "Disclosure of Pecuniary and Non-Pecuniary Interests",
                    "declarations",
                    "<p>Members are asked to consider any pecuniary and non-pecuniary interests they may "
                    "have to disclose to the meeting in relation to matters under consideration on the agenda.</p>",
                ),
                (
                    "Minutes of the Meeting held on "
                    + (f"{timezone.localtime(previous.starts_at):%-d %B %Y}" if previous else "the last occasion"),
                    "minutes",
                    "<p>Are the minutes of the meeting held on that date to be confirmed as a correct record "
                    "and signed by the Chair?</p>",
                ),
            ]
            for _ in range(public_reports):
                rows.append((None, "report", ""))
            for _ in range(other_count - 2 - (1 if public_reports < report_count else 0)):
                rows.append((rnd.choice(corpus.OTHER_ITEMS), "other", text.paragraphs(1, 1, 1, 2)))
            rows.append(
                (
                    "Urgent Business",
                    "urgent_business",
                    "<p>An item of urgent business may only be considered under this heading where, by reason "
                    "of special circumstances to be recorded in the minutes, the Chair of the meeting is of the "
                    "opinion that the item should be considered at the meeting as a matter of urgency.</p>",
                )
            )
            rows.append(
                ("Date of Next Meeting", "next_meeting", "<p>The next meeting will be held at County Hall.</p>")
            )
            if public_reports < report_count:
                rows.append(("Exclusion of the Press and Public", "exclusion", ""))
                rows += [(None, "exempt_report", "")] * (report_count - public_reports)
            for order, (title, kind, standing) in enumerate(rows, start=1):
                item = AgendaItem(meeting=meeting, order=order, number=str(order), standing_text=standing)
                if kind == "exempt_report":
                    item.access = Access.EXEMPT
                    item.paragraph_numbers = [rnd.choice((1, 3, 3, 3, 5))]
                    item.public_interest_reasons = rnd.choice(corpus.EXEMPT_REASONS)
                    kind = "report"
                item.kind = kind
                if title is None:
                    topics[order, meeting.pk] = topic = text.topic()
                    title = text.report_title(topic)[:300]
                item.title = title
                if kind == "minutes" and previous is not None:
                    item.minutes_of = previous
                items.append(item)
                if kind == "report":
                    item_reports.append(item)
        AgendaItem.objects.bulk_create(items, batch_size=1000)

        reports = []
        for item in item_reports:
            meeting, topic = item.meeting, topics[item.order, item.meeting_id]
            reports.append(
                Report(
                    agenda_item=item,
                    title=item.title,
                    report_of=rnd.choice(corpus.OFFICER_TITLES),
                    electoral_divisions="All" if rnd.random() < 0.7 else f"{rnd.choice(corpus.PLACES)} divisions",
                    contact=rnd.choice(self.officers),
                    executive_summary=text.paragraphs(1, 2, 2, 4, topic),
                    recommendation="<p>The Committee is asked to:</p><ol><li>Note the report.</li><li>"
                    + text.sentences(1, 1, topic)
                    + "</li></ol>",
                    background_and_advice=text.paragraphs(2, 5, topic=topic),
                    consultations=text.paragraphs(1, 1, 1, 3, topic),
                    implications=text.paragraphs(1, 2, 2, 3, topic),
                    risk_management=text.paragraphs(1, 1, 1, 3, topic),
                    reason_for_part_ii=item.public_interest_reasons or "N/A",
                    first_published_at=meeting.agenda_published_at,
                )
            )
        Report.objects.bulk_create(reports, batch_size=1000)

        appendices = []
        for report in reports:
            topic = topics[report.agenda_item.order, report.agenda_item.meeting_id]
            for position in range(next(document_iter)):
                appendix = Appendix(
                    report=report,
                    order=position,
                    letter="ABCDEFGHIJKL"[position],
                    title=rnd.choice(corpus.APPENDIX_TITLES),
                )
                if rnd.random() < 0.7:
                    appendix.kind = Appendix.Kind.DOCUMENT
                    appendix.document = DUMMY_DOCUMENT
                    appendix.document_pages = rnd.randint(1, 40)
                    appendix.document_text = text.sentences(8, 24, topic)
                    if rnd.random() < 0.1:
                        appendix.document_text += " " + text.site()
                else:
                    appendix.kind = Appendix.Kind.RICH_TEXT
                    appendix.body = text.paragraphs(1, 4, topic=topic)
                if rnd.random() < 0.03:
                    appendix.access = Access.EXEMPT
                    appendix.paragraph_numbers = [rnd.choice((1, 2, 3))]
                    appendix.public_interest_reasons = rnd.choice(corpus.EXEMPT_REASONS)
                appendices.append(appendix)
        Appendix.objects.bulk_create(appendices, batch_size=1000)

        # Minutes: published for meetings held more than five weeks ago, drafts for the rest.
        minutes_rows, by_meeting = [], {}
        for meeting, _, _ in plan:
            if meeting.status not in ("held", "minutes_published") or meeting.starts_at > now - timedelta(days=7):
                continue
            following = self.following.get(meeting.pk)
            confirmed = following if following is not None and following.status == "minutes_published" else None
            minutes = Minutes(
                meeting=meeting,
                officers_in_attendance=", ".join(
                    str(o) for o in (meeting.clerk, rnd.choice(self.officers)) if o is not None
                ),
                confirmed_at=confirmed,
                published_at=meeting.starts_at + timedelta(days=10) if meeting.status == "minutes_published" else None,
            )
            minutes_rows.append(minutes)
            by_meeting[meeting.pk] = minutes
        Minutes.objects.bulk_create(minutes_rows, batch_size=1000)

        entries, attendances = [], []
        for item in items:
            minutes = by_meeting.get(item.meeting_id)
            if minutes is None:
                continue
            if item.kind == "report":
                topic = topics[item.order, item.meeting_id]
                body, resolution = text.paragraphs(1, 2, 2, 4, topic), "<p>Resolved: That the report be noted.</p>"
            elif item.kind == "minutes":
                body, resolution = "", "<p>Resolved: That the minutes be confirmed as a correct record.</p>"
            else:
                body, resolution = "<p>None.</p>", ""
            entries.append(Minute(minutes=minutes, agenda_item=item, text=body, resolution=resolution))
        Minute.objects.bulk_create(entries, batch_size=1000)
        for meeting_pk, minutes in by_meeting.items():
            meeting = minutes.meeting
            term = max(i for i, d in enumerate(ELECTIONS) if d <= timezone.localdate(meeting.starts_at))
            chaired = False
            for position, member in enumerate(self.seats[meeting.committee_id, term]):
                roll = rnd.random()
                status = "present" if roll < 0.85 else "apologies" if roll < 0.97 else "absent"
                chair = status == "present" and position < 2 and not chaired
                chaired = chaired or chair
                attendances.append(Attendance(meeting_id=meeting_pk, member=member, status=status, in_the_chair=chair))
        Attendance.objects.bulk_create(attendances, batch_size=2000)


def volumes() -> dict:
    from django.db import connection

    from committee.models import (
        AgendaItem,
        Appendix,
        Attendance,
        Committee,
        Meeting,
        Member,
        Membership,
        Minute,
        Minutes,
        Officer,
        Report,
        Venue,
    )

    counts = {
        "committees": Committee.objects.count(),
        "members": Member.objects.count(),
        "memberships": Membership.objects.count(),
        "officers": Officer.objects.count(),
        "venues": Venue.objects.count(),
        "meetings": Meeting.objects.count(),
        "agenda items": AgendaItem.objects.count(),
        "Part II agenda items": AgendaItem.objects.exclude(access="public").count(),
        "reports": Report.objects.count(),
        "appendix documents": Appendix.objects.count(),
        "of which uploaded PDFs (text extracted)": Appendix.objects.filter(kind="document").count(),
        "minutes": Minutes.objects.count(),
        "minute entries": Minute.objects.count(),
        "attendance records": Attendance.objects.count(),
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            counts["database size (MB)"] = round(cursor.fetchone()[0] / 1e6)
    return counts


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full volumes (for a quick try)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.web.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from committee.models import Meeting

    if Meeting.objects.exists():
        raise SystemExit("The database already has meetings: fill only an empty, migrated database.")
    started = time.monotonic()
    document = settings.MEDIA_ROOT / DUMMY_DOCUMENT
    document.parent.mkdir(parents=True, exist_ok=True)
    document.write_bytes(dummy_pdf())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")  # test data: speed over durability
    filler = Filler(scale=args.scale, seed=args.seed, out=lambda line: print(line, flush=True))
    filler.people()
    filler.committees()
    filler.meetings()
    print(f"  people, committees and {len(filler.meeting_rows):,} meetings ({time.monotonic() - started:.0f} s)")
    filler.papers()
    result = {"seconds": round(time.monotonic() - started, 1), "volumes": volumes()}
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

"""Importing a ModernGov archive into Quorum's records (docs/moderngov.md).

Every imported record keeps its ModernGov id (`ModernGovId`) with a fingerprint of what
ModernGov said about it: a record whose answer has not changed is not written again, so a
second run changes nothing; each meeting is imported in one transaction and marked with the
run, so an interrupted run, started again, goes on from the meeting it stopped at.
"""

import hashlib
import json
import re
import sys
import time as clock
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from pathlib import PurePath
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from committee import services as committee_services
from committee.models import (
    Access,
    AgendaItem,
    Appendix,
    Attendance,
    Committee,
    ElectoralDivision,
    Meeting,
    Member,
    Report,
    Venue,
)
from committee.pack import services as pack_services
from core.history import recorded_by

from . import reading
from .models import ImportRun, Kind, ModernGovId
from .selectors import MODELS
from .source import NotFound, Unreadable

LONDON = ZoneInfo("Europe/London")
REASON = "Imported from ModernGov"
# ModernGov says where a meeting is in one line; Quorum keeps the room and the address apart.
NO_ADDRESS = "(address not recorded in ModernGov)"
TITLES = ("County Councillor", "Borough Councillor", "District Councillor", "City Councillor", "Councillor", "Cllr")
KINDS = [
    (re.compile(r"apolog", re.I), AgendaItem.Kind.APOLOGIES),
    (re.compile(r"(declaration|disclosure)s? of .*interest", re.I), AgendaItem.Kind.DECLARATIONS),
    (re.compile(r"^minutes\b", re.I), AgendaItem.Kind.MINUTES),
    (re.compile(r"urgent business", re.I), AgendaItem.Kind.URGENT_BUSINESS),
    (re.compile(r"date of (the )?next meeting", re.I), AgendaItem.Kind.NEXT_MEETING),
    (re.compile(r"exclusion of (the )?press", re.I), AgendaItem.Kind.EXCLUSION),
]
COMMITTEE_KINDS = [
    (re.compile(r"^(full )?council$|^council meeting", re.I), Committee.Kind.FULL_COUNCIL),
    (re.compile(r"^cabinet committee", re.I), Committee.Kind.CABINET_COMMITTEE),
    (re.compile(r"^cabinet\b|^executive\b", re.I), Committee.Kind.CABINET),
    (re.compile(r"scrutiny", re.I), Committee.Kind.SCRUTINY),
    (re.compile(r"audit|governance", re.I), Committee.Kind.AUDIT),
    (re.compile(r"planning|licensing|regulatory|development control", re.I), Committee.Kind.REGULATORY),
]


def fingerprint(record) -> str:
    payload = asdict(record) if hasattr(record, "__dataclass_fields__") else record
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


class Progress:
    """A progress line on the terminal (counts and rate), and the counts for the summary."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.skipped: Counter = Counter()
        self.started = clock.monotonic()
        self.done = 0
        self.total = 0

    def count(self, kind: str, outcome: str, reason: str = "") -> None:
        self.counts[kind][outcome] += 1
        if outcome == "skipped":
            self.skipped[f"{kind}: {reason}"] += 1

    def step(self) -> None:
        self.done += 1
        elapsed = max(clock.monotonic() - self.started, 1e-6)
        meetings = self.counts["meeting"]
        bar_width = 30
        filled = int(bar_width * self.done / self.total) if self.total else bar_width
        self.stream.write(
            f"\rMeetings [{'#' * filled}{'.' * (bar_width - filled)}] {self.done}/{self.total} "
            f"{self.done / elapsed:.1f}/s  imported {meetings['imported']}, updated {meetings['updated']}, "
            f"unchanged {meetings['unchanged']}, skipped {meetings['skipped']}"
        )
        self.stream.flush()

    def summary(self) -> dict:
        return {
            "counts": {kind: dict(counter) for kind, counter in sorted(self.counts.items())},
            "skipped": dict(self.skipped),
            "seconds": round(clock.monotonic() - self.started, 1),
        }


# Keeping ids --------------------------------------------------------------------------------


@dataclass(slots=True)
class KeptId:
    """What the import reads of one kept ModernGov id: its row, the Quorum record, the
    fingerprint, and ModernGov's own words (None when there are none, as for most ids)."""

    pk: int
    object_id: int
    fingerprint: str
    original: dict | None


class Ids:
    """The ModernGov ids already kept, by kind, loaded once per run. Only what the import
    reads is held (not whole ModernGovId rows): the map grows with the archive, and every
    change is written to the database at once."""

    def __init__(self):
        # Kinds are a handful of words: one string each, not one per id.
        self.rows: dict[tuple[str, int], KeptId] = {
            (sys.intern(kind), moderngov_id): KeptId(pk, object_id, print_, None)
            for kind, moderngov_id, pk, object_id, print_ in ModernGovId.objects.order_by().values_list(
                "kind", "moderngov_id", "pk", "object_id", "fingerprint"
            )
        }
        # Most ids have no words of ModernGov's kept: those are read apart, without a dict each.
        words = ModernGovId.objects.exclude(original={}).order_by().values_list("kind", "moderngov_id", "original")
        for kind, moderngov_id, original in words:
            self.rows[(kind, moderngov_id)].original = original

    def get(self, kind: str, moderngov_id) -> KeptId | None:
        return self.rows.get((kind, moderngov_id)) if moderngov_id is not None else None

    def keep(self, kind, moderngov_id, obj, print_, *, run=None, original=None) -> None:
        original = original or {}
        kept = self.rows.get((kind, moderngov_id))
        if kept is None:
            pk = ModernGovId.objects.create(
                kind=kind,
                moderngov_id=moderngov_id,
                object_id=obj.pk,
                fingerprint=print_,
                last_run=run,
                original=original,
            ).pk
        else:
            pk = kept.pk
            self._write(pk, object_id=obj.pk, fingerprint=print_, last_run=run, original=original)
        self.rows[(kind, moderngov_id)] = KeptId(pk, obj.pk, print_, original or None)

    def seen_again(self, kept: KeptId, *, run, original: dict) -> None:
        """An unchanged record met again by this run (it resumes past it if interrupted)."""
        self._write(kept.pk, last_run=run, original=original)
        kept.original = original or None

    @staticmethod
    def _write(pk: int, **fields) -> None:
        # update() skips auto_now: set updated_at as save() would.
        ModernGovId.objects.filter(pk=pk).update(updated_at=timezone.now(), **fields)


def _unique_slug(model, text: str, *, current=None) -> str:
    base = (slugify(text) or "untitled")[:180]
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=getattr(current, "pk", None)).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _save(obj, by) -> None:
    recorded_by(obj, by, reason=REASON)
    obj.save()


def _upsert(ids: Ids, progress: Progress, kind: str, moderngov_id: int, record, build, *, by, run=None, original=None):
    """Create or update one record from its ModernGov answer; returns the Quorum record."""
    print_ = fingerprint(record)
    kept = ids.get(kind, moderngov_id)
    model = build.model
    obj = model.objects.filter(pk=kept.object_id).first() if kept else None
    if obj is not None and kept.fingerprint == print_:
        progress.count(kind, "unchanged")
        return obj
    outcome = "updated" if obj is not None else "imported"
    obj = build(obj)
    _save(obj, by)
    ids.keep(kind, moderngov_id, obj, print_, run=run, original=original)
    progress.count(kind, outcome)
    return obj


def _builder(model):
    def decorate(fn):
        fn.model = model
        return fn

    return decorate


# Committees, wards, councillors ---------------------------------------------------------------


def committees_import(*, source, ids: Ids, progress: Progress, by) -> dict[int, Committee]:
    found = {}
    try:
        records = reading.committees(source.call("GetCommittees", lDummy=0))
    except reading.ET.ParseError as error:
        raise Unreadable(f"GetCommittees ({error})") from error
    for record in records:
        if record.deleted:
            progress.count("committee", "skipped", "deleted in ModernGov")
            continue
        if not record.title:
            progress.count("committee", "skipped", "no title")
            continue

        @_builder(Committee)
        def build(obj, record=record):
            if obj is None:
                # A committee made in Quorum under the same name is the same committee.
                obj = Committee.objects.filter(name=record.title[:200]).first() or Committee(
                    slug=_unique_slug(Committee, record.title)
                )
            obj.name = record.title[:200]
            obj.kind = next((kind for rule, kind in COMMITTEE_KINDS if rule.search(obj.name)), Committee.Kind.OTHER)
            obj.purpose = record.description
            obj.is_active = not record.expired
            return obj

        found[record.id] = _upsert(ids, progress, Kind.COMMITTEE, record.id, record, build, by=by)
    return found


def split_name(full_name: str) -> tuple[str, str]:
    """ "Councillor Jane Smith" → ("Councillor", "Jane Smith")."""
    for title in TITLES:
        if full_name.lower().startswith(title.lower() + " "):
            return title if title != "Cllr" else "Councillor", full_name[len(title) + 1 :].strip()
    return "", full_name  # a co-opted member ("Mrs Jean Parker") is no councillor


def _ward(ids, progress, ward_id, title, *, by) -> ElectoralDivision | None:
    if not title:
        return None
    key = ward_id if ward_id is not None else int(hashlib.sha256(title.encode()).hexdigest()[:12], 16)

    @_builder(ElectoralDivision)
    def build(obj):
        if obj is None:
            obj = ElectoralDivision.objects.filter(name=title[:200]).first() or ElectoralDivision(
                slug=_unique_slug(ElectoralDivision, title)
            )
        obj.name = title[:200]
        return obj

    return _upsert(ids, progress, Kind.WARD, key, {"title": title}, build, by=by)


def _member(ids, progress, record: reading.CouncillorRecord, *, by) -> Member | None:
    if not record.full_name:
        progress.count("member", "skipped", "no name")
        return None
    division = _ward(ids, progress, record.ward_id, record.ward, by=by)

    @_builder(Member)
    def build(obj):
        title, name = split_name(record.full_name)
        obj = obj or Member(slug=_unique_slug(Member, name))
        obj.title, obj.name = title[:50], name[:200]
        obj.party = record.party[:100]
        obj.division = division
        if record.email:
            obj.email = record.email[:254]
        return obj

    return _upsert(ids, progress, Kind.MEMBER, record.id, record, build, by=by)


def councillors_import(*, source, ids: Ids, progress: Progress, by) -> None:
    try:
        wards, councillors = reading.councillors_by_ward(source.call("GetCouncillorsByWard"))
    except NotFound as error:
        wards, councillors = [], []
        progress.count("ward", "skipped", f"GetCouncillorsByWard not answered ({error})")
    except reading.ET.ParseError as error:
        wards, councillors = [], []
        progress.count("ward", "skipped", f"GetCouncillorsByWard unreadable ({error})")
    for ward in wards:
        _ward(ids, progress, ward.id, ward.title, by=by)
    seen = set()
    for record in councillors:
        seen.add(record.id)
        _member(ids, progress, record, by=by)
    # Co-opted and independent members sit on committees without a ward.
    try:
        group = reading.member_group(source.call("GetMemberGroup", sOrder=0, sShortName=""))
    except NotFound:
        group = []
    except reading.ET.ParseError as error:
        group = []
        progress.count("member", "skipped", f"GetMemberGroup unreadable ({error})")
    for record in group:
        if record.id not in seen:
            _member(ids, progress, record, by=by)


# Meetings ------------------------------------------------------------------------------------


def meeting_status(record: reading.MeetingRecord, starts_at: datetime, now: datetime) -> str:
    """ModernGov's free-text status ("Confirmed", "Confirmed; Rescheduled from 12/03/2020",
    "Cancelled", "Postponed", "Moved to …") as Quorum's status; the words are kept beside it."""
    words = record.status.lower()
    if "cancel" in words:
        return Meeting.Status.CANCELLED
    if "postpone" in words or "moved to" in words or "rescheduled to" in words:
        return Meeting.Status.POSTPONED
    if not record.agenda_published:
        return Meeting.Status.DRAFT
    # Minutes written in ModernGov stay in its documents: the meeting is held, and its
    # minutes are for an officer to publish in Quorum (docs/moderngov.md).
    return Meeting.Status.HELD if starts_at <= now else Meeting.Status.AGENDA_PUBLISHED


def _venue(location: str) -> Venue:
    name, _, address = location.partition(",")
    name, address = (name.strip() or "Not recorded in ModernGov")[:200], (address.strip() or NO_ADDRESS)[:300]
    venue, _ = Venue.objects.get_or_create(name=name, address=address)
    return venue


def _letter(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _document(*, source, ids, progress, doc: reading.DocumentRecord, item: AgendaItem, by, run) -> bool:
    """One linked document as an uploaded appendix of the item's report. False when it did not
    come across (its meeting keeps its id, so that the next run tries it again)."""
    kept = ids.get(Kind.DOCUMENT, doc.id)
    print_ = fingerprint(doc)
    existing = Appendix.objects.filter(pk=kept.object_id).first() if kept else None
    if existing is not None and kept.fingerprint == print_:
        progress.count("document", "unchanged")
        return True
    url = doc.url
    if not url:
        try:
            url = reading.attachment_url(source.call("GetAttachment", lAttachmentId=doc.id))
        except NotFound:
            # One reason for all (not each id): the summary counts reasons, and a sample of
            # an archive's documents can leave thousands out.
            progress.count("document", "skipped", "no address (GetAttachment not answered)")
            return False
        except reading.ET.ParseError:
            progress.count("document", "skipped", "GetAttachment's answer unreadable")
            return False
    if not url:
        progress.count("document", "skipped", "no address given by GetAttachment")
        return False
    try:
        data = source.document(url)
    except NotFound:
        progress.count("document", "skipped", "not found at its address")
        return False
    name = PurePath(urllib.parse.unquote(urllib.parse.urlsplit(url).path)).name
    if not name.lower().endswith(".pdf"):  # an address with no file name (Quorum's /documents/12/)
        name = f"{slugify(doc.title)[:80] or f'document-{doc.id}'}.pdf"
    shown_letter, title = appendix_title(doc.title)
    report = Report.objects.filter(agenda_item=item).first()
    if report is None:
        report = Report(agenda_item=item, title=item.title, report_of="")
        _save(report, by)
    appendix = existing or Appendix(report=report, kind=Appendix.Kind.DOCUMENT)
    if existing is None:
        taken = set(report.appendices.values_list("letter", flat=True))
        free = shown_letter if shown_letter and shown_letter not in taken else None
        appendix.letter = free or next(_letter(n) for n in range(702) if _letter(n) not in taken)
        appendix.order = len(taken)
    appendix.title = title[:300] or name
    if doc.restricted and not item.is_restricted and appendix.access == Access.PUBLIC:
        appendix.access, appendix.paragraph_not_recorded = Access.EXEMPT, True
    appendix.document = ContentFile(data, name=name)
    try:
        with transaction.atomic():
            committee_services.appendix_prepare(appendix=appendix)  # the upload checks of committee/pdfsafety.py
            _save(appendix, by)
    except ValidationError as error:
        progress.count("document", "skipped", f"refused as an upload: {'; '.join(error.messages)}")
        return False
    ids.keep(Kind.DOCUMENT, doc.id, appendix, print_, run=run)
    progress.count("document", "updated" if existing else "imported")
    return True


APPENDIX_TITLE = re.compile(r"^Appendix\s+'?([A-Z]{1,2})'?\s*[:\-\u2013]\s*(.+)$")


def appendix_title(title: str) -> tuple[str, str]:
    """ "Appendix 'A': Performance tables" (as Quorum's service titles a PDF) or "Appendix B -
    Risk register" (as councils title them in ModernGov) → the letter and the title."""
    match = APPENDIX_TITLE.match(title.strip())
    return (match[1], match[2].strip()) if match else ("", title.strip())


def _item_numbers(records, taken: set[str]) -> list[str]:
    """The numbers on the agenda. An item ModernGov shows without a number (a webcasting
    notice), or with a number used twice, goes by its place in brackets: "(1)"."""
    shown = [r.number[:10] for r in records]
    reserved = taken | {n for n in shown if n and shown.count(n) == 1}
    numbers = []
    for order, n in enumerate(shown, start=1):
        if not (n and shown.count(n) == 1 and n not in taken):
            n = f"({order})"
            while n in reserved:
                n = f"{n[:9]}'"
        reserved.add(n)
        numbers.append(n)
    return numbers


def _items(*, source, ids, progress, record: reading.MeetingRecord, meeting: Meeting, by, run) -> list[int]:
    """The meeting's items and their documents; returns the ids of documents that did not come across."""
    current = {item.pk: item for item in meeting.items.all()}
    wanted = []
    for record_item in record.items:
        kept = ids.get(Kind.AGENDA_ITEM, record_item.id)
        wanted.append((record_item, current.pop(kept.object_id, None) if kept else None))
    # Items ModernGov no longer lists (only those this import made) go; others stay.
    imported_pks = set(
        ModernGovId.objects.filter(kind=Kind.AGENDA_ITEM, object_id__in=list(current)).values_list(
            "object_id", flat=True
        )
    )
    for stale in [item for pk, item in current.items() if pk in imported_pks]:
        stale.delete()
    # Orders and numbers are unique per meeting: park the kept items out of the way first.
    offset = 10_000 + len(wanted) + meeting.items.count()
    for n, (_, item) in enumerate(wanted):
        if item is not None:
            AgendaItem.objects.filter(pk=item.pk).update(order=offset + n, number=f"~{n}")
    staying = meeting.items.exclude(pk__in=[i.pk for _, i in wanted if i])
    taken = set(staying.values_list("number", flat=True))
    numbers = _item_numbers([r for r, _ in wanted], taken)
    # Items officers added keep their places; ModernGov's go in the places around them.
    places = set(staying.values_list("order", flat=True))
    orders = [n for n in range(1, len(wanted) + len(places) + 1) if n not in places][: len(wanted)]
    missing = []
    for order, number, (record_item, item) in zip(orders, numbers, wanted, strict=True):
        outcome = "updated" if item else "imported"
        item = item or AgendaItem(meeting=meeting)
        item.order = order
        item.number = number
        item.title = (record_item.title or "Untitled item")[:300]
        item.standing_text = record_item.text
        kind = next((k for rule, k in KINDS if rule.search(item.title)), None)
        item.kind = kind or (AgendaItem.Kind.REPORT if record_item.documents else AgendaItem.Kind.OTHER)
        if record_item.restricted and item.access == Access.PUBLIC:
            # Restricted in ModernGov: Part II, its paragraph for an officer to record. Never Part I.
            item.access, item.exempt_paragraphs, item.paragraph_not_recorded = Access.EXEMPT, 0, True
        _save(item, by)
        ids.keep(Kind.AGENDA_ITEM, record_item.id, item, fingerprint(record_item), run=run)
        progress.count("agenda_item", outcome)
        for doc in record_item.documents:
            if not _document(source=source, ids=ids, progress=progress, doc=doc, item=item, by=by, run=run):
                missing.append(doc.id)
    return missing


def _documents_again(*, source, ids, progress, record: reading.MeetingRecord, missing: list[int], by, run) -> list[int]:
    """An unchanged meeting's documents that an earlier run could not bring across (no address,
    not found at it, refused as an upload), tried again; returns those still missing."""
    kept = {r.id: ids.get(Kind.AGENDA_ITEM, r.id) for r in record.items}
    items = AgendaItem.objects.in_bulk([row.object_id for row in kept.values() if row])
    still = []
    for record_item in record.items:
        item = items.get(kept[record_item.id].object_id) if kept[record_item.id] else None
        for doc in record_item.documents:
            if doc.id not in missing:
                continue
            if item is None or not _document(
                source=source, ids=ids, progress=progress, doc=doc, item=item, by=by, run=run
            ):
                still.append(doc.id)
    return still


ATTENDANCE = [
    ("apolog", Attendance.Status.APOLOGIES),
    ("absent", Attendance.Status.ABSENT),
    ("present", Attendance.Status.PRESENT),
    ("in attendance", Attendance.Status.PRESENT),
    ("attended", Attendance.Status.PRESENT),
]


def _attendance(*, ids, progress, record: reading.MeetingRecord, meeting: Meeting, by) -> None:
    chair_taken = meeting.attendances.filter(in_the_chair=True).exists()
    for attendee in record.attendees:
        status = next((s for word, s in ATTENDANCE if word in attendee.attendance.lower()), None)
        if status is None:
            # "Expected" (a meeting still to come) and the like record no attendance.
            progress.count("attendance", "skipped", f'"{attendee.attendance or "no attendance"}" is not an attendance')
            continue
        member = None
        if attendee.member_id is not None:
            kept = ids.get(Kind.MEMBER, attendee.member_id)
            member = Member.objects.filter(pk=kept.object_id).first() if kept else None
            if member is None:
                member = _member(
                    ids,
                    progress,
                    reading.CouncillorRecord(
                        id=attendee.member_id, full_name=attendee.name, party=attendee.party, ward=attendee.ward
                    ),
                    by=by,
                )
        if member is None:
            progress.count("attendance", "skipped", "attendee without a member id")
            continue
        row = Attendance.objects.filter(meeting=meeting, member=member).first() or Attendance(
            meeting=meeting, member=member
        )
        row.status = status
        row.is_substitute = "substitute" in attendee.attendance.lower() and status == Attendance.Status.PRESENT
        if not chair_taken and status == Attendance.Status.PRESENT and attendee.role.lower().startswith("chair"):
            row.in_the_chair = chair_taken = True
        _save(row, by)
        progress.count("attendance", "imported")


def meeting_import(*, source, ids, progress, meeting_id: int, listed_under: Committee, committees: dict, by, run, now):
    try:
        record = reading.meeting(source.call("GetMeeting", lMeetingId=meeting_id))
    except NotFound as error:
        progress.count("meeting", "skipped", f"not answered ({error})")
        return
    except (ValueError, reading.ET.ParseError) as error:
        progress.count("meeting", "skipped", f"unreadable answer ({error})")
        return
    committee = committees.get(record.committee_id) or listed_under
    if record.day is None:
        progress.count("meeting", "skipped", "no date")
        return
    kept = ids.get(Kind.MEETING, record.id)
    print_ = fingerprint(record)
    if kept and kept.fingerprint == print_ and Meeting.objects.filter(pk=kept.object_id).exists():
        original = kept.original or {}
        if missing := original.get("documents_missing"):
            still = _documents_again(
                source=source, ids=ids, progress=progress, record=record, missing=missing, by=by, run=run
            )
            original = {key: value for key, value in original.items() if key != "documents_missing"}
            original |= {"documents_missing": still} if still else {}
        ids.seen_again(kept, run=run, original=original)
        progress.count("meeting", "unchanged")
        return
    meeting = Meeting.objects.filter(pk=kept.object_id).first() if kept else None
    outcome = "updated" if meeting else "imported"
    meeting = meeting or Meeting(committee=committee)
    meeting.committee = committee
    # A missing time is written as midnight in ModernGov's own pages too; Quorum shows it.
    meeting.starts_at = datetime.combine(record.day, record.at or time(0, 0), LONDON)
    meeting.venue = _venue(record.location)
    meeting.status = meeting_status(record, meeting.starts_at, now)
    words = record.status
    if meeting.is_called_off:
        meeting.status_reason = f"ModernGov status: {words}" if words else ""
    meeting.publication_deadline = committee_services.meeting_deadline(meeting=meeting)
    if meeting.status in (Meeting.Status.AGENDA_PUBLISHED, Meeting.Status.HELD):
        # ModernGov does not say when the agenda went out: the statutory deadline stands for it.
        meeting.agenda_published_at = meeting.agenda_published_at or datetime.combine(
            meeting.publication_deadline, time(17, 0), LONDON
        )
    _save(meeting, by)
    missing = _items(source=source, ids=ids, progress=progress, record=record, meeting=meeting, by=by, run=run)
    _attendance(ids=ids, progress=progress, record=record, meeting=meeting, by=by)
    if outcome == "updated" and meeting.is_published:
        # An item ModernGov now restricts, or no longer lists, may be printed in a pack built
        # here since the last run: once the meeting's import commits, that version is
        # withdrawn and new ones requested, as after an officer's change.
        transaction.on_commit(lambda meeting=meeting: pack_services.packs_after_papers_changed(meeting=meeting, by=by))
    # The documents that did not come across are named, so that the next run tries them again
    # even though the meeting itself will then be unchanged.
    original = {"status": words} | ({"documents_missing": missing} if missing else {})
    ids.keep(Kind.MEETING, record.id, meeting, print_, run=run, original=original)
    progress.count("meeting", outcome)


def year_ranges(since: int, until: int):
    for year in range(since, until + 1):
        yield date(year, 1, 1), date(year, 12, 31)


def archive_import(*, source, since: int, until: int, by=None, stream=None, now=None) -> tuple[ImportRun, dict]:
    """Import the archive of `source` (a SiteSource or FolderSource), meetings of the years
    since…until. Raises source.Unavailable when the site stops answering: the run is left
    unfinished, and the next run from the same source continues it."""
    now = now or timezone.now()
    run = ImportRun.objects.filter(source=source.label, finished_at__isnull=True).first()
    resumed = run is not None
    run = run or ImportRun.objects.create(source=source.label)
    progress = Progress(stream)
    ids = Ids()
    with transaction.atomic():
        committees = committees_import(source=source, ids=ids, progress=progress, by=by)
    with transaction.atomic():
        councillors_import(source=source, ids=ids, progress=progress, by=by)
    listing: dict[int, int] = {}
    for committee_id in committees:
        for start, end in year_ranges(since, until):
            try:
                data = source.call(
                    "GetMeetings",
                    lCommitteeId=committee_id,
                    sFromDate=start.strftime("%d/%m/%Y"),
                    sToDate=end.strftime("%d/%m/%Y"),
                )
            except NotFound:
                continue  # a year with no meetings saved
            try:
                listed = reading.meeting_ids(data)
            except reading.ET.ParseError as error:
                # Its meetings are not known, so not imported: said in the summary, and asked
                # for again by the next run.
                progress.count(
                    "meeting list",
                    "skipped",
                    f"GetMeetings of committee {committee_id}, {start.year} unreadable ({error})",
                )
                continue
            for meeting_id in listed:
                listing.setdefault(meeting_id, committee_id)
    done_here = set(
        ModernGovId.objects.filter(kind=Kind.MEETING, last_run=run).values_list("moderngov_id", flat=True)
    ) if resumed else set()  # fmt: skip
    progress.total = len(listing)
    for meeting_id, committee_id in sorted(listing.items()):
        if meeting_id in done_here:
            progress.count("meeting", "resumed past")
        else:
            with transaction.atomic():
                meeting_import(
                    source=source,
                    ids=ids,
                    progress=progress,
                    meeting_id=meeting_id,
                    listed_under=committees[committee_id],
                    committees=committees,
                    by=by,
                    run=run,
                    now=now,
                )
        progress.step()
    progress.stream.write("\n")
    numbering_past_kept_ids()
    summary = progress.summary()
    summary["resumed"] = resumed
    run.finished_at = timezone.now()
    run.summary = summary
    run.save()
    return run, summary


def numbering_past_kept_ids() -> None:
    """Quorum's own numbering moved past every kept ModernGov id of the same kind, so that a
    record made in Quorum after an import never shows (in the web service and the old
    addresses) a number an imported record already shows. Reports and PDFs share one
    number space in the service (odd and even attachment ids), so their numbering goes past
    half the largest kept document id."""
    largest = dict(
        ModernGovId.objects.order_by()
        .values_list("kind")
        .annotate(largest=Max("moderngov_id"))
        .values_list("kind", "largest")
    )
    targets = [
        (MODELS[kind], largest.get(kind)) for kind in (Kind.COMMITTEE, Kind.MEMBER, Kind.MEETING, Kind.AGENDA_ITEM)
    ]
    if largest.get(Kind.DOCUMENT) is not None:
        targets += [(model, largest[Kind.DOCUMENT] // 2 + 1) for model in (Appendix, Report)]
    with connection.cursor() as cursor:
        for model, past in targets:
            if past is None:
                continue
            table = model._meta.db_table
            if connection.vendor == "sqlite":
                # Django's SQLite tables are AUTOINCREMENT: the next id is past sqlite_sequence's.
                cursor.execute("UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [past, table])
                if not cursor.rowcount:
                    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, past])
                continue
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (sequence,) = cursor.fetchone()
            # Never backwards: only when the kept ids reach past what Quorum has numbered.
            cursor.execute(
                f"SELECT setval(%s, GREATEST(%s, (SELECT last_value FROM {sequence}), "  # noqa: S608 - the sequence's own name
                f"(SELECT COALESCE(MAX(id), 1) FROM {connection.ops.quote_name(table)})))",
                [sequence, past],
            )


def archive_years(since: int | None = None, until: int | None = None) -> tuple[int, int]:
    """The years of meetings an import or a saved copy asks for (import_moderngov and
    save_moderngov, --since and --until): by default from ten years ago to next year."""
    today = timezone.localdate()
    return since or (today - timedelta(days=366 * 10)).year, until or today.year + 1

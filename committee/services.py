"""Writes: the meeting lifecycle, publication, agenda order, documents, roles.

Every function checks what the law and the lifecycle require and refuses with a
ValidationError that tells the officer what to fix; nothing is changed when it refuses.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from core import outbox
from core.dates import long_date
from core.forms import changes_since, latest_history_id, normalise_newlines, version_hash
from core.history import Person, recorded_by
from core.richtext import sanitise
from core.storage import delete_old_files
from core.text import join_and, person_name

from . import word
from .deadlines import publication_deadline
from .models import (
    Access,
    AgendaItem,
    Appendix,
    Attendance,
    BackgroundPaper,
    CouncilClosureDay,
    Meeting,
    Minute,
    Minutes,
    Officer,
    Report,
    ReportSource,
    StandingItem,
    WordHeading,
    cleaned_document_name,
)
from .pack import services as pack_services
from .standing import STANDARD_ITEMS
from .validators import check_pdf, check_pdf_bytes

Status = Meeting.Status


def meeting_deadline(*, meeting: Meeting):
    closures = CouncilClosureDay.objects.values_list("date", flat=True)
    return publication_deadline(timezone.localdate(meeting.starts_at), closures)


@transaction.atomic
def meeting_save(*, meeting: Meeting) -> Meeting:
    """Create or update a meeting, keeping its statutory deadline true to its date."""
    meeting.publication_deadline = meeting_deadline(meeting=meeting)
    meeting.full_clean()
    was = Meeting.objects.filter(pk=meeting.pk).select_related("venue").first() if meeting.pk else None
    meeting.save()
    # The outbox (alerts): subscribers hear of a new meeting, and of one moved in time or place;
    # the message says which, and what it was.
    if was is None:
        outbox.record(kind=outbox.Kind.MEETING_ADDED, meeting=meeting)
    elif was.starts_at != meeting.starts_at or was.venue_id != meeting.venue_id:
        outbox.record(
            kind=outbox.Kind.MEETING_MOVED,
            meeting=meeting,
            was_starts_at=was.starts_at.isoformat(),
            was_venue=str(was.venue),
        )
    return meeting


def publication_problems(*, meeting: Meeting) -> list[str]:
    """What stops the agenda being published, in words an officer can act on."""
    problems = []
    if not meeting.can_publish_agenda:
        problems.append(f"The agenda cannot be published: the meeting is {meeting.get_status_display().lower()}.")
    items = list(meeting.items.all())
    if not items:
        problems.append("The agenda has no items.")
    for item in items:
        if item.access == Access.EXEMPT and (not item.paragraph_numbers or not item.public_interest_reasons):
            problems.append(
                f"Item {item.number} is Part II: give its Schedule 12A paragraph and the public interest reasons."
            )
    return problems


def _locked(meeting: Meeting) -> Meeting:
    """The meeting's current row, locked for this transaction: lifecycle steps never act on
    (or save) a stale copy that the caller happens to hold."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def is_late(*, meeting: Meeting, on=None) -> bool:
    on = on or timezone.localdate()
    return on > meeting_deadline(meeting=meeting)


@transaction.atomic
def meeting_publish_agenda(*, meeting: Meeting, by: Person, late_reasons: str = "") -> Meeting:
    """Publish the agenda and its papers.

    Refuses a Part II item without its paragraph. Past the five-clear-day deadline it
    refuses unless the officer records why the business is urgent (LGA s100B(4)).
    """
    meeting = _locked(meeting)
    problems = publication_problems(meeting=meeting)
    if problems:
        raise ValidationError(problems, code="not_ready")
    now = timezone.now()
    if is_late(meeting=meeting, on=timezone.localdate(now)):
        if not late_reasons.strip():
            raise ValidationError(
                "The deadline for five clear working days was %(deadline)s. To publish now, record "
                "the special circumstances and the chair's reasons for treating the business as urgent.",
                code="late",
                params={"deadline": long_date(meeting_deadline(meeting=meeting))},
            )
        meeting.late_publication_reasons = late_reasons.strip()
    meeting.status = Status.AGENDA_PUBLISHED
    meeting.status_reason = ""
    if meeting.agenda_published_at is None:
        meeting.agenda_published_at = now
    recorded_by(meeting, by).save(
        update_fields=["status", "status_reason", "agenda_published_at", "late_publication_reasons"]
    )
    Report.objects.filter(agenda_item__meeting=meeting, first_published_at__isnull=True).update(first_published_at=now)
    outbox.record(kind=outbox.Kind.AGENDA_PUBLISHED, meeting=meeting)
    # The packs are built once the publication commits, so the worker never reads a draft.
    meeting_id, by_id = meeting.pk, getattr(by, "pk", None)
    transaction.on_commit(lambda: pack_services.on_agenda_published(meeting_id=meeting_id, requested_by_id=by_id))
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: Person, reason: str, postpone: bool = False) -> Meeting:
    meeting = _locked(meeting)
    if meeting.status in (Status.HELD, Status.MINUTES_PUBLISHED):
        raise ValidationError("A meeting that has been held cannot be cancelled or postponed.", code="held")
    if not meeting.can_cancel:
        raise ValidationError("This meeting is already cancelled.", code="cancelled")
    if not reason.strip():
        raise ValidationError("Give the reason, so that the public can be told.", code="reason")
    meeting.status = Status.POSTPONED if postpone else Status.CANCELLED
    meeting.status_reason = reason.strip()
    recorded_by(meeting, by).save(update_fields=["status", "status_reason"])
    outbox.record(
        kind=outbox.Kind.MEETING_POSTPONED if postpone else outbox.Kind.MEETING_CANCELLED,
        meeting=meeting,
        reason=meeting.status_reason,
    )
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, by: Person) -> Meeting:
    meeting = _locked(meeting)
    if not meeting.can_mark_held:
        if meeting.status in (Status.HELD, Status.MINUTES_PUBLISHED):
            raise ValidationError("This meeting is already marked as held.", code="held")
        if meeting.status != Status.AGENDA_PUBLISHED:
            raise ValidationError(
                "Only a meeting whose agenda has been published can be marked as held.", code="not_published"
            )
        raise ValidationError("This meeting has not started yet.", code="future")
    meeting.status = Status.HELD
    recorded_by(meeting, by).save(update_fields=["status"])
    return meeting


@transaction.atomic
def minutes_publish(*, meeting: Meeting, by: Person) -> Minutes:
    meeting = _locked(meeting)
    if not meeting.can_publish_minutes:
        raise ValidationError("Minutes can be published once the meeting has been held.", code="not_held")
    try:
        minutes = meeting.minutes
    except Minutes.DoesNotExist as exc:
        raise ValidationError("Write the minutes before publishing them.", code="no_minutes") from exc
    if minutes.published_at is None:
        minutes.published_at = timezone.now()
        recorded_by(minutes, by).save(update_fields=["published_at"])
        outbox.record(kind=outbox.Kind.MINUTES_PUBLISHED, meeting=meeting)
    meeting.status = Status.MINUTES_PUBLISHED
    recorded_by(meeting, by).save(update_fields=["status"])
    return minutes


# Writing the minutes -------------------------------------------------------------------------


@dataclass(frozen=True)
class MinuteEntry:
    """What the officer wrote for one agenda item (both empty: no minute)."""

    item_id: int
    text: str = ""
    resolution: str = ""


@dataclass(frozen=True)
class AttendanceEntry:
    """One councillor's attendance; `status` "" leaves them out of the minutes."""

    member_id: int
    status: str
    in_the_chair: bool = False
    is_substitute: bool = False


def may_write_minutes(user) -> bool:
    wanted = [
        f"committee.{action}_{model}" for model in ("minutes", "minute", "attendance") for action in ("add", "change")
    ]
    return user.is_active and user.has_perms([*wanted, "committee.delete_minute", "committee.delete_attendance"])


def minutes_version(*, meeting: Meeting) -> str:
    """The version of a meeting's minutes as the "Write the minutes" page shows them: the
    minutes, their minutes of items and the attendance (core.forms.version_hash)."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    rows = [
        *([minutes] if minutes else []),
        *Minute.objects.filter(minutes__meeting=meeting).order_by("pk"),
        *Attendance.objects.filter(meeting=meeting).order_by("pk"),
    ]
    return f"{'m' if minutes else '-'}{version_hash(rows)}"


def minutes_problems(
    *, meeting: Meeting, entries: Sequence[MinuteEntry], attendances: Sequence[AttendanceEntry]
) -> list[str]:
    """What stops the minutes being saved, in words an officer can act on."""
    problems = []
    own = set(meeting.items.values_list("pk", flat=True))
    ids = [entry.item_id for entry in entries]
    if set(ids) - own:
        problems.append("Minutes can only be written for items on the agenda of this meeting.")
    if len(ids) != len(set(ids)):
        problems.append("Each item can have one minute only.")
    members = [row.member_id for row in attendances]
    if len(members) != len(set(members)):
        problems.append("Each councillor can be in the attendance once only.")
    recorded = [row for row in attendances if row.status]
    if len([row for row in recorded if row.in_the_chair]) > 1:
        problems.append("Only one councillor can be in the chair at a meeting.")
    if any(row.in_the_chair and row.status != Attendance.Status.PRESENT for row in recorded):
        problems.append("The councillor in the chair must be present.")
    if any(row.status not in Attendance.Status.values for row in recorded):
        problems.append("Choose present, apologies or absent for each councillor.")
    return problems


def _stale_minutes_message(meeting: Meeting) -> str:
    latest = [
        Minutes.history.filter(meeting_id=meeting.pk),
        Minute.history.filter(minutes__meeting_id=meeting.pk),
        Attendance.history.filter(meeting_id=meeting.pk),
    ]
    records = [r for r in (q.select_related("history_user").order_by("-history_id").first() for q in latest) if r]
    user = max(records, key=lambda r: r.history_date).history_user if records else None
    who = person_name(user)
    return (
        f"While you had this page open, {who} saved a change to these minutes. Nothing you typed has been "
        "saved: it is still on this form. Check the minutes against the current record (open this page in "
        "another tab), then save again to keep what this form shows."
    )


@transaction.atomic
def minutes_write(
    *,
    meeting: Meeting,
    by: Person,
    officers_in_attendance: str,
    entries: Sequence[MinuteEntry],
    attendances: Sequence[AttendanceEntry],
    version_seen: str | None = None,
) -> int:
    """Save the minutes of a held meeting as one page shows them: the officers in
    attendance, the minute of each item and the attendance, all or nothing.

    Only what differs from the stored record is written (an untouched save writes
    nothing, and no history row); returns how many records were written. `version_seen`
    (minutes_version when the page was drawn) refuses a save made from a stale copy.
    """
    meeting = _locked(meeting)  # one save of a meeting's minutes at a time
    if not meeting.can_write_minutes:
        raise ValidationError("Minutes can be written once the meeting has been held.", code="not_held")
    if version_seen is not None and version_seen != minutes_version(meeting=meeting):
        raise ValidationError(_stale_minutes_message(meeting), code="stale")
    problems = minutes_problems(meeting=meeting, entries=entries, attendances=attendances)
    if problems:
        raise ValidationError(problems, code="invalid")

    officers = normalise_newlines(officers_in_attendance or "").strip()
    written = 0
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:  # the first save of the page writes the minutes, even with nothing in them yet
        minutes = recorded_by(Minutes(meeting=meeting, officers_in_attendance=officers), by)
        minutes.save()
        written += 1
    elif minutes.officers_in_attendance != officers:
        minutes.officers_in_attendance = officers
        recorded_by(minutes, by).save(update_fields=["officers_in_attendance"])
        written += 1

    stored = {m.agenda_item_id: m for m in Minute.objects.filter(minutes__meeting=meeting)}
    for entry in entries:
        text, resolution = (sanitise(normalise_newlines(value or "")) for value in (entry.text, entry.resolution))
        minute = stored.get(entry.item_id)
        if minute is None:
            if text or resolution:
                recorded_by(
                    Minute(minutes=minutes, agenda_item_id=entry.item_id, text=text, resolution=resolution), by
                ).save()
                written += 1
        elif not (text or resolution):
            recorded_by(minute, by).delete()
            written += 1
        elif (str(minute.text or ""), str(minute.resolution or "")) != (text, resolution):
            minute.text, minute.resolution = text, resolution
            recorded_by(minute, by).save(update_fields=["text", "resolution"])
            written += 1

    present = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    # Whoever leaves the chair is written before whoever takes it: the database allows one.
    for row in sorted(attendances, key=lambda row: row.in_the_chair):
        attendance = present.get(row.member_id)
        chair, substitute = bool(row.in_the_chair) and bool(row.status), bool(row.is_substitute) and bool(row.status)
        if not row.status:
            if attendance is not None:
                recorded_by(attendance, by).delete()
                written += 1
            continue
        if attendance is None:
            attendance = Attendance(meeting=meeting, member_id=row.member_id)
        elif (attendance.status, attendance.in_the_chair, attendance.is_substitute) == (row.status, chair, substitute):
            continue
        attendance.status, attendance.in_the_chair, attendance.is_substitute = row.status, chair, substitute
        recorded_by(attendance, by).save()
        written += 1
    if written:
        # A minute taken out of published minutes leaves the agenda packs that reprint them.
        transaction.on_commit(lambda: pack_services.packs_after_minutes_changed(meeting=meeting, by=by))
    return written


def part_ii_last(items: Sequence[AgendaItem]) -> list[AgendaItem]:
    """The items in the order given, except that every Part II (or confidential) item comes
    after every Part I item: the press and public are excluded once, for the rest of the
    meeting (domain rules 5), so no public item may follow a private one."""
    return [item for item in items if not item.is_restricted] + [item for item in items if item.is_restricted]


def agenda_version(*, meeting: Meeting) -> str:
    """The agenda's order as a page showed it (each item's place, number and part), for the
    reorder page to say whether the agenda changed since it was drawn."""
    rows = AgendaItem.objects.filter(meeting=meeting).order_by("order").values_list("pk", "number", "access")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:32]


def _refuse_stale_order(meeting: Meeting, seen: str | None) -> None:
    if seen is not None and seen != agenda_version(meeting=meeting):
        raise ValidationError(
            "While you had this page open, the agenda was changed (an item added, moved, renumbered or made "
            "Part I or Part II, here or on another page). Nothing was saved: this is the agenda as it is now. "
            "Make your moves again.",
            code="stale",
        )


@transaction.atomic
def agenda_reorder(
    *, meeting: Meeting, ordered_item_ids: Sequence[int] | None, renumber: bool = False, seen: str | None = None
) -> list[AgendaItem]:
    """Put the items in the given order (1..n), Part II items after Part I items whatever
    order was given, and, if asked, number them to match. Two passes, so that swapping two
    items never trips the unique order (or number) half-way. Returns the Part II items that
    had to be moved after the Part I items. `seen`: the agenda_version of the page the order
    was made on; an order made on a page drawn before the agenda changed is refused, so that
    it never puts back what a colleague changed meanwhile. `ordered_item_ids` None: the
    agenda's order as read here, under the lock (an item a colleague added a moment before is
    in it, not a reason to refuse)."""
    items = {item.pk: item for item in AgendaItem.objects.select_for_update().filter(meeting=meeting)}
    _refuse_stale_order(meeting, seen)
    if ordered_item_ids is None:
        ordered_item_ids = [item.pk for item in sorted(items.values(), key=lambda item: item.order)]
    if set(ordered_item_ids) != set(items) or len(ordered_item_ids) != len(items):
        raise ValidationError("The new order must list every item of the agenda once.", code="mismatch")
    asked = [items[pk] for pk in ordered_item_ids]
    kept = part_ii_last(asked)
    moved = [item for position, item in enumerate(kept) if item.is_restricted and asked[position] is not item]
    ordered_item_ids = [item.pk for item in kept]
    offset = max((item.order for item in items.values()), default=0) + len(items) + 1
    for position, pk in enumerate(ordered_item_ids, start=1):
        changes = {"order": offset + position}
        if renumber:
            changes["number"] = f"~{position}"  # placeholder, never shown: the next pass sets it
        AgendaItem.objects.filter(pk=pk).update(**changes)
    # An item whose place or number changed is a changed row: the API's modified_since
    # (its updated_at) tells a client that keeps a copy of the agenda.
    now, changed = timezone.now(), []
    for position, pk in enumerate(ordered_item_ids, start=1):
        changes = {"order": position}
        if renumber:
            changes["number"] = str(position)
        item = items[pk]
        if item.order != position or changes.get("number", item.number) != item.number:
            changes["updated_at"] = now
            changed.append(pk)
        AgendaItem.objects.filter(pk=pk).update(**changes)
    # Each item moved or renumbered has a row in its history, as a save of it would: the
    # updates above pass by django-simple-history. By the officer who reordered (its
    # middleware's request), so a published agenda's renumbering is on the record.
    if changed:
        bulk_update_with_history(
            list(AgendaItem.objects.filter(pk__in=changed)),
            AgendaItem,
            fields=[],
            default_change_reason="The agenda was reordered",
        )
    return moved


def agenda_move(*, item: AgendaItem, step: int, renumber: bool = False, seen: str | None = None) -> None:
    """Move an item one place up (step=-1) or down (step=+1) the agenda (never a Part I item
    below a Part II one: agenda_reorder keeps them apart)."""
    ids = list(AgendaItem.objects.filter(meeting_id=item.meeting_id).order_by("order").values_list("pk", flat=True))
    here = ids.index(item.pk)
    there = here + step
    if 0 <= there < len(ids):
        ids[here], ids[there] = ids[there], ids[here]
    agenda_reorder(meeting=item.meeting, ordered_item_ids=ids, renumber=renumber, seen=seen)


def agenda_keep_part_ii_last(*, meeting: Meeting) -> list[AgendaItem]:
    """Part II items come after the Part I items whichever page changed the agenda (an item
    added after a Part II item, an item made Part II above Part I items or made Part I below
    Part II ones, standing items added): put them back in that order. Renumbered to match
    when the numbers followed the order (1 to n) and the agenda is not yet published; a
    published agenda's numbers are the ones the public, the press and the minutes cite, so
    they are kept. Returns the Part II items moved after the Part I items (none when the
    order was already right)."""
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("order"))
    if part_ii_last(items) == items:
        return []
    numbered = [item.number for item in items] == [str(n) for n in range(1, len(items) + 1)]
    # Asked of the stored meeting: the caller's copy may predate the agenda's publication.
    published = Meeting.objects.filter(pk=meeting.pk, agenda_published_at__isnull=False).exists()
    # The order as agenda_reorder reads it under its lock, not the list above: an item a
    # colleague added or deleted in between would make that list refused (an error page, the
    # officer's typing lost).
    return agenda_reorder(meeting=meeting, ordered_item_ids=None, renumber=numbered and not published)


@transaction.atomic
def agenda_items_from_standing(*, meeting: Meeting, by: Person | None = None) -> list[AgendaItem]:
    """Add the council's standing items (StandingItem, in the council's wording) to the end
    of a meeting's agenda, numbered after the items it has. The minutes item names the
    committee's previous meeting and is linked to it; "{committee}" in a text becomes the
    committee's name."""
    standing = [(s.kind, s.title, s.standing_text) for s in StandingItem.objects.filter(is_active=True)] or (
        [] if StandingItem.objects.exists() else STANDARD_ITEMS
    )
    previous = (
        Meeting.objects.filter(committee_id=meeting.committee_id, starts_at__lt=meeting.starts_at)
        .going_ahead()
        .order_by("-starts_at")
        .first()
    )
    existing = list(AgendaItem.objects.filter(meeting=meeting).values_list("order", "number"))
    order = max((o for o, _ in existing), default=0)
    numbers = {n for _, n in existing}
    created = []
    for kind, title, text in standing:
        order += 1
        number = str(order)
        while number in numbers:
            number += "a"
        numbers.add(number)
        item = AgendaItem(
            meeting=meeting,
            order=order,
            number=number,
            kind=kind,
            title=title,
            standing_text=text.replace("{committee}", meeting.committee.name),
        )
        if kind == AgendaItem.Kind.MINUTES and previous is not None:
            item.minutes_of = previous
            item.title = f"Minutes of the Meeting held on {long_date(previous.starts_at)}"
        agenda_item_prepare(item=item)
        item.full_clean()
        recorded_by(item, by).save()
        created.append(item)
    # The standing items that close an agenda (urgent business, the next meeting) are Part I:
    # they go before any Part II item already on it.
    agenda_keep_part_ii_last(meeting=meeting)
    return created


def agenda_items_prepare(*, items: Sequence[AgendaItem]) -> None:
    """New items (in the order given) go to the end of the agenda; those that join a
    published agenda are marked as supplementary items (domain rules 4)."""
    new = [item for item in items if item.pk is None]
    if not new:
        return
    meeting = new[0].meeting
    last = AgendaItem.objects.filter(meeting=meeting).order_by("-order").values_list("order", flat=True).first() or 0
    for item in new:
        if meeting.is_published and item.added_after_publication_at is None:
            item.added_after_publication_at = timezone.now()
        if item.order is None:
            last += 1
            item.order = last


def agenda_item_prepare(*, item: AgendaItem) -> AgendaItem:
    agenda_items_prepare(items=[item])
    return item


def appendix_prepare(*, appendix: Appendix) -> Appendix:
    """Record the text of an appendix for search as it is saved: a PDF's page count and
    text; a structured appendix's frozen data as the reader sees it.

    A newly uploaded PDF is checked (once: the form's validation already did it), stored
    under a name Quorum chooses with its cleaned copy beside it, and the name it came with
    is kept. The file it replaces, if any, is deleted once the save has committed."""
    previous = (
        Appendix.objects.filter(pk=appendix.pk).values_list("document", flat=True).first() if appendix.pk else None
    ) or ""
    if appendix.kind == Appendix.Kind.DOCUMENT and appendix.document and not appendix.document._committed:
        checked = check_pdf(appendix.document)
        appendix.document_pages = checked.pages
        appendix.document_text = checked.text[:1_000_000]
        appendix.document_name = PurePath(appendix.document.name).name[-255:]
        # Stored now (rather than by the model's save) so that the cleaned copy can be named
        # after it.
        appendix.document.save(appendix.document.name, appendix.document.file, save=False)
        appendix.document.storage.save(cleaned_document_name(appendix.document.name), ContentFile(checked.cleaned))
    elif appendix.kind == Appendix.Kind.STRUCTURED and appendix.structured is not None:
        appendix.document_text = structured_appendix_text(appendix=appendix)
    if previous and previous != (appendix.document.name or ""):
        appendix_files_discard(names=[previous])
    return appendix


def appendix_files_discard(*, names: Iterable[str]) -> None:
    """Delete stored uploads (each with its cleaned copy) once the transaction that stopped
    using them has committed. A file some appendix still points at is kept: so nothing is
    deleted if the transaction rolls back, or if this is called before the save."""
    names = [name for name in names if name]
    if not names:
        return

    def discard() -> None:
        storage = Appendix._meta.get_field("document").storage
        in_use = set(Appendix.objects.filter(document__in=names).values_list("document", flat=True))
        for name in names:
            if name not in in_use:
                storage.delete(name)
                storage.delete(cleaned_document_name(name))

    transaction.on_commit(discard)


def appendices_deleted(*, appendices: Iterable[Appendix]) -> None:
    """The appendices are being deleted: their files go once the deletion has committed."""
    appendix_files_discard(names=[a.document.name for a in appendices if a.document])


def appendix_files_prune(*, older_than) -> int:
    """Delete stored uploads (and cleaned copies) that no appendix points at and that were
    written more than `older_than` ago: those of appendices removed with their report or
    meeting, and files stored for a save that then failed. Returns how many were deleted."""
    storage = Appendix._meta.get_field("document").storage
    in_use = {PurePath(name).stem for name in Appendix.objects.exclude(document="").values_list("document", flat=True)}
    return sum(
        delete_old_files(storage, folder, older_than=older_than, keep=lambda file: PurePath(file).stem in in_use)
        for folder in ("appendices", "appendices/cleaned")
    )


class DocumentUnavailable(Exception):
    """A stored file that fails the checks made on uploads (its message says why)."""


def appendix_cleaned_document(*, appendix: Appendix) -> File:
    """The cleaned copy of an uploaded appendix, the only copy readers get (the public pages
    and the packs). Files stored before cleaned copies were kept are cleaned, under the same
    limits as an upload, the first time they are asked for. FileNotFoundError when the file
    has gone; DocumentUnavailable when it fails the checks."""
    storage = appendix.document.storage
    name = cleaned_document_name(appendix.document.name)
    if not storage.exists(name):
        try:
            with appendix.document.open("rb") as f:
                data = f.read()
        except ValueError as exc:  # no file at all
            raise FileNotFoundError(appendix.document.name) from exc
        try:
            checked = check_pdf_bytes(data)
        except ValidationError as exc:
            raise DocumentUnavailable(" ".join(exc.messages)) from exc
        stored = storage.save(name, ContentFile(checked.cleaned))
        if stored != name:  # made meanwhile by another request
            storage.delete(stored)
    return storage.open(name, "rb")


def structured_appendix_text(*, appendix: Appendix) -> str:
    """The appendix as the public reads it on the report's page, as plain text for search."""
    from core.richtext import plain_text

    from .appendices import kind_of, render

    if kind_of(appendix) is None:
        return ""
    return plain_text(render(appendix, medium="web"))[:1_000_000]


def structured_appendix_texts_refresh(*, labels: set[str]) -> int:  # labels: "risks.registersnapshot"
    """Write again the search text of every structured appendix of these models whose figures
    are worked out against other rows (appendices.Kind.compared_with: a register snapshot's
    direction of travel against the latest earlier one the public may read). A snapshot made
    Part II (or public again) changes which one that is: the text stored when the appendix was
    saved would keep the Part II quarter's scores where search reads them. Returns how many
    changed. A handful of appendices a register, each rendered once."""
    from django.contrib.contenttypes.models import ContentType

    from .appendices import kinds

    changed = 0
    for kind in kinds():
        if kind.compared_with is None or kind.key not in labels:
            continue
        content_type = ContentType.objects.get_for_model(kind.model)
        for appendix in Appendix.objects.filter(kind=Appendix.Kind.STRUCTURED, content_type=content_type):
            text = structured_appendix_text(appendix=appendix)
            if text != appendix.document_text:
                # The search text only: not an officer's edit, so no history version of its own.
                Appendix.objects.filter(pk=appendix.pk).update(document_text=text)
                changed += 1
    return changed


def structured_appendix_set(*, appendix: Appendix, row) -> Appendix:
    """Point the appendix at a frozen row another app registered (a register snapshot, a
    reported KPI report, a plan snapshot); refused for a row no app offers as an appendix."""
    from django.contrib.contenttypes.models import ContentType

    from .appendices import kind_for_label

    if row is None or kind_for_label(row._meta.label) is None:
        raise ValidationError(
            {"structured_row": "Choose the register snapshot, performance report or plan snapshot to show."}
        )
    appendix.kind = Appendix.Kind.STRUCTURED
    appendix.content_type = ContentType.objects.get_for_model(type(row))
    appendix.object_id = row.pk
    return appendix


def papers_changed_told(
    *, meeting: Meeting, paper: AgendaItem | Report, added: bool = False, public_pack_withdrawn: bool = False
) -> None:
    """Record in the outbox (core.outbox) that a paper of a published meeting changed: which one
    (an agenda item, or a report and through it its item), in the transaction of the change.
    `added`: the paper was created by this save (the admin knows: its add form), so an item
    that joined the published agenda now is told as a supplementary item, not as a change.
    `public_pack_withdrawn`: the change withdrew a public pack version that printed the paper
    (it was made Part II), so the public is not told that their pack stays as it was."""
    report = paper if isinstance(paper, Report) else Report.objects.filter(agenda_item=paper).first()
    item = paper.agenda_item if isinstance(paper, Report) else paper
    added = added and item.added_after_publication_at is not None
    details = {"public_pack_withdrawn": True} if public_pack_withdrawn else {}
    outbox.record(
        kind=outbox.Kind.PAPER_CHANGED, meeting=meeting, report=report, item_id=item.pk, added=added, **details
    )


def papers_changed(*, meeting: Meeting, by: Person, report: Report | None = None) -> None:
    """A paper of `meeting` was added or changed outside the admin's forms: once that has
    committed, a published meeting gets new pack versions (the admin's own saves call
    admin.rebuild_if_published, which also tells the officer about withdrawn versions), and
    subscribers and the committee's councillors are told which paper changed; an unpublished
    one has its papers pre-rendered for the packs its publication will build."""
    if meeting.is_published:
        if report is not None:
            papers_changed_told(meeting=meeting, paper=report)
        transaction.on_commit(lambda: pack_services.packs_after_papers_changed(meeting=meeting, by=by))
    else:
        pack_services.papers_prerender_request(meeting=meeting)


@transaction.atomic
def structured_appendix_attach(
    *,
    report: Report,
    row,
    title: str,
    letter: str = "",
    placement: str = Appendix.Placement.APPENDIX,
    order: int | None = None,
    by: Person,
) -> Appendix:
    """Attach a frozen row to a report as a structured appendix: the one way risks/,
    performance/ and send_actions/ do it. Its search text is filled in as the public will
    read it, it is validated like any appendix, kept in history, and a published meeting's
    packs are rebuilt once this has committed. Without `order`, it goes after the others."""
    if order is None:
        order = max(report.appendices.values_list("order", flat=True), default=0) + 1
    appendix = Appendix(report=report, placement=placement, letter=letter, title=title, order=order)
    structured_appendix_set(appendix=appendix, row=row)
    appendix_prepare(appendix=appendix)
    appendix.full_clean()
    recorded_by(appendix, by).save()
    papers_changed(meeting=report.agenda_item.meeting, by=by, report=report)
    return appendix


def appendices_index_structured() -> int:
    """Fill in the search text of structured appendices created without it (the demo's)."""
    count = 0
    for appendix in Appendix.objects.filter(kind=Appendix.Kind.STRUCTURED, document_text=""):
        appendix_prepare(appendix=appendix)
        Appendix.objects.filter(pk=appendix.pk).update(document_text=appendix.document_text)
        count += 1
    return count


# Reports from Word -------------------------------------------------------------------------


def word_mapping() -> dict[str, str]:
    """The council's headings and where each goes (WordHeading, edited in the admin)."""
    return dict(WordHeading.objects.values_list("heading", "target")) or {
        heading: target for heading, target, _ in word.DEFAULT_HEADINGS
    }


def _upload_bytes(upload) -> bytes:
    """The upload's bytes, never reading more than the limit (a huge upload is refused)."""
    upload.seek(0)
    data = upload.read(word.MAX_UPLOAD_BYTES + 1)
    upload.seek(0)
    return data


def report_word_read(*, upload, report: Report | None = None, agenda_item: AgendaItem | None = None):
    """Read an upload into a word.Proposal, with what the officer should know before saving.
    Refuses (ValidationError) what cannot be imported; writes nothing."""
    try:
        proposal = word.read_docx(_upload_bytes(upload), word_mapping())
    except word.WordRefused as exc:
        raise ValidationError(str(exc), code="word") from exc
    item = report.agenda_item if report is not None else agenda_item
    if report is None and not proposal.report_of:
        raise ValidationError(
            "The document's header table has no “Report of”: write whose report it is in the template's "
            "first table and upload it again.",
            code="word",
        )
    if proposal.contact and _contact_officer(proposal.contact) is None:
        proposal.warnings.append(
            f"The contact “{proposal.contact.splitlines()[0]}” is not an officer in Quorum: the report's "
            "contact is left as it is; choose it on the report after saving."
        )
    if proposal.part and item is not None:
        is_part_ii = item.access != Access.PUBLIC
        if (proposal.part == "II") != is_part_ii:
            proposal.warnings.append(
                f"The document says Part {proposal.part}, but agenda item {item.number} is "
                f"{item.get_access_display()}: the item's access is not changed by an import; change it on "
                "the agenda item if the document is right."
            )
    if proposal.appendix_letters:
        attached = set(report.appendices.values_list("letter", flat=True)) if report is not None else set()
        missing = [letter for letter in proposal.appendix_letters if letter not in attached]
        if missing:
            names = ", ".join(f"Appendix '{letter}'" for letter in missing)
            proposal.warnings.append(f"The text refers to {names}: attach it to the report after saving.")
    return proposal


def _contact_officer(contact: str) -> Officer | None:
    for line in contact.splitlines():
        name = line.split(",")[0].strip()
        if name:
            officer = Officer.objects.filter(name__iexact=name).first()
            if officer is not None:
                return officer
    return None


def report_word_version(*, report: Report) -> str:
    """What a Word import writes over, as a preview was shown against it: the report's row and
    its background papers (core.forms.version_hash), then its last history row (who changed
    what since)."""
    papers = list(report.background_papers.order_by("pk"))
    return f"{version_hash([report])}.{version_hash(papers)}:{latest_history_id(report)}"


def _refuse_stale_import(report: Report, version_seen: str) -> None:
    seen, _, seen_history = version_seen.partition(":")
    if seen == report_word_version(report=report).partition(":")[0]:
        return
    changes = changes_since(report, int(seen_history) if seen_history.isdigit() else 0)
    raise ValidationError(
        f"While you were checking the preview, {changes.who()} saved a change "
        f"to {join_and(changes.fields) if changes.fields else 'this report or its background papers'}{changes.at()}. "
        "Nothing has been imported: upload the document again to see it against the report as it is now.",
        code="stale",
    )


@transaction.atomic
def report_import_docx(
    *, report: Report, upload, by: Person, original_name: str = "", version_seen: str | None = None
) -> bool:
    """Fill a report from a Word document, all or nothing, keeping the document with it.
    `version_seen` (report_word_version when the preview was shown) refuses an import over
    changes saved since. Returns whether anything changed: a document that says what the
    report already says saves nothing (no history row, no second copy of the document)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if version_seen is not None:
        _refuse_stale_import(report, version_seen)
    proposal = report_word_read(upload=upload, report=report)
    return _report_fill(report, proposal, upload=upload, by=by, original_name=original_name)


@transaction.atomic
def report_create_from_docx(*, agenda_item: AgendaItem, upload, by: Person, original_name: str = "") -> Report:
    """A new report for an agenda item, from a Word document made from the template."""
    if Report.objects.filter(agenda_item=agenda_item).exists():
        raise ValidationError("This agenda item already has a report: upload the document on the report.")
    proposal = report_word_read(upload=upload, agenda_item=agenda_item)
    report = Report(agenda_item=agenda_item, title=agenda_item.title)
    _report_fill(report, proposal, upload=upload, by=by, original_name=original_name)
    return report


def _report_fill(report: Report, proposal, *, upload, by: Person, original_name: str) -> bool:
    from django.core.files.base import ContentFile

    before = version_hash([report]) if report.pk else None
    if proposal.title:
        report.title = proposal.title[:300]
    if proposal.report_of:
        report.report_of = proposal.report_of.replace("\n", " ")[:200]
    if proposal.electoral_divisions:
        report.electoral_divisions = proposal.electoral_divisions.replace("\n", ", ")[:300]
    if proposal.contact:
        report.contact = _contact_officer(proposal.contact) or report.contact
    for name, html in proposal.sections.items():
        setattr(report, name, html)
    name = original_name or getattr(upload, "name", "") or "report.docx"
    recorded_by(report, by, reason=f"Imported from Word: {name}"[:100])
    try:
        report.full_clean()
    except ValidationError as exc:
        raise ValidationError(
            [
                f"{Report._meta.get_field(name).verbose_name.capitalize() if name != '__all__' else 'Report'}: {message}"
                for name, messages in exc.message_dict.items()
                for message in messages
            ]
        ) from exc
    papers_found = word.TARGET_BACKGROUND_PAPERS in proposal.section_headings
    papers_same = not papers_found or list(report.background_papers.order_by("pk").values_list(
        "paper", "date", "contact"
    )) == [tuple(paper) for paper in proposal.background_papers]  # fmt: skip
    if before == version_hash([report]) and papers_same:
        return False
    report.save()
    if not papers_same:
        report.background_papers.all().delete()
        for paper, date, contact in proposal.background_papers:
            recorded_by(BackgroundPaper(report=report, paper=paper, date=date, contact=contact), by).save()
    data = _upload_bytes(upload)
    ReportSource.objects.create(
        report=report,
        file=ContentFile(data, name="source.docx"),
        original_name=name[:255],
        size=len(data),
        uploaded_by=by if getattr(by, "pk", None) else None,
    )
    meeting = report.agenda_item.meeting
    if meeting.is_published:  # told in this transaction, as the admin's own save tells it
        papers_changed_told(meeting=meeting, paper=report, added=before is None)
    return True


def _template_parts() -> list[tuple[str, str]]:
    """The template's headings, one per part of the report, in the council's order."""
    parts, seen = [], set()
    rows = WordHeading.objects.filter(in_template=True).values_list("heading", "target") or [
        (heading, target) for heading, target, in_template in word.DEFAULT_HEADINGS if in_template
    ]
    for heading, target in rows:
        if target not in seen and target != word.TARGET_LEAVE_OUT:
            parts.append((heading, target))
            seen.add(target)
    return parts


def word_template() -> bytes:
    """The council's report template as a .docx: the headings and table the importer reads."""
    front = {"report_of": "", "part": "Part I", "electoral_divisions": "All", "contact": ""}
    parts = [(h, t, [] if t == word.TARGET_BACKGROUND_PAPERS else "") for h, t in _template_parts()]
    return word.write_docx(title=word.TEMPLATE_TITLE, front=front, parts=parts, guidance=word.TEMPLATE_GUIDANCE)


def report_word_document(*, report: Report) -> bytes:
    """A report as a .docx in the template's shape, to revise in Word and upload again."""
    contact = report.contact
    front = {
        "report_of": report.report_of,
        "part": "Part I" if report.agenda_item.access == Access.PUBLIC else "Part II",
        "electoral_divisions": report.electoral_divisions,
        "contact": "\n".join(line for line in (contact.name, contact.job_title, contact.email, contact.phone) if line)
        if contact
        else "",
    }
    parts = []
    for heading, target in _template_parts():
        if target == word.TARGET_BACKGROUND_PAPERS:
            content = [(p.paper, p.date, p.contact) for p in report.background_papers.all()]
        else:
            content = getattr(report, target) or ""
        parts.append((heading, target, content))
    return word.write_docx(title=report.title, front=front, parts=parts)


# Roles ------------------------------------------------------------------------------------

ROLE_DEMOCRATIC_SERVICES = "Democratic services officer"
ROLE_REPORT_AUTHOR = "Report author"

_DSO_APPS = ("committee", "risks", "performance", "send_actions", "decisions", "alerts", "interests")
# Officers unlock a locked-out account and remove the two-factor codes of someone who lost
# their phone; they never see or make anyone's codes.
_DSO_SIGN_IN_PERMISSIONS = (
    "view_accessattempt",
    "delete_accessattempt",
    "view_accesslog",
    "view_totpdevice",
    "delete_totpdevice",
    "view_staticdevice",
    "delete_staticdevice",
)
_AUTHOR_MODELS = {
    "report": ("view", "change"),
    "backgroundpaper": ("view", "add", "change", "delete"),
    "appendix": ("view", "add", "change", "delete"),
    "meeting": ("view",),
    "agendaitem": ("view",),
    "committee": ("view",),
    "officer": ("view",),
}


def roles_sync() -> None:
    """Create the officer roles with their permissions (run after every migrate).

    Democratic services officers edit and publish everything; report authors edit reports
    and their appendices but cannot publish or change the agenda.
    """
    dso, _ = Group.objects.get_or_create(name=ROLE_DEMOCRATIC_SERVICES)
    dso.permissions.set(
        Permission.objects.filter(content_type__app_label__in=_DSO_APPS)
        | Permission.objects.filter(codename__in=_DSO_SIGN_IN_PERMISSIONS)
    )
    author, _ = Group.objects.get_or_create(name=ROLE_REPORT_AUTHOR)
    wanted = [f"{action}_{model}" for model, actions in _AUTHOR_MODELS.items() for action in actions]
    author.permissions.set(Permission.objects.filter(content_type__app_label="committee", codename__in=wanted))


def may_publish(user) -> bool:
    return user.is_active and user.has_perm("committee.publish_meeting")

"""Reads for pages, tables, feeds, the API and the packs.

Every read of papers composes the rules of committee.gate (domain rules 9), which alone
says what a reader may read; nothing here decides it. Anonymous surfaces (feeds, sitemap,
search index, API, public pack) read as `Reader.public()`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, Count, F, OuterRef, Prefetch, QuerySet, Subquery, When
from django.http import Http404
from django.utils import timezone

from core.text import join_and

from . import gate
from .gate import Reader
from .models import (
    AWAITING_AGENDA,
    Access,
    AgendaItem,
    AgendaPack,
    Appendix,
    Attendance,
    Committee,
    Meeting,
    Member,
    Membership,
    Minute,
    Minutes,
    Report,
)

# Meetings -------------------------------------------------------------------------------


def meeting_list(*, committee_id: int | None = None) -> QuerySet[Meeting]:
    """Meetings are public from the day they are scheduled (the council's calendar); their
    papers follow the gate."""
    qs = Meeting.objects.select_related("committee", "venue")
    if committee_id is not None:
        qs = qs.filter(committee_id=committee_id)
    return qs


def meeting_detail(pk: int) -> Meeting:
    try:
        return Meeting.objects.select_related("committee", "venue", "clerk", "signing_officer").get(pk=pk)
    except Meeting.DoesNotExist as exc:
        raise Http404("No such meeting") from exc


def agenda_for(meeting: Meeting, reader: Reader) -> list[AgendaItem]:
    """The agenda as `reader` may see it. Every item is listed (a Part II item by its title
    and paragraph only); `item.readable` says whether its papers may be shown, and
    `item.report_if_readable` carries the report only when they may. Two queries: the items
    (the standing text of those the reader may read only), and the readable reports."""
    if not gate.agenda_open(meeting, reader):
        return []
    items = list(gate.items_listed(reader).filter(meeting=meeting).select_related("minutes_of").order_by("order"))
    reports = {r.agenda_item_id: r for r in reports_readable(reader).filter(agenda_item__meeting=meeting)}
    for item in items:
        item.standing_text = item.readable_text
        item.report_if_readable = reports.get(item.pk) if item.readable else None
    return items


def published_agenda_items(reader: Reader) -> QuerySet[AgendaItem]:
    """Every item of every agenda the reader may see, as the agenda lists them: a Part II item
    by its title and paragraphs only (`readable`, `readable_text`, `readable_report_id`
    come from the gate; the Part II text and report are never loaded)."""
    q = gate.item_q(reader)  # an item's report is readable exactly when the item is
    report_id = F("report__id") if not q else Case(When(q, then=F("report__id")), default=None)
    return gate.items_listed(reader).annotate(readable_report_id=report_id)


def exclusion_resolution(items: list[AgendaItem]) -> str:
    """The resolution excluding the press and public (domain rules 7), generated from the
    Part II items so that it always names exactly them."""
    exempt = [item for item in items if item.access == Access.EXEMPT]
    if not exempt:
        return ""
    listed = "; ".join(f"item {item.number} ({item.paragraphs_display.lower()})" for item in exempt)
    return (
        "That the press and public be excluded from the meeting during consideration of the "
        f"following {'items' if len(exempt) > 1 else 'item'} of business, {listed}, on the "
        "grounds that there would be a likely disclosure of exempt information as defined in "
        "the appropriate paragraph of Part 1 of Schedule 12A to the Local Government Act 1972, "
        "and that in all the circumstances the public interest in maintaining the exemption "
        "outweighs the public interest in disclosing the information."
    )


# Reports and appendices -------------------------------------------------------------------


def report_detail(pk: int, reader: Reader) -> Report:
    try:
        return (
            Report.objects.filter(gate.report_q(reader))
            .select_related("agenda_item__meeting__committee", "agenda_item__meeting__venue", "contact")
            .prefetch_related(
                "background_papers",
                Prefetch(
                    "appendices",
                    queryset=Appendix.objects.filter(gate.appendix_q(reader)).select_related("content_type"),
                    to_attr="readable_appendices",
                ),
            )
            .get(pk=pk)
        )
    except Report.DoesNotExist as exc:
        # 404, not 403: the public must not learn that a restricted paper exists at this address.
        raise Http404("No such report") from exc


def appendix_document(pk: int, reader: Reader) -> Appendix:
    try:
        return (
            Appendix.objects.filter(gate.appendix_q(reader), kind=Appendix.Kind.DOCUMENT)
            .select_related("report__agenda_item__meeting")
            .get(pk=pk)
        )
    except Appendix.DoesNotExist as exc:
        raise Http404("No such document") from exc


def appendix_original(pk: int, reader: Reader) -> Appendix:
    """An uploaded file as it was uploaded: officers and the report's authors only (404 for
    everyone else)."""
    appendix = appendix_document(pk, reader)
    if not gate.may_read_originals(reader, appendix):
        raise Http404("No such document")
    return appendix


def reports_readable(reader: Reader) -> QuerySet[Report]:
    return Report.objects.filter(gate.report_q(reader))


# Minutes ----------------------------------------------------------------------------------


def minutes_for(meeting: Meeting, reader: Reader) -> tuple[list[Attendance], list[Minute]]:
    """Attendance and the minute of each item the reader may read. Minutes are public once
    published; officers see drafts."""
    try:
        minutes = meeting.minutes
    except Minutes.DoesNotExist:
        return [], []
    if minutes is None or not gate.minutes_open(minutes, reader):
        return [], []
    attendance = list(meeting.attendances.select_related("member").all())
    entries = list(
        Minute.objects.filter(minutes=minutes)
        .filter(gate.minute_q(reader))
        .select_related("agenda_item")
        .order_by("agenda_item__order")
    )
    return attendance, entries


# Portal listings ---------------------------------------------------------------------------


def recently_published_reports(
    reader: Reader,
    *,
    committee_ids: Iterable[int] | None = None,
    since: datetime | None = None,
    limit: int = 10,
) -> list[Report]:
    """Reports in order of first publication, newest first, as the reader may see them: of
    the committees given, and first published since a time, if asked."""
    qs = reports_readable(reader).filter(first_published_at__isnull=False)
    if committee_ids is not None:
        qs = qs.filter(agenda_item__meeting__committee_id__in=committee_ids)
    if since is not None:
        qs = qs.filter(first_published_at__gte=since)
    return list(qs.select_related("agenda_item__meeting__committee").order_by("-first_published_at", "-pk")[:limit])


def committees_with_next_meeting() -> QuerySet[Committee]:
    """Each active committee with the start of its next meeting going ahead: a cancelled or
    postponed meeting is not the next meeting."""
    next_meeting = Meeting.objects.filter(committee=OuterRef("pk")).going_ahead().upcoming().values("starts_at")[:1]
    return Committee.objects.filter(is_active=True).annotate(next_meeting=Subquery(next_meeting))


# A councillor's own page ("Your meetings"): how far it looks, and how much it lists.
MEETINGS_AHEAD = 10
NEW_PAPERS_DAYS = 14
NEW_PAPERS_LISTED = 20
RECENT_MEETINGS = 6


@dataclass
class CouncillorsMeetings:
    """What a councillor's own page lists, for the committees they sit on today."""

    memberships: list[Membership]
    ahead: list[Meeting]  # going ahead, soonest first (the view gives each its `readable_packs`)
    called_off: list[Meeting]  # cancelled or postponed, still to have been held
    new_papers: list[Report]  # first published in the last NEW_PAPERS_DAYS, newest first
    recent: list[Meeting]  # held lately, newest first, each with `minutes_published_at`


def councillors_meetings(member: Member, reader: Reader) -> CouncillorsMeetings:
    """The meetings and papers of the committees `member` sits on today, as `reader` (the
    councillor's own) may read them. Five queries, however many committees and meetings."""
    now = timezone.now()
    memberships = list(
        Membership.objects.current().filter(member=member).select_related("committee").order_by("committee__name")
    )
    committee_ids = sorted({m.committee_id for m in memberships})
    meetings = meeting_list().filter(committee_id__in=committee_ids)
    ahead = meetings.upcoming()
    recent = (
        meetings.past()
        .going_ahead()
        .filter(agenda_published_at__isnull=False)  # held, not a draft left in the past
        .annotate(minutes_published_at=F("minutes__published_at"))
    )
    return CouncillorsMeetings(
        memberships=memberships,
        ahead=list(ahead.going_ahead()[:MEETINGS_AHEAD]),
        called_off=list(ahead.called_off()[:MEETINGS_AHEAD]),
        new_papers=recently_published_reports(
            reader,
            committee_ids=committee_ids,
            since=now - timedelta(days=NEW_PAPERS_DAYS),
            limit=NEW_PAPERS_LISTED,
        ),
        recent=list(recent[:RECENT_MEETINGS]),
    )


def member_record(member) -> dict:
    """A councillor's committees and attendance record (present / apologies / absent)."""
    memberships = list(member.memberships.select_related("committee").order_by("-end_date", "committee__name"))
    attendance = list(member.attendances.select_related("meeting__committee").order_by("-meeting__starts_at"))
    totals = dict(member.attendances.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {"memberships": memberships, "attendance": attendance, "totals": totals}


# The officer's dashboard (the admin's home) --------------------------------------------------


def meetings_awaiting_publication(today) -> list[Meeting]:
    """Meetings to come whose agenda is not yet published, the latest (deadline passed) first,
    each with `days_left` to its publication deadline (negative: late). Two queries: the
    meetings and their items (for what stops publication, services.publication_problems)."""
    # Not going_ahead(): a postponed meeting is kept, as it awaits a new agenda.
    meetings = list(
        Meeting.objects.filter(status__in=AWAITING_AGENDA, starts_at__date__gte=today)
        .select_related("committee")
        .prefetch_related(Prefetch("items", queryset=AgendaItem.objects.select_related("report")))
        .order_by("publication_deadline", "starts_at")
    )
    for meeting in meetings:
        meeting.days_left = (meeting.publication_deadline - today).days
        meeting.is_late = meeting.days_left < 0
    return meetings


def report_problems(meeting: Meeting) -> list[str]:
    """Report items on the agenda without a report, or whose report has nothing written in
    any section, read from the items as loaded (meetings_awaiting_publication loads them)."""
    problems = []
    for item in meeting.items.all():
        if item.kind != AgendaItem.Kind.REPORT:
            continue
        try:
            report = item.report
        except Report.DoesNotExist:
            problems.append(f"Item {item.number} has no report.")
            continue
        if not any((getattr(report, name) or "").strip() for name, _ in Report.SECTIONS):
            problems.append(f"Item {item.number}'s report has no content.")
    return problems


def held_meetings_without_minutes() -> QuerySet[Meeting]:
    """Meetings marked held whose minutes are not yet published."""
    return Meeting.objects.filter(status=Meeting.Status.HELD).select_related("committee").order_by("starts_at")


def pack_builds_needing_attention() -> QuerySet[AgendaPack]:
    """Agenda pack builds running (queued or rendering) or failed."""
    return (
        AgendaPack.objects.filter(
            status__in=[AgendaPack.Status.QUEUED, AgendaPack.Status.RENDERING, AgendaPack.Status.FAILED]
        )
        .select_related("meeting__committee")
        .order_by("status", "-pk")
    )


# Writing the minutes (officers) ------------------------------------------------------------


def _ordinal_date(day) -> str:
    """ "27th February 2018", as the council writes the dates in its minutes."""
    n = day.day
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} {day:%B %Y}"


def standard_minute(item: AgendaItem, *, apologies: list[str], next_meeting: Meeting | None) -> tuple[str, str]:
    """The council's standing wording for the standard items (the seed's minutes of 18 April
    2018), as (text, resolution): the officer edits it where the meeting differed."""
    kind = AgendaItem.Kind
    if item.kind == kind.APOLOGIES:
        if apologies:
            return f"<p>Apologies for absence were received from {join_and(apologies)}.</p>", ""
        return "<p>No apologies for absence were received.</p>", ""
    if item.kind == kind.DECLARATIONS:
        return "<p>No pecuniary or non-pecuniary interests were disclosed.</p>", ""
    if item.kind == kind.MINUTES:
        if item.minutes_of is not None:
            held_on = _ordinal_date(timezone.localtime(item.minutes_of.starts_at).date())
        else:
            held_on = item.title.partition(" held on ")[2] or "the previous meeting"
        return "", (
            f"<p>Resolved: That the minutes of the meeting held on {held_on} be confirmed and signed by the Chair.</p>"
        )
    if item.kind == kind.URGENT_BUSINESS:
        return "<p>There were no items of Urgent Business.</p>", ""
    if item.kind == kind.NEXT_MEETING and next_meeting is not None:
        starts = timezone.localtime(next_meeting.starts_at)
        time = f"{starts:%-I.%M%p}".lower()
        return (
            f"<p>The next meeting of the {next_meeting.committee} would be held on {starts:%A} "
            f"{_ordinal_date(starts.date())} at {time} in {next_meeting.venue.name}, {next_meeting.venue.address}.</p>",
            "",
        )
    return "", ""


@dataclass
class AttendanceRow:
    """One line of the attendance on the "Write the minutes" page."""

    member: Member | None
    status: str
    in_the_chair: bool = False
    is_substitute: bool = False
    role: str = ""


@dataclass
class MinutesSheet:
    """Everything the "Write the minutes" page shows, as stored, or, before the minutes are
    first saved, as proposed: the standard wording and the committee's members present."""

    meeting: Meeting
    minutes: Minutes | None
    items: list[AgendaItem]
    proposed: dict[int, tuple[str, str]]
    attendance: list[AttendanceRow]
    officers_in_attendance: str


def minutes_sheet(meeting: Meeting) -> MinutesSheet:
    """A fixed number of queries, whatever the number of items and councillors."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    items = list(meeting.items.select_related("minute", "minutes_of").order_by("order"))
    stored = {a.member_id: a for a in meeting.attendances.select_related("member").order_by("pk")}
    day = timezone.localtime(meeting.starts_at).date()
    memberships = list(
        Membership.objects.current(on=day)
        .filter(committee_id=meeting.committee_id)
        .select_related("member")
        .order_by(Case(When(role="chair", then=0), When(role="vice_chair", then=1), default=2), "member__name")
    )
    first_time = minutes is None
    someone_chairs = any(a.in_the_chair for a in stored.values())
    rows, listed = [], set()
    for membership in memberships:
        member = membership.member
        if member.pk in listed:
            continue
        listed.add(member.pk)
        attendance = stored.get(member.pk)
        if attendance is not None:
            row = AttendanceRow(member, attendance.status, attendance.in_the_chair, attendance.is_substitute)
        elif first_time:
            # Proposed: every member present, the committee's chair in the chair.
            chairs = membership.role == Membership.Role.CHAIR and not someone_chairs
            row = AttendanceRow(member, Attendance.Status.PRESENT, in_the_chair=chairs)
        else:
            row = AttendanceRow(member, "")
        row.role = membership.get_role_display()
        rows.append(row)
    for attendance in stored.values():
        if attendance.member_id not in listed:  # a substitute, or a former member
            rows.append(
                AttendanceRow(attendance.member, attendance.status, attendance.in_the_chair, attendance.is_substitute)
            )
    proposed = {}
    if first_time:
        apologies = [str(row.member) for row in rows if row.status == Attendance.Status.APOLOGIES]
        next_meeting = None
        if any(item.kind == AgendaItem.Kind.NEXT_MEETING for item in items):
            next_meeting = (
                Meeting.objects.filter(committee_id=meeting.committee_id, starts_at__gt=meeting.starts_at)
                .going_ahead()
                .select_related("committee", "venue")
                .order_by("starts_at")
                .first()
            )
        for item in items:
            wording = standard_minute(item, apologies=apologies, next_meeting=next_meeting)
            if any(wording):
                proposed[item.pk] = wording
    return MinutesSheet(
        meeting=meeting,
        minutes=minutes,
        items=items,
        proposed=proposed,
        attendance=rows,
        officers_in_attendance=minutes.officers_in_attendance if minutes else _clerk_line(meeting),
    )


def _clerk_line(meeting: Meeting) -> str:
    clerk = meeting.clerk
    return str(clerk) if clerk is not None else ""

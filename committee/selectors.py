"""Reads for pages, tables, feeds, the API and the packs.

Every read of papers composes the rules of committee.gate (domain rules 9), which alone
says what a reader may read; nothing here decides it. Anonymous surfaces (feeds, sitemap,
search index, API, public pack) read as `Reader.public()`.
"""

from django.db.models import Case, Count, F, Min, Prefetch, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone

from . import gate
from .gate import Reader
from .models import Access, AgendaItem, Appendix, Attendance, Committee, Meeting, Minute, Minutes, Report

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


def recently_published_reports(reader: Reader, *, committee_id: int | None = None, limit: int = 10) -> list[Report]:
    """Reports in order of first publication, newest first, as the reader may see them."""
    qs = reports_readable(reader).filter(first_published_at__isnull=False)
    if committee_id is not None:
        qs = qs.filter(agenda_item__meeting__committee_id=committee_id)
    return list(qs.select_related("agenda_item__meeting__committee").order_by("-first_published_at", "-pk")[:limit])


def committees_with_next_meeting() -> QuerySet[Committee]:
    return Committee.objects.filter(is_active=True).annotate(
        next_meeting=Min("meetings__starts_at", filter=Q(meetings__starts_at__gte=timezone.now()))
    )


def member_record(member) -> dict:
    """A councillor's committees and attendance record (present / apologies / absent)."""
    memberships = list(member.memberships.select_related("committee").order_by("-end_date", "committee__name"))
    attendance = list(member.attendances.select_related("meeting__committee").order_by("-meeting__starts_at"))
    totals = dict(member.attendances.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {"memberships": memberships, "attendance": attendance, "totals": totals}

"""Reads for the ModernGov web service, as the public reads them.

The service has no sign-in (ModernGov's has none for public data), so every read is made as
`Reader.public()` through committee.gate and committee.selectors: a Part II item is listed by
its title with no text and no papers, a draft agenda is not listed at all, attendance comes
from published minutes only. Each read is a fixed number of queries, whatever the number of
meetings, items, papers or councillors.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from committee import gate
from committee import selectors as committee_selectors
from committee.gate import Reader
from committee.models import (
    AgendaItem,
    Appendix,
    Committee,
    ElectoralDivision,
    Meeting,
    Member,
    Membership,
    Minutes,
    Report,
)
from moderngov.models import Kind
from moderngov.selectors import ShownIds, document_pk, quorum_pk

PUBLIC = Reader.public()


def committees() -> QuerySet[Committee]:
    return Committee.objects.order_by("name")


def meetings_between(
    start: date, end: date, *, committee_id: int | None = None, ascending: bool = True
) -> QuerySet[Meeting]:
    """Meetings from `start` to `end` inclusive (local dates). Meetings are public from the
    day they are scheduled, as on the calendar; their papers follow the gate."""
    order = "starts_at" if ascending else "-starts_at"
    return (
        committee_selectors.meeting_list(committee_id=committee_id)
        .filter(starts_at__date__gte=start, starts_at__date__lte=end)
        .order_by(order, "pk")
    )


def meeting(pk: int) -> Meeting | None:
    try:
        return committee_selectors.meeting_detail(pk)
    except Http404:
        return None


@dataclass
class AgendaEntry:
    item: AgendaItem
    report: Report | None  # only when the public may read it
    documents: list[Appendix] = field(default_factory=list)  # the report's readable PDFs


def agenda(meeting: Meeting) -> list[AgendaEntry]:
    """The agenda as the public agenda shows it (committee.selectors.agenda_for: a Part II item
    by its title only; nothing of a draft agenda), with the readable PDFs of each readable
    report. Three queries."""
    items = committee_selectors.agenda_for(meeting, PUBLIC)
    reports = [item.report_if_readable for item in items if item.report_if_readable is not None]
    documents: dict[int, list[Appendix]] = {}
    if reports:
        for appendix in Appendix.objects.filter(
            gate.appendix_q(PUBLIC), kind=Appendix.Kind.DOCUMENT, report__in=reports
        ).order_by("report_id", "order", "letter"):
            documents.setdefault(appendix.report_id, []).append(appendix)
    return [
        AgendaEntry(
            item=item,
            report=item.report_if_readable,
            documents=documents.get(item.report_if_readable.pk, []) if item.report_if_readable else [],
        )
        for item in items
    ]


@dataclass
class Attendee:
    member: Member
    role: str
    attendance: str


_ROLE_ORDER = {Membership.Role.CHAIR: 0, Membership.Role.VICE_CHAIR: 1}


def published_minutes(meeting: Meeting) -> Minutes | None:
    """The meeting's minutes if the public may read them."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    return minutes if minutes is not None and gate.minutes_open(minutes, PUBLIC) else None


def attendees(meeting: Meeting, minutes: Minutes | None) -> list[Attendee]:
    """Who attended, from the published minutes (`published_minutes`); before they are
    published, the committee's members on the day, "Expected" (as ModernGov lists them).
    Two queries at most."""
    day = timezone.localtime(meeting.starts_at).date()
    memberships = {
        m.member_id: m
        for m in Membership.objects.current(on=day)
        .filter(committee_id=meeting.committee_id)
        .select_related("member__division")
    }
    if minutes is not None:
        recorded = meeting.attendances.select_related("member__division").order_by("-in_the_chair", "pk")
        people = []
        for attendance in recorded:
            membership = memberships.get(attendance.member_id)
            if attendance.in_the_chair:
                role = "Chair"
            elif attendance.is_substitute:
                role = "Substitute"
            elif membership is not None:
                role = role_on_committee(membership)
            else:
                role = "Attendee"
            people.append(Attendee(attendance.member, role, attendance.get_status_display()))
        return people
    listed = sorted(memberships.values(), key=lambda m: (_ROLE_ORDER.get(m.role, 2), m.member.name))
    return [Attendee(m.member, role_on_committee(m), "Expected") for m in listed]


def role_on_committee(membership: Membership) -> str:
    return "Committee Member" if membership.role == Membership.Role.MEMBER else membership.get_role_display()


# Attachments: one number space, as ModernGov has; reports odd, uploaded PDFs even. An
# imported PDF shows the attachment id it had in ModernGov (moderngov.selectors).


def report_attachment_id(report: Report) -> int:
    return report.pk * 2 + 1


def document_attachment_id(appendix: Appendix, shown: ShownIds) -> int:
    """`shown` is required: an imported PDF must keep the attachment id it had in ModernGov
    (old links and saved answers name it); Quorum's own (pk * 2) is only for the others."""
    return shown(Kind.DOCUMENT, appendix.pk, own=lambda pk: pk * 2)


def attachment(attachment_id: int) -> Report | Appendix | None:
    """The report or uploaded PDF behind an attachment id (a kept ModernGov id first), if
    the public may read it; None both when there is none and when it is withheld (the
    public must not learn which)."""
    if attachment_id <= 0:
        return None
    document = quorum_pk(Kind.DOCUMENT, attachment_id, own=document_pk)
    if document is None and attachment_id % 2:
        return (
            committee_selectors.reports_readable(PUBLIC)
            .select_related("agenda_item__meeting__committee")
            .filter(pk=attachment_id // 2)
            .first()
        )
    if document is None:
        return None
    try:
        return committee_selectors.appendix_document(document, PUBLIC)
    except Http404:
        return None


# Councillors and wards ---------------------------------------------------------------------


def _current_memberships() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.current().select_related("committee").order_by("committee__name"),
        to_attr="current_memberships",
    )


def wards(ward_id: int | None = None) -> list[ElectoralDivision]:
    """Wards (electoral divisions) with their councillors and the posts they hold. Three
    queries."""
    qs = ElectoralDivision.objects.order_by("name").prefetch_related(
        Prefetch("members", queryset=Member.objects.order_by("name").prefetch_related(_current_memberships()))
    )
    if ward_id is not None:
        qs = qs.filter(pk=ward_id)
    return list(qs)


def members(order: str = "") -> list[Member]:
    """Every councillor, by name (`order` "surname": by the last word of the name, as the
    council's list of councillors is). Two queries."""
    listed = list(Member.objects.select_related("division").prefetch_related(_current_memberships()).order_by("name"))
    if order.lower() == "surname":
        listed.sort(key=lambda m: (m.name.split()[-1].lower() if m.name else "", m.name))
    return listed


def memberships_of(member_id: int) -> list[Membership]:
    return list(
        Membership.objects.current().filter(member_id=member_id).select_related("committee").order_by("committee__name")
    )


def calendar(start: date, end: date, *, member_id: int | None = None) -> QuerySet[Meeting]:
    """Meetings in the date range: every committee's, or (a councillor's calendar) those of
    the committees `member_id` sits on."""
    qs = meetings_between(start, end)
    if member_id is not None:
        qs = qs.filter(committee_id__in=Membership.objects.current().filter(member_id=member_id).values("committee_id"))
    return qs

"""Reads for pages, tables, feeds, the API and the packs.

The public/private boundary lives here and only here (domain rules 9). A `Reader` says who
is reading; `restricted_q` is the one rule that decides which agenda items' papers they may
read; every selector that returns papers, documents or text goes through it. Anonymous
surfaces (feeds, sitemap, search index, API, public pack) use `Reader.public()`.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import Access, AgendaItem, Appendix, Attendance, Committee, Meeting, Membership, Minute, Minutes, Report


@dataclass(frozen=True)
class Reader:
    """Who is reading, as far as the law on access to papers is concerned."""

    is_officer: bool = False
    committee_ids: frozenset[int] = field(default_factory=frozenset)
    user_id: int | None = None

    @classmethod
    def public(cls) -> "Reader":
        return cls()

    def may_read_restricted(self, committee_id: int) -> bool:
        return self.is_officer or committee_id in self.committee_ids


def reader_for(user) -> "Reader":
    """Officers (staff with an officer's role) read everything; a councillor reads the Part II
    papers of the committees they currently sit on; everyone else is the public."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Reader.public()
    cached = getattr(user, "_quorum_reader", None)
    if cached is not None:
        return cached
    # An officer is staff with an officer's role: giving someone the admin (an intern, a
    # councillor's login) must not by itself open every committee's Part II papers.
    if user.is_staff and (user.is_superuser or user.has_perm("committee.view_report")):
        reader = Reader(is_officer=True, user_id=user.pk)
    else:
        ids = frozenset(Membership.objects.current().filter(member__user=user).values_list("committee_id", flat=True))
        reader = Reader(committee_ids=ids, user_id=user.pk)
    user._quorum_reader = reader
    return reader


def restricted_q(reader: Reader, item: str = "") -> Q:
    """The gate: which agenda items' papers `reader` may read. `item` is the path from the
    queried model to AgendaItem ("" for AgendaItem itself, "agenda_item__" for Report)."""
    if reader.is_officer:
        return Q()
    readable = Q(**{f"{item}meeting__agenda_published_at__isnull": False}) & Q(**{f"{item}access": Access.PUBLIC})
    if reader.committee_ids:
        readable |= Q(**{f"{item}meeting__committee_id__in": reader.committee_ids}) & Q(
            **{f"{item}meeting__agenda_published_at__isnull": False}
        )
    return readable


def appendix_q(reader: Reader) -> Q:
    """An appendix is readable when its item is, and it is not itself withheld from this reader."""
    q = restricted_q(reader, "report__agenda_item__")
    if reader.is_officer:
        return q
    own = Q(report__agenda_item__meeting__committee_id__in=reader.committee_ids)
    return q & (Q(access=Access.PUBLIC) | own)


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
    `item.report_if_readable` carries the report only when they may."""
    if not meeting.is_published and not reader.is_officer:
        return []
    items = list(AgendaItem.objects.filter(meeting=meeting).select_related("report", "minutes_of").order_by("order"))
    readable_ids = set(
        AgendaItem.objects.filter(meeting=meeting).filter(restricted_q(reader)).values_list("pk", flat=True)
    )
    for item in items:
        item.readable = item.pk in readable_ids
        item.report_if_readable = getattr(item, "report", None) if item.readable else None
        if not item.readable:
            # Drop what the reader may not see so that no template can show it by mistake.
            item.standing_text = ""
    return items


def published_agenda_items() -> QuerySet[AgendaItem]:
    """Every item of every published agenda, as the public agenda lists them: a Part II item
    by its title and paragraphs only (its text and report are for the gate to release)."""
    return AgendaItem.objects.filter(meeting__agenda_published_at__isnull=False).select_related("report")


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
            Report.objects.filter(restricted_q(reader, "agenda_item__"))
            .select_related("agenda_item__meeting__committee", "agenda_item__meeting__venue", "contact")
            .prefetch_related(
                "background_papers",
                Prefetch(
                    "appendices",
                    queryset=Appendix.objects.filter(appendix_q(reader)).select_related("content_type"),
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
            Appendix.objects.filter(appendix_q(reader), kind=Appendix.Kind.DOCUMENT)
            .select_related("report__agenda_item__meeting")
            .get(pk=pk)
        )
    except Appendix.DoesNotExist as exc:
        raise Http404("No such document") from exc


def structured_readable(reader: Reader, model) -> QuerySet:
    """Rows of a structured-appendix model (a register snapshot, a reported performance
    report, a plan snapshot) that `reader` may see: officers see all; everyone else sees
    those attached to a report appendix the gate lets them read. Public pages of risks/,
    performance/ and send_actions/ read through this, so the one gate decides for them too."""
    if reader.is_officer:
        return model._default_manager.all()
    ids = Appendix.objects.filter(
        appendix_q(reader), kind=Appendix.Kind.STRUCTURED, content_type=ContentType.objects.get_for_model(model)
    ).values("object_id")
    return model._default_manager.filter(pk__in=ids)


def appendices_carrying(reader: Reader, row) -> list[Appendix]:
    """The report appendices that carry a structured row (a snapshot), as far as `reader` may
    read them, oldest meeting first: "reported to ..." on the snapshot's own page."""
    return list(
        Appendix.objects.filter(
            appendix_q(reader),
            kind=Appendix.Kind.STRUCTURED,
            content_type=ContentType.objects.get_for_model(type(row)),
            object_id=row.pk,
        )
        .select_related("report__agenda_item__meeting__committee")
        .order_by("report__agenda_item__meeting__starts_at")
    )


def reports_readable(reader: Reader) -> QuerySet[Report]:
    return Report.objects.filter(restricted_q(reader, "agenda_item__"))


# Minutes ----------------------------------------------------------------------------------


def minutes_for(meeting: Meeting, reader: Reader) -> tuple[list[Attendance], list[Minute]]:
    """Attendance and the minute of each item the reader may read. Minutes are public once
    published; officers see drafts."""
    try:
        minutes = meeting.minutes
    except Minutes.DoesNotExist:
        return [], []
    if minutes is None or (minutes.published_at is None and not reader.is_officer):
        return [], []
    attendance = list(meeting.attendances.select_related("member").all())
    entries = list(
        Minute.objects.filter(minutes=minutes)
        .filter(restricted_q(reader, "agenda_item__"))
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

"""The methods of ModernGov's web service (mgWebService.asmx) that Quorum answers.

Each method takes ModernGov's parameters (names, types and order as its WSDL has them) and
returns the XML document ModernGov returns: element names in lower case, dates dd/mm/yyyy,
booleans True/False, text HTML-encoded, lists always present. Everything is read through
moderngov.service.selectors, as the public reads it. Shapes: docs/moderngov.md.
"""

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from xml.etree import ElementTree as ET

from django.urls import reverse
from django.utils.html import strip_tags

from committee.models import Meeting, Member, Report
from moderngov.models import Kind
from moderngov.selectors import ShownIds, moderngov_id_for, quorum_pk

from . import selectors
from .xml import add, add_list, add_text, encoded, flag, mg_date, mg_time


class Refused(Exception):
    """A request ModernGov (ASP.NET) refuses; the message is the one it gives."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "int", "boolean" or "string", as in the WSDL


@dataclass(frozen=True)
class Method:
    name: str
    params: tuple[Param, ...]
    answer: Callable[..., ET.Element]
    documentation: str


def parse_value(param: Param, raw: str):
    """A parameter's text as ASP.NET reads it: an Int32, a .NET boolean ("true"/"false" in any
    case) or a string."""
    raw = raw.strip() if param.kind != "string" else raw
    if param.kind == "int":
        # An Int32, as ModernGov's WSDL says (larger numbers would also overflow the database's).
        try:
            value = int(raw) if raw.isascii() else None  # .NET reads ASCII digits only
        except ValueError:
            value = None
        if value is None or not -(2**31) <= value < 2**31:
            raise Refused(f"System.ArgumentException: Cannot convert {raw} to System.Int32.")
        return value
    if param.kind == "boolean":
        if raw.lower() in ("true", "false"):
            return raw.lower() == "true"
        raise Refused(f"System.ArgumentException: Cannot convert {raw} to System.Boolean.")
    return raw


def parse_date(raw: str) -> date:
    """ModernGov's dates are dd/mm/yyyy (a UK server's culture); ISO dates are read too."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw.strip(), pattern).date()
        except ValueError:
            continue
    raise Refused("System.FormatException: String was not recognized as a valid DateTime.")


def _asked(kind: str, number: int) -> int | None:
    """The Quorum id of the record a parameter names: a kept ModernGov id first (one query)."""
    return quorum_pk(kind, number) if number > 0 else None


def _meeting_ids(meetings) -> dict[str, list[int]]:
    return {Kind.MEETING: [m.pk for m in meetings], Kind.COMMITTEE: [m.committee_id for m in meetings]}


class Answers:
    """The methods, answering for one request (absolute links need its host)."""

    def __init__(self, absolute: Callable[[str], str]):
        self.absolute = absolute

    # Committees -----------------------------------------------------------------------------

    def get_committees(self, lDummy: int) -> ET.Element:  # noqa: N803 (ModernGov's parameter names)
        committees = list(selectors.committees())
        shown = ShownIds({Kind.COMMITTEE: [c.pk for c in committees]})
        root = ET.Element("committees")
        add(root, "committeescount", len(committees))
        for committee in committees:
            self._committee(root, committee, shown)
        return root

    def _committee(self, parent, committee, shown: ShownIds, role: str | None = None) -> ET.Element:
        element = add(parent, "committee", None)
        add(element, "committeeid", shown(Kind.COMMITTEE, committee.pk))
        add_text(element, "committeetitle", committee.name)
        add(element, "committeedeleted", flag(False))
        add(element, "committeeexpired", flag(not committee.is_active))
        add_text(element, "committeecategory", committee.get_kind_display())
        # The purpose is rich text: its words, entities decoded, then encoded as all text is.
        add_text(element, "committeedescription", html.unescape(strip_tags(committee.purpose or "")).strip())
        add(element, "committeetype", committee.kind)
        add(element, "linktocommittee", self.absolute(committee.get_absolute_url()))
        if role is not None:
            add_text(element, "roledescription", role)
        return element

    def get_committees_by_user(self, lUserId: int) -> ET.Element:  # noqa: N803
        member = _asked(Kind.MEMBER, lUserId)
        memberships = selectors.memberships_of(member) if member is not None else []
        shown = ShownIds({Kind.COMMITTEE: [m.committee_id for m in memberships]})
        root = ET.Element("committees")
        add(root, "committeescount", len(memberships))
        for membership in memberships:
            self._committee(root, membership.committee, shown, role=selectors.role_on_committee(membership))
        return root

    # Meetings -------------------------------------------------------------------------------

    def get_meetings(self, lCommitteeId: int, sFromDate: str, sToDate: str) -> ET.Element:  # noqa: N803
        start, end = parse_date(sFromDate), parse_date(sToDate)
        pk = _asked(Kind.COMMITTEE, lCommitteeId)
        committee = selectors.committees().filter(pk=pk).first() if pk is not None else None
        root = ET.Element("getmeetings")
        if committee is None:
            return root
        listed = list(selectors.meetings_between(start, end, committee_id=committee.pk))
        shown = ShownIds({Kind.MEETING: [m.pk for m in listed], Kind.COMMITTEE: [committee.pk]})
        element = add(root, "committee", None)
        add(element, "committeeid", shown(Kind.COMMITTEE, committee.pk))
        add_text(element, "committeetitle", committee.name)
        meetings = add_list(element, "committeemeetings")
        for meeting in listed:
            self._meeting_summary(meetings, meeting, shown)
        return root

    def get_all_meetings_by_date(self, sFromDate: str, sToDate: str, bIsAscendingDateOrder: bool) -> ET.Element:  # noqa: N803
        start, end = parse_date(sFromDate), parse_date(sToDate)
        root = ET.Element("getmeetingsbydate")
        meetings = add_list(root, "meetings")
        listed = list(selectors.meetings_between(start, end, ascending=bIsAscendingDateOrder))
        shown = ShownIds(_meeting_ids(listed))
        for meeting in listed:
            element = self._meeting_summary(meetings, meeting, shown)
            add(element, "committeeid", shown(Kind.COMMITTEE, meeting.committee_id))
            add_text(element, "committeetitle", meeting.committee.name)
        return root

    def _meeting_summary(self, parent, meeting: Meeting, shown: ShownIds) -> ET.Element:
        element = add(parent, "meeting", None)
        add(element, "meetingid", shown(Kind.MEETING, meeting.pk))
        add(element, "meetingdate", mg_date(meeting.starts_at))
        add(element, "meetingtime", mg_time(meeting.starts_at))
        add_text(element, "meetingstatus", meeting_status(meeting))
        add(element, "iswebcast", flag(False))
        add(element, "linktomeeting", self.absolute(meeting.get_absolute_url()))
        return element

    def get_meeting(self, lMeetingId: int) -> ET.Element:  # noqa: N803
        root = ET.Element("meeting")
        pk = _asked(Kind.MEETING, lMeetingId)
        meeting = selectors.meeting(pk) if pk is not None else None
        if meeting is None:
            return root
        entries = selectors.agenda(meeting)
        minutes = selectors.published_minutes(meeting)
        people = selectors.attendees(meeting, minutes)
        # Every id in the answer, kept or Quorum's, in one query whatever the agenda's length.
        shown = ShownIds(
            {
                **_meeting_ids([meeting]),
                Kind.AGENDA_ITEM: [entry.item.pk for entry in entries],
                Kind.DOCUMENT: [appendix.pk for entry in entries for appendix in entry.documents],
                Kind.MEMBER: [attendee.member.pk for attendee in people],
            }
        )
        add(root, "meetingid", shown(Kind.MEETING, meeting.pk))
        add(root, "committeeid", shown(Kind.COMMITTEE, meeting.committee_id))
        add_text(root, "committeetitle", meeting.committee.name)
        add(root, "meetingdate", mg_date(meeting.starts_at))
        add(root, "meetingtime", mg_time(meeting.starts_at))
        add_text(root, "meetingstatus", meeting_status(meeting))
        add_text(root, "meetinglocation", f"{meeting.venue.name}, {meeting.venue.address}")
        add(root, "agendaid", shown(Kind.MEETING, meeting.pk))
        add(root, "agendapublished", flag(meeting.is_published))
        add(root, "decisionpublished", flag(minutes is not None))
        add(root, "minutepublished", flag(minutes is not None))
        add(root, "iswebcast", flag(False))
        add(root, "linktomeeting", self.absolute(meeting.get_absolute_url()))
        attendees = add_list(root, "attendees")
        for attendee in people:
            member = attendee.member
            element = add(
                attendees,
                "attendee",
                None,
                memberid=shown(Kind.MEMBER, member.pk),
                name=encoded(str(member)),
                roledescription=encoded(attendee.role),
                attendance=attendee.attendance,
                politicalparty=encoded(member.party),
                ward=encoded(member.electoral_division),
            )
            add(element, "url", self.absolute(member.get_absolute_url()))
            add(element, "photosmallurl")
            add(element, "photobigurl")
        items = add_list(root, "agendaitems")
        for entry in entries:
            self._agenda_item(items, entry, shown)
        return root

    def _agenda_item(self, parent, entry: selectors.AgendaEntry, shown: ShownIds) -> None:
        item, report = entry.item, entry.report
        element = add(parent, "agendaitem", None)
        add(element, "agendaitemid", shown(Kind.AGENDA_ITEM, item.pk))
        add(element, "agendaitemnumber", item.number)
        add(element, "fulldisplaynumberformat", f"{item.number}.")
        add_text(element, "agendaitemtitle", item.title)
        # The item's text is HTML already: written as it is (XML escapes it once), never
        # HTML-encoded a second time. A Part II item has none: it was never loaded.
        add(element, "agendatext", item.standing_text if item.readable else "")
        add(element, "isrestricted", flag(item.is_restricted))
        docs = add_list(element, "linkeddocs")
        if report is not None:
            self._linked_doc(docs, selectors.report_attachment_id(report), report.title, item.title)
            for appendix in entry.documents:
                self._linked_doc(docs, selectors.document_attachment_id(appendix, shown), str(appendix), item.title)

    def _linked_doc(self, parent, attachment_id: int, title: str, owner: str) -> None:
        element = add(parent, "linkeddoc", None)
        add(element, "attachmentid", attachment_id)
        add_text(element, "title", title)
        add_text(element, "ownertitle", owner)

    def get_attachment(self, lAttachmentId: int) -> ET.Element:  # noqa: N803
        root = ET.Element("attachment")
        found = selectors.attachment(lAttachmentId)
        if found is None:
            return root
        if isinstance(found, Report):
            item, url, title = found.agenda_item, self.absolute(found.get_absolute_url()), found.title
        else:
            item = found.report.agenda_item
            url = self.absolute(reverse("committee:appendix-document", args=[found.pk]))
            title = str(found)
        add(root, "attachmentid", lAttachmentId)
        add_text(root, "title", title)
        add(root, "url", url)
        add(root, "isrestricted", flag(False))
        add_text(root, "ownertitle", item.title)
        add(root, "meetingid", moderngov_id_for(Kind.MEETING, item.meeting_id))
        return root

    def get_calendar_events(
        self,
        bGlobalCalendar: bool,  # noqa: N803
        lUserId: int,  # noqa: N803
        sDateStart: str,  # noqa: N803
        sDateEnd: str,  # noqa: N803
    ) -> ET.Element:
        start, end = parse_date(sDateStart), parse_date(sDateEnd)
        root = ET.Element("calendarevents")
        events = add_list(root, "events")
        member_id = None if bGlobalCalendar else _asked(Kind.MEMBER, lUserId)
        if not bGlobalCalendar and member_id is None:
            return root
        listed = list(selectors.calendar(start, end, member_id=member_id))
        shown = ShownIds(_meeting_ids(listed))
        for meeting in listed:
            element = add(events, "event", None)
            add(element, "eventid", shown(Kind.MEETING, meeting.pk))
            add(element, "eventtype", "Meeting")
            add_text(element, "eventtitle", meeting.committee.name)
            add(element, "eventdate", mg_date(meeting.starts_at))
            add(element, "eventtime", mg_time(meeting.starts_at))
            add_text(element, "eventlocation", f"{meeting.venue.name}, {meeting.venue.address}")
            add(element, "meetingid", shown(Kind.MEETING, meeting.pk))
            add(element, "committeeid", shown(Kind.COMMITTEE, meeting.committee_id))
            add_text(element, "meetingstatus", meeting_status(meeting))
            add(element, "url", self.absolute(meeting.get_absolute_url()))
        return root

    # Councillors ----------------------------------------------------------------------------

    def get_councillors_by_ward(self) -> ET.Element:
        return self._wards(selectors.wards())

    def get_councillors_by_ward_id(self, lWardId: int) -> ET.Element:  # noqa: N803
        return self._wards(selectors.wards(lWardId))

    def _wards(self, wards) -> ET.Element:
        root = ET.Element("councillorsbyward")
        shown = ShownIds({Kind.MEMBER: [m.pk for ward in wards for m in ward.members.all()]})
        listed = add_list(root, "wards")
        for ward in wards:
            element = add(listed, "ward", None)
            add(element, "wardid", ward.pk)
            add_text(element, "wardtitle", ward.name)
            councillors = add_list(element, "councillors")
            add(councillors, "councillorcount", len(ward.members.all()))
            for member in ward.members.all():
                member.division = ward  # the ward in hand: no query for each councillor's
                self._councillor(councillors, member, shown)
        return root

    def _councillor(self, parent, member: Member, shown: ShownIds) -> None:
        element = add(parent, "councillor", None)
        add(element, "councillorid", shown(Kind.MEMBER, member.pk))
        add_text(element, "fullusername", str(member))
        add(element, "photosmallurl")
        add(element, "photobigurl")
        add_text(element, "politicalpartytitle", member.party)
        add_text(element, "politicalgrouptitle", member.party)
        add_text(element, "districttitle", member.electoral_division)
        add_text(element, "representing", member.electoral_division)
        add_text(element, "keyposts", key_posts(member))
        # The contact details the council publishes on the councillor's page: the email.
        add(element, "workemail", member.email)
        add(element, "email", member.email)
        add(element, "url", self.absolute(member.get_absolute_url()))

    def get_member_group(self, sOrder: str, sShortName: str) -> ET.Element:  # noqa: N803
        root = ET.Element("memberlist")
        add_text(root, "groupname", sShortName)
        listed = add_list(root, "members")
        members = selectors.members(sOrder)
        shown = ShownIds({Kind.MEMBER: [m.pk for m in members]})
        for member in members:
            element = add(listed, "member", None)
            add(element, "memberid", shown(Kind.MEMBER, member.pk))
            add_text(element, "fullusername", str(member))
            add_text(element, "politicalpartytitle", member.party)
            add_text(element, "wardtitle", member.electoral_division)
            add_text(element, "keyposts", key_posts(member))
            add(element, "email", member.email)
            add(element, "url", self.absolute(member.get_absolute_url()))
        return root


def meeting_status(meeting: Meeting) -> str:
    """ModernGov's free-text status: "Confirmed" for a meeting going ahead (or held), with
    the reason after a semicolon for one cancelled or postponed, as ModernGov writes it."""
    status = {Meeting.Status.CANCELLED: "Cancelled", Meeting.Status.POSTPONED: "Postponed"}.get(
        meeting.status, "Confirmed"
    )
    return f"{status}; {meeting.status_reason}" if meeting.status_reason and status != "Confirmed" else status


def key_posts(member: Member) -> str:
    """The chairs and vice-chairs the councillor holds ("Chair, Audit Committee")."""
    posts = [
        f"{m.get_role_display()}, {m.committee.name}"
        for m in getattr(member, "current_memberships", [])
        if m.role != m.Role.MEMBER
    ]
    return "; ".join(posts)


def _p(name: str) -> Param:
    return Param(name, {"l": "int", "b": "boolean"}.get(name[0], "string"))


METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method("GetCommittees", (_p("lDummy"),), Answers.get_committees, "Every committee."),
        Method(
            "GetMeetings",
            (_p("lCommitteeId"), _p("sFromDate"), _p("sToDate")),
            Answers.get_meetings,
            "A committee's meetings between two dates (dd/mm/yyyy).",
        ),
        Method(
            "GetAllMeetingsByDate",
            (_p("sFromDate"), _p("sToDate"), _p("bIsAscendingDateOrder")),
            Answers.get_all_meetings_by_date,
            "Every committee's meetings between two dates (dd/mm/yyyy).",
        ),
        Method("GetMeeting", (_p("lMeetingId"),), Answers.get_meeting, "A meeting, its attendees and its agenda."),
        Method("GetAttachment", (_p("lAttachmentId"),), Answers.get_attachment, "A document's title and address."),
        Method("GetCouncillorsByWard", (), Answers.get_councillors_by_ward, "Every ward and its councillors."),
        Method(
            "GetCouncillorsByWardId", (_p("lWardId"),), Answers.get_councillors_by_ward_id, "One ward's councillors."
        ),
        Method("GetMemberGroup", (_p("sOrder"), _p("sShortName")), Answers.get_member_group, "The councillors."),
        Method("GetCommitteesByUser", (_p("lUserId"),), Answers.get_committees_by_user, "A councillor's committees."),
        Method(
            "GetCalendarEvents",
            (_p("bGlobalCalendar"), _p("lUserId"), _p("sDateStart"), _p("sDateEnd")),
            Answers.get_calendar_events,
            "Meetings between two dates: every committee's, or a councillor's.",
        ),
    )
}

# ASP.NET finds a method whatever the case of its name in the address.
BY_LOWER_NAME = {name.lower(): method for name, method in METHODS.items()}


def answer(method: Method, values: dict[str, object], absolute: Callable[[str], str]) -> ET.Element:
    return method.answer(Answers(absolute), **values)

"""ModernGov's web service answers, read into plain records (no database here).

ModernGov's quirks, as found in councils' answers and in projects that read them:
entities are HTML-encoded a second time inside the XML text (`&amp;#39;` for an
apostrophe), optional elements are sometimes missing and sometimes empty, booleans are
"True"/"False", dates are dd/mm/yyyy and times are written as "10.00 am", "2:00 pm" or
"14:00" in the council's local time (Europe/London).
"""

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime, time

TIME = re.compile(r"^\s*(\d{1,2})(?:[.:](\d{2}))?\s*([ap])?\.?\s*m?\.?\s*$", re.I)


def parse(data: bytes) -> ET.Element:
    # ModernGov's answers never declare a DTD; one that does is refused, so that no entity
    # can be expanded (the attacks defusedxml guards against all need a DTD).
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise ET.ParseError("an answer with a DTD is refused")
    return ET.fromstring(data)  # noqa: S314 - no DTD, checked above


def text(element: ET.Element | None, name: str) -> str:
    """A text element's value, its double-encoded entities decoded once more."""
    found = element.find(name) if element is not None else None
    if found is None or found.text is None:
        return ""
    return " ".join(html.unescape(found.text).split())


def markup(element: ET.Element | None, name: str) -> str:
    """An element holding HTML (agendatext): kept as HTML, decoded once more only when the
    council's system encoded the markup itself twice (no tag left, but encoded ones)."""
    found = element.find(name) if element is not None else None
    value = (found.text or "") if found is not None else ""
    if "<" not in value and "&lt;" in value:
        value = html.unescape(value)
    return value.strip()


def value(element: ET.Element, name: str) -> str:
    """An attendee's value: an attribute in most councils' answers, a child element in some."""
    if name in element.attrib:
        return " ".join(html.unescape(element.attrib[name]).split())
    return text(element, name)


def flag(element: ET.Element | None, name: str) -> bool:
    return text(element, name).lower() == "true"


def number(element: ET.Element | None, name: str) -> int | None:
    return whole(text(element, name))


def whole(raw: str) -> int | None:
    """A whole number as ModernGov gives them (an Int32, its WSDL says); anything else, a
    number too large for one included, is no number: the record it names is skipped."""
    try:
        found = int(raw) if raw.isascii() else None
    except ValueError:
        return None
    return found if found is not None and -(2**31) <= found < 2**31 else None


def uk_date(raw: str) -> date | None:
    try:
        return datetime.strptime(raw.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


def clock(raw: str) -> time | None:
    match = TIME.match(raw or "")
    if not match:
        return None
    hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if half == "p" and hour < 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


@dataclass
class CommitteeRecord:
    id: int
    title: str
    category: str = ""
    description: str = ""
    expired: bool = False
    deleted: bool = False


@dataclass
class CouncillorRecord:
    id: int
    full_name: str
    party: str = ""
    ward_id: int | None = None
    ward: str = ""
    email: str = ""


@dataclass
class WardRecord:
    id: int | None
    title: str


@dataclass
class DocumentRecord:
    id: int
    title: str
    url: str = ""
    restricted: bool = False


@dataclass
class ItemRecord:
    id: int
    number: str
    title: str
    text: str
    restricted: bool
    documents: list[DocumentRecord] = field(default_factory=list)


@dataclass
class AttendeeRecord:
    member_id: int | None
    name: str
    role: str
    attendance: str
    party: str
    ward: str


@dataclass
class MeetingRecord:
    id: int
    committee_id: int | None
    day: date | None
    at: time | None
    status: str
    location: str
    agenda_published: bool
    minutes_published: bool
    items: list[ItemRecord] = field(default_factory=list)
    attendees: list[AttendeeRecord] = field(default_factory=list)


def committees(data: bytes) -> list[CommitteeRecord]:
    found = []
    for element in parse(data).iter("committee"):
        committee_id = number(element, "committeeid")
        if committee_id is None:
            continue
        found.append(
            CommitteeRecord(
                id=committee_id,
                title=text(element, "committeetitle"),
                category=text(element, "committeecategory"),
                description=markup(element, "committeedescription"),
                expired=flag(element, "committeeexpired"),
                deleted=flag(element, "committeedeleted"),
            )
        )
    return found


def meeting_ids(data: bytes) -> list[int]:
    return [m for m in (number(element, "meetingid") for element in parse(data).iter("meeting")) if m is not None]


def _councillor(element: ET.Element, ward: WardRecord | None) -> CouncillorRecord | None:
    member_id = number(element, "councillorid")
    if member_id is None:
        member_id = number(element, "memberid")
    if member_id is None:
        return None
    email = ""
    for address in ("email", "workaddress/email", "homeaddress/email"):
        email = email or text(element, address)
    return CouncillorRecord(
        id=member_id,
        full_name=text(element, "fullusername"),
        party=text(element, "politicalpartytitle"),
        ward_id=ward.id if ward else None,
        ward=ward.title if ward else text(element, "districttitle"),
        email=email,
    )


def councillors_by_ward(data: bytes) -> tuple[list[WardRecord], list[CouncillorRecord]]:
    wards, councillors = [], []
    for element in parse(data).iter("ward"):
        ward = WardRecord(id=number(element, "wardid"), title=text(element, "wardtitle"))
        if not ward.title:
            continue
        wards.append(ward)
        for councillor in element.iter("councillor"):
            record = _councillor(councillor, ward)
            if record:
                councillors.append(record)
    return wards, councillors


def member_group(data: bytes) -> list[CouncillorRecord]:
    return [record for record in (_councillor(e, None) for e in parse(data).iter("member")) if record]


def attachment_url(data: bytes) -> str:
    root = parse(data)
    return text(root, "url") if root.tag != "url" else " ".join((root.text or "").split())


def meeting(data: bytes) -> MeetingRecord:
    root = parse(data)
    element = root if root.tag == "meeting" else root.find(".//meeting")
    if element is None or number(element, "meetingid") is None:
        raise ValueError("no meeting in the answer")
    record = MeetingRecord(
        id=number(element, "meetingid"),
        committee_id=number(element, "committeeid"),
        day=uk_date(text(element, "meetingdate")),
        at=clock(text(element, "meetingtime")),
        status=text(element, "meetingstatus"),
        location=text(element, "meetinglocation"),
        agenda_published=flag(element, "agendapublished"),
        minutes_published=flag(element, "minutepublished"),
    )
    for attendee in element.iter("attendee"):
        member_id = value(attendee, "memberid")
        record.attendees.append(
            AttendeeRecord(
                member_id=whole(member_id),
                name=value(attendee, "name"),
                role=value(attendee, "roledescription"),
                attendance=value(attendee, "attendance"),
                party=value(attendee, "politicalparty"),
                ward=value(attendee, "ward"),
            )
        )
    for item in element.iter("agendaitem"):
        item_id = number(item, "agendaitemid")
        if item_id is None:
            continue
        shown = text(item, "fulldisplaynumberformat").rstrip(".").strip() or text(item, "agendaitemnumber")
        documents = []
        for doc in item.iter("linkeddoc"):
            doc_id = number(doc, "attachmentid")
            if doc_id is not None:
                documents.append(
                    DocumentRecord(
                        id=doc_id,
                        title=text(doc, "title") or text(doc, "ownertitle"),
                        url=text(doc, "url"),
                        restricted=flag(doc, "isrestricted"),
                    )
                )
        record.items.append(
            ItemRecord(
                id=item_id,
                number="" if shown == "0" else shown,
                title=text(item, "agendaitemtitle"),
                text=markup(item, "agendatext"),
                restricted=flag(item, "isrestricted"),
                documents=documents,
            )
        )
    return record

"""ModernGov's web service answered by Quorum, read as its clients read it: the XML parsed
by a general XML-to-dict library (xmltodict), element by element as ModernGov names them
(docs/moderngov.md, "The web service")."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import xmltodict
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committee.models import Appendix, Attendance, ElectoralDivision, Meeting, Minutes
from moderngov.models import Kind, ModernGovId
from moderngov.selectors import MODELS
from moderngov.service.methods import METHODS, parse_date
from tests.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MemberFactory,
    MembershipFactory,
    ReportFactory,
    at,
    exempt,
)
from tests.gate_surfaces import MARKER, plant, published_meeting

pytestmark = pytest.mark.django_db

SERVICE = "/mgWebService.asmx"


def ask(client, method: str, **params) -> dict:
    response = client.get(f"{SERVICE}/{method}", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return xmltodict.parse(response.content)


def listed(value) -> list:
    """xmltodict gives one entry as a dict, several as a list, none as None: as clients do,
    read all three as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@pytest.fixture
def ward(db):
    return ElectoralDivision.objects.create(name="Burnley Central East", slug="burnley-central-east")


@pytest.fixture
def published(committee, officer, ward):
    """A meeting held last week with its agenda and minutes out: one open report with an
    uploaded PDF, one Part II item, attendance recorded."""
    meeting = published_meeting(committee, officer)
    open_item = meeting.items.get()
    Appendix.objects.create(
        report=open_item.report,
        letter="A",
        order=1,
        title="Performance tables",
        kind=Appendix.Kind.DOCUMENT,
        document="appendices/tables.pdf",
    )
    driver = MemberFactory(name="Geoff Driver", honours="CBE", party="Conservative", division=ward)
    MembershipFactory(committee=committee, member=driver, role="chair")
    absent = MemberFactory(name="Mary O'Brien", party="Labour")
    MembershipFactory(committee=committee, member=absent)
    Attendance.objects.create(meeting=meeting, member=driver, in_the_chair=True)
    Attendance.objects.create(meeting=meeting, member=absent, status=Attendance.Status.APOLOGIES)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.MINUTES_PUBLISHED)
    plant(meeting, officer=officer)
    return meeting


def test_get_committees_lists_every_committee_with_modern_govs_elements(client, committee):
    committee.purpose = "<p>Reviews R&amp;D and the council's performance.</p>"
    committee.save()
    answer = ask(client, "GetCommittees", lDummy=0)
    committees = answer["committees"]
    assert committees["committeescount"] == "1"
    (only,) = listed(committees["committee"])
    assert only["committeeid"] == str(committee.pk)
    assert only["committeetitle"] == "Cabinet Committee on Performance Improvement"
    assert only["committeeexpired"] == "False" and only["committeedeleted"] == "False"
    assert set(only) >= {"committeecategory", "committeetype"}
    # The purpose's words, encoded once as ModernGov encodes text (never "&amp;amp;").
    assert only["committeedescription"] == "Reviews R&amp;D and the council&#39;s performance."


def test_get_meetings_gives_a_committees_meetings_in_the_date_range(client, committee):
    MeetingFactory(committee=committee, starts_at=at(2018, 6, 27, 10, 0))
    MeetingFactory(committee=committee, starts_at=at(2018, 9, 19, 14, 30))
    MeetingFactory(committee=committee, starts_at=at(2019, 1, 10))  # after the range
    answer = ask(client, "GetMeetings", lCommitteeId=committee.pk, sFromDate="01/06/2018", sToDate="31/12/2018")
    element = answer["getmeetings"]["committee"]
    assert element["committeeid"] == str(committee.pk)
    meetings = listed(element["committeemeetings"]["meeting"])
    assert [(m["meetingdate"], m["meetingtime"]) for m in meetings] == [
        ("27/06/2018", "10:00"),
        ("19/09/2018", "14:30"),
    ]
    assert meetings[0]["meetingstatus"] == "Confirmed"


def test_all_meetings_by_date_in_either_order_with_their_committee(client, committee):
    first = MeetingFactory(committee=committee, starts_at=at(2018, 6, 27))
    second = MeetingFactory(starts_at=at(2018, 7, 4))
    Meeting.objects.filter(pk=second.pk).update(status="cancelled", status_reason="Business moved to Cabinet.")
    params = {"sFromDate": "01/06/2018", "sToDate": "31/07/2018"}
    ascending = listed(
        ask(client, "GetAllMeetingsByDate", bIsAscendingDateOrder="true", **params)["getmeetingsbydate"]["meetings"][
            "meeting"
        ]
    )
    descending = listed(
        ask(client, "GetAllMeetingsByDate", bIsAscendingDateOrder="False", **params)["getmeetingsbydate"]["meetings"][
            "meeting"
        ]
    )
    assert [m["meetingid"] for m in ascending] == [str(first.pk), str(second.pk)]
    assert [m["meetingid"] for m in descending] == [str(second.pk), str(first.pk)]
    assert ascending[0]["committeetitle"] == committee.name
    assert ascending[1]["meetingstatus"] == "Cancelled; Business moved to Cabinet."


def test_get_meeting_gives_attendees_as_attributes_and_the_agenda_with_its_documents(client, published, ward):
    meeting = ask(client, "GetMeeting", lMeetingId=published.pk)["meeting"]
    assert meeting["meetingid"] == str(published.pk)
    assert meeting["meetingdate"] == f"{timezone.localtime(published.starts_at):%d/%m/%Y}"
    assert meeting["meetinglocation"] == "Committee Room &#39;B&#39; (The Diamond Jubilee Room), County Hall, Preston"
    assert meeting["agendapublished"] == "True" and meeting["minutepublished"] == "True"
    attendees = listed(meeting["attendees"]["attendee"])
    chair = attendees[0]
    assert chair["@name"] == "County Councillor Geoff Driver CBE"
    assert chair["@roledescription"] == "Chair" and chair["@attendance"] == "Present"
    assert chair["@politicalparty"] == "Conservative" and chair["@ward"] == "Burnley Central East"
    # Text is HTML-encoded as ModernGov sends it: clients decode it once more.
    assert attendees[1]["@name"] == "County Councillor Mary O&#39;Brien"
    assert attendees[1]["@attendance"] == "Apologies"
    items = listed(meeting["agendaitems"]["agendaitem"])
    open_item, part_ii = items
    assert open_item["agendaitemtitle"] == "Library opening hours"
    assert open_item["isrestricted"] == "False"
    docs = listed(open_item["linkeddocs"]["linkeddoc"])
    assert [d["title"] for d in docs] == ["Library opening hours", "Appendix &#39;A&#39;: Performance tables"]
    assert all(d["ownertitle"] == "Library opening hours" for d in docs)
    # A Part II item as the public agenda shows it: its title, restricted, nothing else.
    assert part_ii["agendaitemtitle"] == "Land disposal at Preston"
    assert part_ii["isrestricted"] == "True"
    assert part_ii["agendatext"] is None and part_ii["linkeddocs"] is None  # empty, but there


def test_a_draft_agenda_is_not_served_and_its_members_are_expected(client, committee, ward):
    meeting = MeetingFactory(committee=committee)
    ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting, title="Draft budget", standing_text="<p>Draft</p>"))
    MembershipFactory(committee=committee, member=MemberFactory(name="Geoff Driver", division=ward), role="chair")
    answer = ask(client, "GetMeeting", lMeetingId=meeting.pk)["meeting"]
    assert answer["agendapublished"] == "False"
    assert answer["agendaitems"] is None
    (attendee,) = listed(answer["attendees"]["attendee"])
    assert attendee["@attendance"] == "Expected" and attendee["@roledescription"] == "Chair"
    assert "Draft" not in str(answer)


def test_unpublished_minutes_give_no_attendance(client, committee, officer):
    meeting = published_meeting(committee, officer)
    Minutes.objects.filter(meeting=meeting).update(published_at=None)
    member = MemberFactory(name="Absent Friend")
    MembershipFactory(committee=committee, member=member)
    Attendance.objects.create(meeting=meeting, member=member, status=Attendance.Status.ABSENT)
    answer = ask(client, "GetMeeting", lMeetingId=meeting.pk)["meeting"]
    (attendee,) = listed(answer["attendees"]["attendee"])
    assert attendee["@attendance"] == "Expected"
    assert answer["minutepublished"] == "False" and answer["decisionpublished"] == "False"


def test_get_attachment_gives_the_address_of_a_readable_paper_only(client, published):
    items = listed(ask(client, "GetMeeting", lMeetingId=published.pk)["meeting"]["agendaitems"]["agendaitem"])
    report_doc, pdf = listed(items[0]["linkeddocs"]["linkeddoc"])
    report = ask(client, "GetAttachment", lAttachmentId=report_doc["attachmentid"])["attachment"]
    assert (
        report["url"]
        == f"http://testserver{published.items.get(title='Library opening hours').report.get_absolute_url()}"
    )
    document = ask(client, "GetAttachment", lAttachmentId=pdf["attachmentid"])["attachment"]
    assert (
        document["url"].startswith("http://testserver/")
        and document["title"] == "Appendix &#39;A&#39;: Performance tables"
    )
    hidden = published.items.get(title="Land disposal at Preston").report
    for withheld in (hidden.pk * 2 + 1, hidden.appendices.get(letter="B").pk * 2, 999_999):
        assert ask(client, "GetAttachment", lAttachmentId=withheld)["attachment"] is None


def test_councillors_by_ward_and_by_ward_id(client, committee, ward):
    other = ElectoralDivision.objects.create(name="Padiham and Burnley West", slug="padiham")
    driver = MemberFactory(
        name="Geoff Driver", honours="CBE", party="Conservative", division=ward, email="g@example.org"
    )
    MembershipFactory(committee=committee, member=driver, role="chair")
    MemberFactory(name="A Atkinson", division=other)
    wards = listed(ask(client, "GetCouncillorsByWard")["councillorsbyward"]["wards"]["ward"])
    assert [w["wardtitle"] for w in wards] == ["Burnley Central East", "Padiham and Burnley West"]
    one = ask(client, "GetCouncillorsByWardId", lWardId=ward.pk)["councillorsbyward"]["wards"]["ward"]
    assert one["councillors"]["councillorcount"] == "1"
    councillor = one["councillors"]["councillor"]
    assert councillor["councillorid"] == str(driver.pk)
    assert councillor["fullusername"] == "County Councillor Geoff Driver CBE"
    assert councillor["politicalpartytitle"] == "Conservative" and councillor["districttitle"] == ward.name
    assert councillor["keyposts"] == f"Chair, {committee.name}"
    assert councillor["email"] == "g@example.org"
    assert {"photosmallurl", "photobigurl", "politicalgrouptitle", "representing"} <= set(councillor)
    assert ask(client, "GetCouncillorsByWardId", lWardId=0)["councillorsbyward"]["wards"] is None


def test_member_group_committees_by_user_and_calendar(client, committee):
    driver = MemberFactory(name="Geoff Driver")
    MembershipFactory(committee=committee, member=driver, role="vice_chair")
    MemberFactory(name="A Atkinson")
    members = listed(
        ask(client, "GetMemberGroup", sOrder="surname", sShortName="Councillors")["memberlist"]["members"]["member"]
    )
    assert [m["fullusername"] for m in members] == ["County Councillor A Atkinson", "County Councillor Geoff Driver"]
    theirs = ask(client, "GetCommitteesByUser", lUserId=driver.pk)["committees"]
    assert theirs["committee"]["committeeid"] == str(committee.pk)
    assert theirs["committee"]["roledescription"] == "Vice-Chair"
    MeetingFactory(committee=committee, starts_at=at(2018, 6, 27))
    MeetingFactory(starts_at=at(2018, 6, 28))
    window = {"sDateStart": "01/06/2018", "sDateEnd": "30/06/2018"}
    every = ask(client, "GetCalendarEvents", bGlobalCalendar="true", lUserId=0, **window)
    own = ask(client, "GetCalendarEvents", bGlobalCalendar="false", lUserId=driver.pk, **window)
    assert len(listed(every["calendarevents"]["events"]["event"])) == 2
    (event,) = listed(own["calendarevents"]["events"]["event"])
    assert event["eventdate"] == "27/06/2018" and event["eventtitle"] == committee.name


def _paths(value, prefix="") -> set[str]:
    """Every element and attribute path in a parsed document ("meeting/attendees/attendee/@name")."""
    if isinstance(value, list):
        return set().union(*(_paths(entry, prefix) for entry in value))
    if isinstance(value, dict):
        return {f"{prefix}{key}" for key in value} | set().union(
            *(_paths(child, f"{prefix}{key}/") for key, child in value.items())
        )
    return set()


def _documented_examples() -> dict[str, dict]:
    page = (Path(__file__).parents[2] / "docs" / "moderngov.md").read_text()
    section = page.split("## The web service", 1)[1].split("\n## ", 1)[0]
    examples = [xmltodict.parse(block) for block in re.findall(r"```xml\n(.*?)```", section, re.S)]
    return {next(iter(example)): example for example in examples}


def test_answers_have_every_element_of_the_documented_examples(client, published, ward):
    driver = published.attendances.get(in_the_chair=True).member
    driver.email = "geoff.driver@example.gov.uk"
    driver.save()
    examples = _documented_examples()
    assert set(examples) == {"committees", "getmeetingsbydate", "councillorsbyward", "meeting"}
    day = f"{timezone.localtime(published.starts_at):%d/%m/%Y}"
    answers = {
        "committees": ask(client, "GetCommittees", lDummy=0),
        "getmeetingsbydate": ask(
            client, "GetAllMeetingsByDate", sFromDate=day, sToDate=day, bIsAscendingDateOrder="true"
        ),
        "councillorsbyward": ask(client, "GetCouncillorsByWard"),
        "meeting": ask(client, "GetMeeting", lMeetingId=published.pk),
    }
    for root, example in examples.items():
        missing = _paths(example) - _paths(answers[root])
        assert not missing, f"{root}: {sorted(missing)}"


# ASP.NET's ways ------------------------------------------------------------------------------


def test_parameters_are_required_and_checked_as_asp_net_does(client):
    missing = client.get(f"{SERVICE}/GetCommittees")
    assert missing.status_code == 400
    assert missing.content.decode() == "System.InvalidOperationException: Missing parameter: lDummy."
    wrong = client.get(f"{SERVICE}/GetMeeting", {"lMeetingId": "abc"})
    assert wrong.status_code == 400 and "Cannot convert abc to System.Int32" in wrong.content.decode()
    bad_date = client.get(f"{SERVICE}/GetMeetings", {"lCommitteeId": 1, "sFromDate": "June", "sToDate": "x"})
    assert bad_date.status_code == 400 and "valid DateTime" in bad_date.content.decode()


@pytest.mark.parametrize(
    "method, params, status",
    [
        ("GetMeeting", {"lMeetingId": "99999999999999999999"}, 400),  # beyond an Int32
        ("GetMeeting", {"lMeetingId": "-1"}, 200),  # no such meeting: an empty <meeting />
        ("GetMeeting", {"lMeetingId": "٣"}, 400),  # a digit .NET does not read
        ("GetAttachment", {"lAttachmentId": "2147483647"}, 200),
        ("GetAttachment", {"lAttachmentId": "-2147483648"}, 200),
        ("GetCouncillorsByWardId", {"lWardId": "4294967296"}, 400),
        ("GetCommitteesByUser", {"lUserId": "0"}, 200),
        ("GetMeetings", {"lCommitteeId": "1", "sFromDate": "31/02/2018", "sToDate": "01/01/2019"}, 400),
        ("GetMeetings", {"lCommitteeId": "1", "sFromDate": "01/01/0001", "sToDate": "31/12/9999"}, 200),
        (
            "GetAllMeetingsByDate",
            {"sFromDate": "01/01/2019", "sToDate": "01/01/2018", "bIsAscendingDateOrder": "1"},
            400,
        ),
        (
            "GetAllMeetingsByDate",
            {"sFromDate": "01/01/2019", "sToDate": "01/01/2018", "bIsAscendingDateOrder": "TRUE"},
            200,
        ),
        ("GetMemberGroup", {"sOrder": "\x00", "sShortName": "<script>&amp;\x00\x1f"}, 200),
        ("GetCalendarEvents", {"bGlobalCalendar": "true", "lUserId": "1", "sDateStart": "", "sDateEnd": ""}, 400),
    ],
)
def test_odd_input_is_answered_never_a_server_error(client, committee, method, params, status):
    response = client.get(f"{SERVICE}/{method}", params)
    assert response.status_code == status, response.content
    if status == 200:
        xmltodict.parse(response.content)  # well-formed, whatever was asked


# What a client could send as any parameter: nothing, blanks, numbers at and past an Int32's
# ends, words, control characters, dates that do not exist or sit at the calendar's ends,
# markup, and a very long value.
ODD_PARAMETER_VALUES = [
    "", " ", "-1", "2147483648", "99999999999999999999", "abc", "\x00", "\x1f", "٣", "1e3", "TRUE",
    "31/02/2026", "00/00/0000", "0000-00-00", "31/12/9999", "01/01/10000", "<x>&amp;", "x" * 100_000,
]  # fmt: skip
# A sensible value of each type, for the parameters not being tried (the dates a range
# holding every meeting).
SENSIBLE = {"int": "1", "boolean": "true", "string": "01/01/2000", "sToDate": "31/12/2099", "sDateEnd": "31/12/2099"}


def _soap_call(method, values: dict[str, str]) -> str:
    from xml.sax.saxutils import escape

    parameters = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in values.items())
    return (
        '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
        f'<soap:Body><{method} xmlns="http://moderngov.co.uk/namespace">{parameters}</{method}></soap:Body>'
        "</soap:Envelope>"
    )


def test_every_parameter_of_every_method_answers_odd_values_never_a_server_error(client, published):
    """Walks METHODS (what the service answers), each parameter in turn given each odd value
    by GET, form POST and SOAP: a new method is asked without being listed here. No answer
    holds a word of the meeting's Part II item, whatever was asked."""
    client.raise_request_exception = False
    # The meeting with the Part II item, and its committee, where an id is asked for.
    sensible = {**SENSIBLE, "lMeetingId": str(published.pk), "lCommitteeId": str(published.committee_id)}
    problems, reached_the_item = [], False
    for method in METHODS.values():
        for param in method.params:
            # First with every parameter sensible (the Part II item's meeting is read), then odd.
            for value in [None, *ODD_PARAMETER_VALUES]:
                values = {p.name: sensible.get(p.name, sensible[p.kind]) for p in method.params}
                if value is not None:
                    values[param.name] = value
                for way, response in (
                    ("GET", client.get(f"{SERVICE}/{method.name}", values)),
                    ("POST", client.post(f"{SERVICE}/{method.name}", values)),
                    ("SOAP", client.post(SERVICE, _soap_call(method.name, values), content_type="text/xml")),
                ):
                    if response.status_code >= 500:
                        problems.append(f"{way} {method.name} {param.name}={str(value)[:20]!r}: {response.status_code}")
                    if MARKER in response.content.decode():
                        problems.append(f"{way} {method.name} {param.name}={str(value)[:20]!r}: Part II text")
                    reached_the_item |= "Land disposal at Preston" in response.content.decode()  # its public title
                    if response.status_code == 200:
                        xmltodict.parse(response.content)  # well-formed, whatever was asked
    assert problems == []
    assert reached_the_item


@pytest.mark.parametrize(
    "declaration",
    [
        "<?xml version='1.0' encoding='no-such-encoding'?>",  # a name Python does not know
        "<?xml version='1.0' encoding='shift_jis'?>",  # one the XML parser cannot read
        "<?xml version='1.0' encoding='utf-32'?>",
    ],
)
def test_an_envelope_in_an_encoding_that_cannot_be_read_is_a_soap_fault(client, declaration):
    body = SOAP11_REQUEST.format(1).replace('<?xml version="1.0" encoding="utf-8"?>', declaration)
    response = client.post(SERVICE, body, content_type="text/xml")
    assert response.status_code == 400
    fault = xmltodict.parse(response.content)["soap:Envelope"]["soap:Body"]["soap:Fault"]
    assert fault["faultstring"] == "Server was unable to read request. There is an error in XML document."


def test_an_unknown_method_answers_as_asp_net_does(client):
    response = client.get(f"{SERVICE}/GetEverything")
    assert response.status_code == 404
    assert (
        "Request format is unrecognized for URL unexpectedly ending in '/GetEverything'." in response.content.decode()
    )


def test_address_method_and_parameter_names_in_any_case(client, committee):
    response = client.get("/mgwebservice.asmx/getcommittees", {"ldummy": "0"})
    assert xmltodict.parse(response.content)["committees"]["committeescount"] == "1"


def test_form_post_answers_as_get(client, committee):
    response = client.post(f"{SERVICE}/GetCommittees", {"lDummy": "0"})
    assert xmltodict.parse(response.content)["committees"]["committeescount"] == "1"


SOAP11_REQUEST = """<?xml version="1.0" encoding="utf-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Body><GetMeeting xmlns="http://moderngov.co.uk/namespace"><lMeetingId>{}</lMeetingId></GetMeeting></soap:Body>
</soap:Envelope>"""

SOAP12_REQUEST = """<?xml version="1.0" encoding="utf-8"?>
<soap12:Envelope xmlns:soap12="http://www.w3.org/2003/05/soap-envelope">
  <soap12:Body><GetCommittees xmlns="http://moderngov.co.uk/namespace"><lDummy>0</lDummy></GetCommittees></soap12:Body>
</soap12:Envelope>"""


def test_soap_11_and_12_envelopes(client, published):
    response = client.post(
        SERVICE,
        SOAP11_REQUEST.format(published.pk),
        content_type="text/xml; charset=utf-8",
        headers={"SOAPAction": '"http://moderngov.co.uk/namespace/GetMeeting"'},
    )
    assert response.status_code == 200
    parsed = xmltodict.parse(response.content, process_namespaces=True)
    body = parsed["http://schemas.xmlsoap.org/soap/envelope/:Envelope"][
        "http://schemas.xmlsoap.org/soap/envelope/:Body"
    ]
    result = body["http://moderngov.co.uk/namespace:GetMeetingResponse"][
        "http://moderngov.co.uk/namespace:GetMeetingResult"
    ]
    assert result["meeting"]["meetingid"] == str(published.pk)
    response = client.post(SERVICE, SOAP12_REQUEST, content_type="application/soap+xml; charset=utf-8")
    assert response["Content-Type"].startswith("application/soap+xml")
    parsed = xmltodict.parse(response.content, process_namespaces=True)
    body = parsed["http://www.w3.org/2003/05/soap-envelope:Envelope"]["http://www.w3.org/2003/05/soap-envelope:Body"]
    assert (
        body["http://moderngov.co.uk/namespace:GetCommitteesResponse"][
            "http://moderngov.co.uk/namespace:GetCommitteesResult"
        ]["committees"]["committeescount"]
        == "1"
    )


def test_soap_faults_for_bad_envelopes_and_no_entity_expansion(client):
    missing = client.post(SERVICE, SOAP11_REQUEST.replace("<lMeetingId>{}</lMeetingId>", ""), content_type="text/xml")
    assert missing.status_code == 400
    fault = xmltodict.parse(missing.content)["soap:Envelope"]["soap:Body"]["soap:Fault"]
    assert fault["faultstring"] == "System.InvalidOperationException: Missing parameter: lMeetingId."
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        '<GetMeeting xmlns="http://moderngov.co.uk/namespace"><lMeetingId>&b;</lMeetingId></GetMeeting>'
        "</soap:Body></soap:Envelope>"
    )
    refused = client.post(SERVICE, bomb, content_type="text/xml")
    assert refused.status_code == 400 and b"aaaaaaaaaa" not in refused.content
    assert client.post(SERVICE, "not xml", content_type="text/xml").status_code == 400
    assert client.post(SERVICE, "lDummy=0", content_type="application/x-www-form-urlencoded").status_code == 400


def test_the_wsdl_describes_exactly_what_is_served(client):
    response = client.get(SERVICE + "?WSDL")
    assert response.status_code == 200
    wsdl = xmltodict.parse(
        response.content, process_namespaces=True, namespaces={"http://schemas.xmlsoap.org/wsdl/": "wsdl"}
    )
    definitions = wsdl["wsdl:definitions"]
    port_types = {p["@name"]: p for p in definitions["wsdl:portType"]}
    served = sorted(op["@name"] for op in port_types["mgWebServiceSoap"]["wsdl:operation"])
    assert served == sorted(METHODS)
    schema = definitions["wsdl:types"]["http://www.w3.org/2001/XMLSchema:schema"]
    elements = {e["@name"]: e for e in schema["http://www.w3.org/2001/XMLSchema:element"]}
    sequence = elements["GetMeetings"]["http://www.w3.org/2001/XMLSchema:complexType"][
        "http://www.w3.org/2001/XMLSchema:sequence"
    ]
    params = {p["@name"]: p["@minOccurs"] for p in sequence["http://www.w3.org/2001/XMLSchema:element"]}
    # ModernGov's quirk, kept: the dates are "optional" in the WSDL, required by the service.
    assert params == {"lCommitteeId": "1", "sFromDate": "0", "sToDate": "0"}
    assert client.get(SERVICE).status_code == 200


# The same query budget as the pages ----------------------------------------------------------


@pytest.fixture
def grow(committee, officer, ward):
    """Adds a published meeting with `n` items (every other one Part II), each with a report,
    a PDF and a councillor (in a ward of their own, or in the shared one) who attended."""
    numbers = iter(range(1000))

    def grow(n: int) -> Meeting:
        meeting = published_meeting(committee, officer)
        for i in range(n):
            item = AgendaItemFactory(meeting=meeting, title=f"Item {i}", standing_text="<p>Text</p>")
            report = ReportFactory(agenda_item=item)
            Appendix.objects.create(report=report, letter="A", title="Tables", kind="document", document="a.pdf")
            if i % 2:
                exempt(item, 3)
            k = next(numbers)
            division = ward if i % 2 else ElectoralDivision.objects.create(name=f"Ward {k}", slug=f"ward-{k}")
            member = MemberFactory(division=division)
            MembershipFactory(committee=committee, member=member, role="chair" if i == 0 else "member")
            Attendance.objects.create(meeting=meeting, member=member)
        return meeting

    return grow


def _last_month() -> dict[str, str]:
    today = timezone.localdate()
    return {"start": f"{today - timedelta(days=30):%d/%m/%Y}", "end": f"{today:%d/%m/%Y}"}


def _chair(committee) -> int:
    return committee.memberships.filter(role="chair").order_by("pk").first().member_id


@pytest.mark.parametrize(
    "method, params, queries",
    [
        ("GetCommittees", lambda c, d: {"lDummy": 0}, 2),  # the committees; the ids kept by an import
        # The committee asked for (a kept id or Quorum's); the committee; its meetings with
        # their venues; the ids kept by an import, for every record in the answer.
        ("GetMeetings", lambda c, d: {"lCommitteeId": c.pk, "sFromDate": d["start"], "sToDate": d["end"]}, 4),
        # The meetings with their committees and venues; the kept ids.
        (
            "GetAllMeetingsByDate",
            lambda c, d: {"sFromDate": d["start"], "sToDate": d["end"], "bIsAscendingDateOrder": "true"},
            2,
        ),
        ("GetCouncillorsByWard", lambda c, d: {}, 4),  # wards; councillors; their posts; kept ids
        ("GetMemberGroup", lambda c, d: {"sOrder": "surname", "sShortName": ""}, 3),  # councillors; posts; kept ids
        # The meetings with their committees and venues (everyone's, or those of the chair's
        # committees, the chair found by a kept id or Quorum's); the kept ids.
        (
            "GetCalendarEvents",
            lambda c, d: {"bGlobalCalendar": "true", "lUserId": 0, "sDateStart": d["start"], "sDateEnd": d["end"]},
            2,
        ),
        (
            "GetCalendarEvents",
            lambda c, d: {
                "bGlobalCalendar": "false",
                "lUserId": _chair(c),
                "sDateStart": d["start"],
                "sDateEnd": d["end"],
            },
            3,
        ),
    ],
    ids=["committees", "meetings", "by-date", "wards", "members", "calendar", "councillor-calendar"],
)
def test_each_list_reads_in_a_fixed_number_of_queries_small_or_large(
    client, committee, grow, django_assert_num_queries, method, params, queries
):
    for size in (1, 6):
        grow(size)
        asked = params(committee, _last_month())
        with django_assert_num_queries(queries):
            assert client.get(f"{SERVICE}/{method}", asked).status_code == 200


@pytest.mark.parametrize("size", [1, 8])
def test_a_meeting_reads_in_nine_queries_however_long_its_agenda(client, grow, django_assert_num_queries, size):
    meeting = grow(size)
    # The meeting asked for (a kept id or Quorum's); the meeting (with committee and venue);
    # its items; the readable reports; their PDFs; the members on the day; the minutes; the
    # attendance recorded in them; the ids kept by an import, for every record in the answer.
    with django_assert_num_queries(9):
        response = client.get(f"{SERVICE}/GetMeeting", {"lMeetingId": meeting.pk})
    assert len(xmltodict.parse(response.content)["meeting"]["agendaitems"]["agendaitem"]) == size + 1


def test_the_service_never_shows_part_ii_text_to_a_signed_in_councillor(client, councillor, committee, officer):
    item = plant(published_meeting(committee, officer), officer=officer)
    client.force_login(councillor)  # a member of the committee: the pages would show it; the service is public
    response = client.get(f"{SERVICE}/GetMeeting", {"lMeetingId": item.meeting_id})
    assert MARKER not in response.content.decode()


def test_dates_are_read_as_modern_gov_writes_them():
    from moderngov.service.methods import parse_date

    assert parse_date("05/04/2018") == date(2018, 4, 5)
    assert parse_date("2018-04-05") == date(2018, 4, 5)


def test_a_meeting_imported_dated_in_the_year_1_is_given_with_a_four_figure_year(client, committee):
    # A ModernGov archive's meeting dated 01/01/0001 comes across as dated (docs/moderngov.md):
    # written back as "01/01/1", a client read the year 2001 (.NET takes a short year as this
    # century's) or could not read it, Quorum's own import included.
    meeting = MeetingFactory(committee=committee, starts_at=at(2018, 6, 27, 10, 0))
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=at(1, 1, 1, 0, 0))
    answer = ask(client, "GetMeeting", lMeetingId=meeting.pk)
    assert answer["meeting"]["meetingdate"] == "01/01/0001"
    answer = ask(client, "GetMeetings", lCommitteeId=committee.pk, sFromDate="01/01/0001", sToDate="31/12/0001")
    [listed_meeting] = listed(answer["getmeetings"]["committee"]["committeemeetings"]["meeting"])
    assert listed_meeting["meetingdate"] == "01/01/0001"
    assert parse_date(listed_meeting["meetingdate"]) == date(1, 1, 1)


# Kept ModernGov ids ---------------------------------------------------------------------------


def keep(kind: str, obj, moderngov_id: int) -> None:
    """What the import keeps for a record it brought across."""
    ModernGovId.objects.create(kind=kind, moderngov_id=moderngov_id, object_id=obj.pk, fingerprint="imported")


def test_imported_records_answer_with_and_to_their_kept_modern_gov_ids(client, published, ward):
    """A client that knew the council's ModernGov ids keeps them: the service shows the kept
    id of an imported record and finds the record by it; the old addresses agree."""
    committee, open_item = published.committee, published.items.get(title="Library opening hours")
    driver = published.attendances.get(in_the_chair=True).member
    tables = open_item.report.appendices.get(title="Performance tables")
    keep(Kind.COMMITTEE, committee, 101)
    keep(Kind.MEETING, published, 5001)
    keep(Kind.AGENDA_ITEM, open_item, 7001)
    keep(Kind.MEMBER, driver, 3001)
    keep(Kind.DOCUMENT, tables, 9002)

    meeting = ask(client, "GetMeeting", lMeetingId=5001)["meeting"]
    assert (meeting["meetingid"], meeting["committeeid"], meeting["agendaid"]) == ("5001", "101", "5001")
    chair, other = listed(meeting["attendees"]["attendee"])
    absent = published.attendances.get(in_the_chair=False).member
    assert (chair["@memberid"], other["@memberid"]) == ("3001", str(absent.pk))  # made in Quorum: its own
    items = listed(meeting["agendaitems"]["agendaitem"])
    assert items[0]["agendaitemid"] == "7001"
    part_ii_id = items[1]["agendaitemid"]  # made in Quorum: Quorum's own id
    assert part_ii_id == str(published.items.get(title="Land disposal at Preston").pk)
    report_doc, pdf = listed(items[0]["linkeddocs"]["linkeddoc"])
    assert pdf["attachmentid"] == "9002" and report_doc["attachmentid"] == str(open_item.report.pk * 2 + 1)
    # An imported record answers only to its kept id (its Quorum id may be another's).
    assert ask(client, "GetMeeting", lMeetingId=published.pk)["meeting"] is None

    attachment = ask(client, "GetAttachment", lAttachmentId=9002)["attachment"]
    assert attachment["url"] == f"http://testserver/documents/{tables.pk}/"
    assert attachment["meetingid"] == "5001"
    listing = ask(client, "GetMeetings", lCommitteeId=101, sFromDate="01/01/2000", sToDate="31/12/2100")
    assert listing["getmeetings"]["committee"]["committeeid"] == "101"
    assert [m["meetingid"] for m in listed(listing["getmeetings"]["committee"]["committeemeetings"]["meeting"])] == [
        "5001"
    ]
    assert ask(client, "GetMeetings", lCommitteeId=committee.pk, sFromDate="01/01/2000", sToDate="31/12/2100") == {
        "getmeetings": None
    }
    assert "101" in [
        c["committeeid"] for c in listed(ask(client, "GetCommittees", lDummy=0)["committees"]["committee"])
    ]
    councillors = listed(
        ask(client, "GetCouncillorsByWard")["councillorsbyward"]["wards"]["ward"]["councillors"]["councillor"]
    )
    assert [c["councillorid"] for c in councillors] == ["3001"]
    by_user = ask(client, "GetCommitteesByUser", lUserId=3001)["committees"]
    assert listed(by_user["committee"])[0]["committeeid"] == "101"

    # The old addresses take the same numbers as the service shows.
    assert client.get("/ieListDocuments.aspx?CId=101&MId=5001")["Location"] == published.get_absolute_url()
    assert client.get("/mgUserInfo.aspx?UID=3001")["Location"] == driver.get_absolute_url()
    assert client.get("/documents/s9002/Performance%20tables.pdf")["Location"] == f"/documents/{tables.pk}/"


def test_a_pdf_made_in_quorum_has_one_number_in_the_service_and_the_old_addresses(client, published):
    items = listed(ask(client, "GetMeeting", lMeetingId=published.pk)["meeting"]["agendaitems"]["agendaitem"])
    _, pdf = listed(items[0]["linkeddocs"]["linkeddoc"])
    url = ask(client, "GetAttachment", lAttachmentId=pdf["attachmentid"])["attachment"]["url"]
    moved = client.get(f"/documents/s{pdf['attachmentid']}/Performance%20tables.pdf")
    assert moved.status_code == 301 and url == f"http://testserver{moved['Location']}"


def _keep_everything() -> None:
    for kind, model in MODELS.items():
        for pk in model.objects.values_list("pk", flat=True):
            ModernGovId.objects.get_or_create(
                kind=kind, moderngov_id=900_000 + pk, defaults={"object_id": pk, "fingerprint": "imported"}
            )


def _queries(client, method: str, params: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{SERVICE}/{method}", params).status_code == 200
    return len(queries)


def test_kept_ids_are_read_in_one_query_for_2_or_20_items_and_meetings(client, committee, officer, grow):
    """The batched form: the kept ids of every record in an answer come in one query, so an
    archive's answers cost the same for a short agenda as for a long one."""
    short, long = grow(2), grow(20)
    _keep_everything()
    kept = dict(ModernGovId.objects.filter(kind=Kind.MEETING).values_list("object_id", "moderngov_id"))
    asked = [_queries(client, "GetMeeting", {"lMeetingId": kept[m.pk]}) for m in (short, long)]
    assert asked == [9, 9]
    answer = ask(client, "GetMeeting", lMeetingId=kept[long.pk])["meeting"]
    assert len(listed(answer["agendaitems"]["agendaitem"])) == 21  # the 20 and the published one's
    assert all(int(i["agendaitemid"]) > 900_000 for i in listed(answer["agendaitems"]["agendaitem"]))
    assert all(int(a["@memberid"]) > 900_000 for a in listed(answer["attendees"]["attendee"]))

    committee_id = 900_000 + committee.pk
    month = _last_month()
    window = {"lCommitteeId": committee_id, "sFromDate": month["start"], "sToDate": month["end"]}
    counts = []
    for total in (2, 20):
        Meeting.objects.filter(committee=committee).exclude(pk__in=[short.pk, long.pk]).delete()
        while Meeting.objects.filter(committee=committee).count() < total:
            published_meeting(committee, officer)
        _keep_everything()
        counts.append(_queries(client, "GetMeetings", window))
        shown = listed(ask(client, "GetMeetings", **window)["getmeetings"]["committee"]["committeemeetings"]["meeting"])
        assert len(shown) == total and all(int(m["meetingid"]) > 900_000 for m in shown)
    assert counts == [4, 4]

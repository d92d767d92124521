"""Odd input on the public pages: any query parameter, whatever its value (a negative or
twenty-digit year, letters for a number, nothing, a NUL character, a date at the ends of the
calendar), answers the page (the input ignored, or the form showing what is wrong) or a 400,
never a server error. And a name with a line break in it keeps the calendar feeds valid."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from committee import services
from committee.models import Meeting
from tests.decisions.kit import decision, member_maker, published_entry
from tests.factories import CommitteeFactory, MeetingFactory, ReportFactory
from tests.page_checks import unexplained_fields
from tests.risks.conftest import entries, published_report, register, reported  # noqa: F401 - fixtures
from tests.send_actions.conftest import small_plan  # noqa: F401 - fixture

ODD_VALUES = [
    "-5",
    "99999999999999999999",
    "abc",
    "",
    "\x00",
    "0",
    "1.5",
    "0001-01",
    "9999-12",
    "0001-01-01",
    "9999-12-31",
    "2026-13-45",
    "+1",
    "=1+1",
    " ",
    "x" * 2000,
]

# Each public page and the query parameters it reads (or could be sent).
PORTAL_PAGES = {
    "committee": ("year", "page"),
    "calendar": ("month", "committee", "view"),
    "search": ("q", "committee", "date_from", "date_to", "page"),
    "home": ("page",),
    "committee-list": ("page",),
    "api-meetings": ("page", "format", "committee", "date_from", "date_to", "status", "modified_since"),
    "api-agenda-items": ("page", "format", "meeting", "committee", "date_from", "date_to", "kind", "modified_since"),
    "api-documents": ("page", "format", "meeting", "committee", "date_from", "date_to", "modified_since"),
    "api-committees": ("page", "format", "kind", "is_active", "modified_since"),
    "api-members": ("page", "format", "party", "modified_since"),
}


@pytest.fixture
def portal(db, officer):
    committee = CommitteeFactory(name="Children and Families Scrutiny", slug="children")
    past = MeetingFactory(committee=committee)
    ReportFactory(agenda_item__meeting=past, title="Budget monitoring")
    services.meeting_publish_agenda(meeting=past, by=officer)
    Meeting.objects.filter(pk=past.pk).update(starts_at=timezone.now() - timedelta(days=400))
    MeetingFactory(committee=committee, starts_at=timezone.now() + timedelta(days=20))
    return committee


def _url(page: str, committee) -> str:
    if page == "committee":
        return reverse("committee:committee-detail", args=[committee.slug])
    if page.startswith("api-"):
        return reverse(f"api:{page[4:].removesuffix('s').replace('agenda-item', 'agendaitem')}-list")
    return reverse(f"committee:{page}")


def _problems(client, url, params: tuple[str, ...], fixed: dict | None = None) -> list[str]:
    """Every (parameter, value) that does not answer 200 or 400, or whose page marks a field
    wrong without its message at the field."""
    problems = []
    for param in params:
        for value in ODD_VALUES:
            response = client.get(url, {**(fixed or {}), param: value})
            # The API's one 404 for a query: a whole number page past the last.
            past_the_last = param == "page" and value.isdigit() and int(value) > 1 and "/api/" in url
            if response.status_code not in (200, 400) and not (past_the_last and response.status_code == 404):
                problems.append(f"{param}={value[:30]!r}: {response.status_code}")
            elif response.get("Content-Type", "").startswith("text/html"):
                problems += [f"{param}={value[:30]!r}: {unexplained}" for unexplained in unexplained_fields(response)]
    return problems


@pytest.mark.parametrize("page", PORTAL_PAGES)
def test_portal_pages_answer_odd_query_values(client, portal, page):
    client.raise_request_exception = False
    fixed = {"q": "budget"} if page == "search" else {}
    assert _problems(client, _url(page, portal), PORTAL_PAGES[page], fixed) == []


@pytest.mark.parametrize("value", ["-5", "99999999999999999999", "0", "10000", "abc", "", "\x00"])
def test_an_odd_year_shows_the_committee_with_its_latest_year(client, portal, value):
    response = client.get(reverse("committee:committee-detail", args=[portal.slug]), {"year": value})
    assert response.status_code == 200
    assert response.context["year"] == (timezone.now() - timedelta(days=400)).year
    assert len(response.context["past"]) == 1


def test_register_page_answers_odd_query_values(client, reported):  # noqa: F811 - fixture
    client.raise_request_exception = False
    params = ("kind", "risk_type", "owner", "min_residual", "sort", "_export", "page")
    assert _problems(client, reported.get_absolute_url(), params) == []


def test_plan_page_answers_odd_query_values(client, small_plan):  # noqa: F811 - fixture
    client.raise_request_exception = False
    url = reverse("send_actions:plan-detail", args=[small_plan.slug])
    assert _problems(client, url, ("status", "group", "page")) == []


@pytest.mark.parametrize("name", ["Children\nand Families", "Children\r\nand Families", "Tab\there; comma, and \\"])
def test_a_committee_name_with_a_line_break_keeps_the_calendars_valid(client, officer, name):
    committee = CommitteeFactory(name=name, slug="odd-name")
    meeting = MeetingFactory(committee=committee, starts_at=timezone.now() + timedelta(days=10))
    feeds = [
        reverse("committee:committee-ics", args=[committee.slug]),
        reverse("committee:calendar-ics"),
        reverse("committee:meeting-ics", args=[meeting.pk]),
    ]
    for url in feeds:
        response = client.get(url)
        assert response.status_code == 200
        calendar = Calendar.from_ical(response.content)
        events = list(calendar.walk("VEVENT"))
        # iCalendar text has line feeds only: a typed CR LF comes back as LF.
        assert [str(e["summary"]) for e in events] == [name.replace("\r\n", "\n")], url
        for line in response.content.split(b"\r\n"):
            assert b"\n" not in line and b"\r" not in line
    committee_calendar = Calendar.from_ical(client.get(feeds[0]).content)
    # icalendar does not know X-WR-CALNAME's type; calendar applications read it as text.
    raw = str(committee_calendar["x-wr-calname"])
    assert re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], raw) == name.replace("\r\n", "\n")


# The pages of executive decisions, interests and alerts, by address, and what they read.
LATER_PAGES = {
    "/forward-plan/": ("page",),
    "/forward-plan.rss": ("page",),
    "/forward-plan.ics": ("page",),
    "/decisions/": ("page",),
    "/decisions/special-urgency/": ("page",),
    "/api/forward-plan/": ("page", "format", "due_from", "due_to", "status", "is_key_decision", "modified_since"),
    "/api/decisions/": ("page", "format", "decided_from", "decided_to", "is_key_decision", "modified_since"),
    "/api/interests/": ("page", "format", "modified_since"),
    "/api/declarations/": ("page", "format", "member", "committee", "kind", "modified_since"),
    "/alerts/": ("committee", "councillor", "kind", "words"),
}


@pytest.mark.parametrize("url", LATER_PAGES)
def test_decisions_interests_and_alerts_pages_answer_odd_query_values(client, portal, url):
    client.raise_request_exception = False
    maker = member_maker()
    entry = published_entry(maker, noticed_on=timezone.localdate() - timedelta(days=40))
    decision(maker, decided_on=timezone.localdate() - timedelta(days=2), entry=entry)
    assert _problems(client, url, LATER_PAGES[url]) == []


def test_a_link_to_the_alerts_form_naming_a_committee_starts_it_at_that_committee(client, portal):
    response = client.get("/alerts/", {"committee": portal.slug})
    assert response.context["form"].initial == {"kind": "committee", "committee": portal}


def test_a_control_character_typed_into_a_title_keeps_the_rss_and_atom_feeds(client, officer):
    """A vertical tab or form feed (pasted from a word processor) cannot be written in XML:
    the feeds that print what officers typed leave it out, and answer for everyone."""
    import xml.etree.ElementTree as ET

    from committee.models import Access
    from tests.factories import AgendaItemFactory

    maker = member_maker()
    published_entry(maker, noticed_on=timezone.localdate(), title="Closure of\x0bFulwood library\x0c")
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=10))
    ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting, access=Access.PUBLIC), title="Budget\x0b2026")
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    feeds = {
        reverse("decisions:forward-plan-rss"): "Closure ofFulwood library",
        reverse("committee:papers-rss"): "Budget2026",
        reverse("committee:papers-atom"): "Budget2026",
    }
    for url, title in feeds.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert title in "".join(ET.fromstring(response.content).itertext()), url


def test_a_meeting_imported_at_the_calendars_last_hour_keeps_the_calendar_feeds(client, db):
    # Imported dated 31/12/9999 at 11.30 pm (a slip in ModernGov): its end, two hours on, was
    # past the calendar's last day, and the whole feed an error page.
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=10))
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=datetime(9999, 12, 31, 23, 30, tzinfo=UTC))
    for url in (reverse("committee:calendar-ics"), reverse("committee:meeting-ics", args=[meeting.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        event = Calendar.from_ical(response.content).walk("VEVENT")[0]
        assert event.decoded("dtend") > event.decoded("dtstart")


@pytest.mark.parametrize(("field", "typed"), [("date_from", "0018-06-27"), ("date_to", "9999-12-31")])
def test_a_search_date_with_a_slip_in_its_year_comes_back_with_the_message_at_the_field(client, portal, field, typed):
    # As in every form that takes a day (core.forms.MistypedYearsMixin): 27/06/0018 searched
    # every meeting since the year 18 and said nothing.
    response = client.get(reverse("committee:search"), {"q": "budget", field: typed})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [
        f"Check the year: {typed[:4]} cannot be right. Type a date from 1800 to 2999."
    ]
    assert f'value="{typed}"' in response.content.decode()
    assert unexplained_fields(response) == []

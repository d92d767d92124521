"""Every public page type, feed and API endpoint, and their query counts."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from committee import services
from committee.models import Attendance, Meeting
from tests.factories import AgendaItemFactory, MeetingFactory, MemberFactory, MembershipFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(committee, officer):
    meeting = MeetingFactory(committee=committee)
    ReportFactory(
        agenda_item=AgendaItemFactory(meeting=meeting, title="Troubled Families Programme"),
        executive_summary="<p>Payment by results claims for troubled families exceeded the target.</p>",
    )
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    meeting.refresh_from_db()
    return meeting


def _add_meetings(committee, officer, n):
    for _ in range(n):
        m = MeetingFactory(committee=committee)
        member = MemberFactory()
        MembershipFactory(committee=committee, member=member)
        Attendance.objects.create(meeting=m, member=member)
        ReportFactory(agenda_item=AgendaItemFactory(meeting=m))
        services.meeting_publish_agenda(meeting=m, by=officer)


# Pages ------------------------------------------------------------------------------------


def test_home_shows_upcoming_meetings_and_new_papers(client, meeting):
    page = client.get("/").content.decode()
    assert meeting.get_absolute_url() in page
    assert "Troubled Families Programme" in page
    assert 'role="search"' in page


def test_committee_page_has_members_and_meetings_by_year(client, meeting, councillor):
    page = client.get(meeting.committee.get_absolute_url()).content.decode()
    assert "Geoff Driver" in page and "Upcoming meetings" in page
    assert reverse("committee:committee-ics", args=[meeting.committee.slug]) in page


def test_councillor_page_shows_committees_and_attendance(client, committee, councillor):
    member = councillor.member
    past = MeetingFactory(committee=committee, starts_at=timezone.now() - timedelta(days=7))
    Attendance.objects.create(meeting=past, member=member, status="apologies")
    page = client.get(member.get_absolute_url()).content.decode()
    assert committee.name in page and "Apologies" in page and "apologies for 1" in page


def test_calendar_month_and_list_views_filter_by_committee(client, meeting):
    month = timezone.localdate(meeting.starts_at).strftime("%Y-%m")
    other = MeetingFactory(starts_at=meeting.starts_at)  # another committee, same day
    grid = client.get(reverse("committee:calendar") + f"?month={month}").content.decode()
    assert meeting.get_absolute_url() in grid and other.get_absolute_url() in grid
    filtered = client.get(
        reverse("committee:calendar") + f"?month={month}&view=list&committee={meeting.committee.slug}"
    ).content.decode()
    assert meeting.get_absolute_url() in filtered and other.get_absolute_url() not in filtered


def test_the_calendar_grid_marks_a_postponed_meeting_as_it_does_a_cancelled_one(client, meeting, officer):
    cancelled = MeetingFactory(committee=meeting.committee, starts_at=meeting.starts_at + timedelta(hours=1))
    services.meeting_cancel(meeting=cancelled, by=officer, reason="Insufficient business")
    services.meeting_cancel(meeting=meeting, by=officer, reason="Chair unwell", postpone=True)
    month = timezone.localdate(meeting.starts_at).strftime("%Y-%m")
    grid = client.get(reverse("committee:calendar") + f"?month={month}").content.decode()
    assert f"{meeting.committee.name} (postponed)" in grid and f"{meeting.committee.name} (cancelled)" in grid


def test_the_committee_list_names_the_next_meeting_going_ahead(client, meeting, officer):
    later = MeetingFactory(committee=meeting.committee, starts_at=meeting.starts_at + timedelta(days=14))
    services.meeting_cancel(meeting=meeting, by=officer, reason="Insufficient business")
    page = client.get(reverse("committee:committee-list")).content.decode()
    assert f'Next meeting: <time datetime="{later.starts_at:%Y-%m-%d}' in page.replace("'", '"')


def test_cancelled_meeting_says_so(client, meeting, officer):
    services.meeting_cancel(meeting=meeting, by=officer, reason="Insufficient business")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "This meeting has been cancelled." in page and "Insufficient business" in page


def test_search_finds_a_phrase_from_a_report(client, meeting):
    response = client.get(reverse("committee:search") + "?q=payment+by+results")
    page = response.content.decode()
    assert response.context["count"] >= 1
    assert "Troubled Families Programme" in page and "<mark>" in page


def test_search_filters_by_committee_and_dates(client, meeting):
    other = MeetingFactory()
    ReportFactory(agenda_item=AgendaItemFactory(meeting=other), executive_summary="<p>payment by results</p>")
    url = reverse("committee:search") + f"?q=payment+by+results&committee={meeting.committee.pk}"
    assert client.get(url).context["count"] == 1
    day = timezone.localdate(meeting.starts_at)
    later = (day + timedelta(days=1)).isoformat()
    assert client.get(reverse("committee:search") + f"?q=payment&date_from={later}").context["count"] == 0


def test_the_search_form_keeps_the_committee_chosen(client, meeting):
    other = MeetingFactory(committee__name="Audit & <Governance> Committee").committee
    page = client.get(reverse("committee:search") + f"?q=payment&committee={other.pk}").content.decode()
    choices = page.split('<select id="id_committee" name="committee">')[1].split("</select>")[0]
    assert '<option value="">All committees</option>' in choices
    assert f'<option value="{other.pk}" selected>Audit &amp; &lt;Governance&gt; Committee</option>' in choices
    assert f'<option value="{meeting.committee.pk}">' in choices


def test_the_calendar_lists_the_active_committees_by_slug_in_the_same_select(client, meeting):
    other = MeetingFactory(committee__name="Audit & <Governance> Committee").committee
    MeetingFactory(committee__name="Old Committee", committee__is_active=False)
    page = client.get(reverse("committee:calendar") + f"?committee={other.slug}").content.decode()
    choices = page.split('<select id="id_committee" name="committee">')[1].split("</select>")[0]
    assert choices.startswith('<option value="">All committees</option>')
    assert f'<option value="{other.slug}" selected>Audit &amp; &lt;Governance&gt; Committee</option>' in choices
    assert f'<option value="{meeting.committee.slug}">' in choices
    assert "Old Committee" not in choices


def test_accessibility_statement_and_not_found_page(client):
    assert "Accessibility statement" in client.get(reverse("committee:accessibility")).content.decode()
    missing = client.get("/meetings/999999/")
    assert missing.status_code == 404 and "Page not found" in missing.content.decode()


# Feeds ------------------------------------------------------------------------------------


def test_calendar_feed_is_valid_icalendar_with_cancellations(client, meeting, officer):
    cancelled = MeetingFactory(committee=meeting.committee)
    services.meeting_cancel(meeting=cancelled, by=officer, reason="Room unavailable")
    feed = client.get(reverse("committee:committee-ics", args=[meeting.committee.slug]))
    assert feed["Content-Type"].startswith("text/calendar")
    events = {str(e["uid"]): e for e in Calendar.from_ical(feed.content).walk("VEVENT")}
    assert len(events) == 2
    normal = next(e for e in events.values() if str(e["status"]) == "CONFIRMED")
    assert str(normal["url"]).endswith(meeting.get_absolute_url())
    assert normal.decoded("dtstart") == meeting.starts_at
    gone = next(e for e in events.values() if str(e["status"]) == "CANCELLED")
    assert "Room unavailable" in str(gone["description"])


def test_papers_feeds_are_valid_rss_and_atom(client, meeting):
    rss = ET.fromstring(client.get(reverse("committee:papers-rss")).content)
    titles = [item.findtext("title") for item in rss.iter("item")]
    assert any("Troubled Families Programme" in t for t in titles)
    atom = ET.fromstring(client.get(reverse("committee:committee-atom", args=[meeting.committee.slug])).content)
    assert atom.tag == "{http://www.w3.org/2005/Atom}feed"
    assert len(atom.findall("{http://www.w3.org/2005/Atom}entry")) == 1


def test_sitemap_lists_public_pages(client, meeting):
    body = client.get(reverse("sitemap")).content.decode()
    assert meeting.get_absolute_url() in body
    assert meeting.items.get().report.get_absolute_url() in body


# API --------------------------------------------------------------------------------------


def test_api_meetings_are_paginated_and_filterable(client, committee, officer, meeting):
    MeetingFactory()  # another committee
    data = client.get("/api/meetings/", {"committee": committee.slug}).json()
    assert data["count"] == 1 and data["results"][0]["id"] == meeting.pk
    assert {"next", "previous", "results"} <= data.keys()
    day = timezone.localdate(meeting.starts_at)
    assert client.get("/api/meetings/", {"date_from": (day + timedelta(days=1)).isoformat()}).json()["count"] <= 1
    assert client.get("/api/meetings/", {"date_to": (day - timedelta(days=365)).isoformat()}).json()["count"] == 0


def test_api_supports_incremental_sync(client, meeting):
    first = client.get("/api/meetings/")
    assert first.status_code == 200 and first["ETag"]
    # Past the page cache (as here, and for a signed-in reader) no If-Modified-Since is
    # answered, so no Last-Modified is given: the newest row a list shows is not when the
    # list last changed (a row may have left it).
    assert "Last-Modified" not in first
    again = client.get("/api/meetings/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get("/api/meetings/", {"modified_since": (timezone.now() + timedelta(seconds=1)).isoformat()})
    assert since.json()["count"] == 0
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=timezone.now() + timedelta(minutes=5))
    changed = client.get("/api/meetings/", {"modified_since": (timezone.now() + timedelta(seconds=1)).isoformat()})
    assert changed.json()["count"] == 1


def test_api_documents_and_schema(client, meeting):
    docs = client.get("/api/documents/").json()
    assert docs["results"][0]["title"] == "Troubled Families Programme"
    assert "Payment by results" in docs["results"][0]["sections"]["executive_summary"]
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/meetings/" in schema.content


# Query counts: constant in the number of items, members and documents --------------------


@pytest.mark.parametrize(
    "url_name,expected",
    [
        # session-less anonymous reader:
        # home: upcoming, past, recent papers (3)
        ("committee:home", 3),
        # committees with next meeting (1)
        ("committee:committee-list", 1),
        # councillors (1)
        ("committee:member-list", 1),
        # calendar: the committee filter choices are not queried until rendered (1) + meetings (1)
        ("committee:calendar", 2),
        # feeds: reports (1); meetings (1)
        ("committee:papers-rss", 1),
        ("committee:calendar-ics", 1),
        # sitemap: a count and a page for each of committees, meetings, reports (6)
        ("sitemap", 6),
    ],
)
def test_list_pages_use_a_constant_number_of_queries(
    client, committee, officer, url_name, expected, django_assert_num_queries
):
    _add_meetings(committee, officer, 2)
    with django_assert_num_queries(expected):
        client.get(reverse(url_name))
    _add_meetings(committee, officer, 5)
    with django_assert_num_queries(expected):
        client.get(reverse(url_name))


def test_committee_and_councillor_pages_use_a_constant_number_of_queries(
    client, committee, officer, django_assert_num_queries
):
    _add_meetings(committee, officer, 2)
    for days in (10, 20):
        MeetingFactory(committee=committee, starts_at=timezone.now() - timedelta(days=days))
    member = committee.memberships.first().member
    # committee page: committee, the years of past meetings, memberships with members,
    # upcoming meetings, the year's past meetings (5)
    with django_assert_num_queries(5):
        client.get(committee.get_absolute_url())
    # councillor page: member, memberships, attendance, totals, the register of interests as
    # last published (5)
    with django_assert_num_queries(5):
        client.get(member.get_absolute_url())
    _add_meetings(committee, officer, 5)
    for days in (30, 40, 50, 60):
        MeetingFactory(committee=committee, starts_at=timezone.now() - timedelta(days=days))
    with django_assert_num_queries(5):
        client.get(committee.get_absolute_url())
    with django_assert_num_queries(5):
        client.get(member.get_absolute_url())


def test_calendar_subscription_holds_the_past_year_and_what_is_ahead(client, committee):
    old = MeetingFactory(committee=committee, starts_at=timezone.now() - timedelta(days=400))
    recent = MeetingFactory(committee=committee, starts_at=timezone.now() - timedelta(days=30))
    feed = client.get(reverse("committee:calendar-ics")).content.decode()
    assert f"meeting-{recent.pk}@" in feed and f"meeting-{old.pk}@" not in feed
    # The archive is still on the meeting's own page and its one-event calendar file.
    assert f"meeting-{old.pk}@" in client.get(reverse("committee:meeting-ics", args=[old.pk])).content.decode()


def test_committee_page_shows_past_meetings_a_year_at_a_time(client, committee):
    older = MeetingFactory(committee=committee, starts_at=timezone.now().replace(year=timezone.now().year - 3))
    last = MeetingFactory(committee=committee, starts_at=timezone.now() - timedelta(days=2))
    page = client.get(committee.get_absolute_url()).content.decode()
    assert last.get_absolute_url() in page and older.get_absolute_url() not in page
    assert f"?year={older.starts_at.year}" in page
    earlier = client.get(committee.get_absolute_url() + f"?year={older.starts_at.year}").content.decode()
    assert older.get_absolute_url() in earlier and last.get_absolute_url() not in earlier

"""Anonymous pages come from the cache until public content changes; signed-in readers, and
anyone carrying a session, never get a kept page, and their pages are never kept."""

import time
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from committee import services
from committee.models import Report
from pagecache.models import PublicGeneration
from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory, exempt
from tests.gate_surfaces import MARKER, leaks, plant, published_meeting, surfaces

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    caches[settings.QUORUM_PAGE_CACHE].clear()


@pytest.fixture
def meeting(committee, officer):
    meeting = MeetingFactory(committee=committee)
    ReportFactory(
        agenda_item=AgendaItemFactory(meeting=meeting, title="Troubled Families Programme"),
        executive_summary="<p>Payment by results claims exceeded the target.</p>",
    )
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    meeting.refresh_from_db()
    return meeting


def _changed_minutes_ago(minutes: int) -> None:
    """As if public content last changed `minutes` ago: a page is then given a Last-Modified
    (one made in the second of a change, or the next, is not: test below)."""
    PublicGeneration.objects.update(changed_at=timezone.now() - timedelta(minutes=minutes))


def test_the_second_anonymous_request_is_served_from_the_cache(client, meeting):
    url = meeting.get_absolute_url()
    _changed_minutes_ago(10)
    first = client.get(url)
    second = client.get(url)
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert second.content == first.content and "Troubled Families Programme" in second.content.decode()
    # For a reverse proxy or CDN: keep it, ask again before using it.
    assert second["Cache-Control"] == "public, no-cache"
    assert second["ETag"] == first["ETag"] and second["Last-Modified"]
    assert "Cookie" in second["Vary"]  # made for a reader without a session (docs/caching.md)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_a_shared_cache_may_reuse_a_page_for_the_seconds_allowed(client, meeting, settings):
    settings.QUORUM_PROXY_MAX_AGE = 5
    response = client.get("/")
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=5"


def test_a_page_is_kept_no_longer_than_the_seconds_set(client, meeting, settings):
    """Some pages move with the clock, not with an officer's change (an upcoming meeting
    becomes a past one): QUORUM_PAGE_CACHE_SECONDS bounds how long one is kept."""
    settings.QUORUM_PAGE_CACHE_SECONDS = 1
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    time.sleep(1.2)
    assert client.get("/")["X-Page-Cache"] == "miss"


@pytest.mark.parametrize(
    "path",
    ["/", "meeting", "report", "committee", "/papers.rss", "/meetings.ics", "/search/?q=families", "/api/meetings/"],
)
def test_a_paper_edited_after_publication_shows_at_the_next_request(client, meeting, path):
    report = Report.objects.get(agenda_item__meeting=meeting)
    path = {
        "meeting": meeting.get_absolute_url(),
        "report": report.get_absolute_url(),
        "committee": meeting.committee.get_absolute_url(),
    }.get(path, path)
    if path.startswith("/api/"):
        path = f"/api/meetings/{meeting.pk}/"
    assert client.get(path)["X-Page-Cache"] == "miss"
    assert client.get(path)["X-Page-Cache"] == "hit"
    report.title = "Troubled Families Programme (corrected)"
    report.save()
    item = report.agenda_item
    item.title = "Troubled Families Programme (corrected)"
    item.save()
    response = client.get(path)
    assert response["X-Page-Cache"] == "miss"
    if path.startswith(("/api/", "/meetings.ics", "/committees/")):
        return  # they show meetings, not their papers' titles (fresh all the same: a miss)
    assert "(corrected)" in response.content.decode()


def test_a_cancellation_shows_at_the_next_request(client, meeting, officer):
    url = meeting.get_absolute_url()
    client.get(url)
    assert "This meeting has been cancelled." not in client.get(url).content.decode()
    services.meeting_cancel(meeting=meeting, by=officer, reason="Insufficient business")
    assert "This meeting has been cancelled." in client.get(url).content.decode()
    assert "CANCELLED" in client.get("/meetings.ics").content.decode()


def test_a_signed_in_councillor_never_gets_a_kept_page_nor_leaves_one(client, committee, officer, councillor):
    meeting = published_meeting(committee, officer)
    item = plant(meeting, officer=officer)
    checks = surfaces(item)
    # The councillor reads the Part II papers first, on every surface...
    client.force_login(councillor)
    for surface in checks:
        response = client.get(surface.url)
        assert "X-Page-Cache" not in response, f"{surface.name} came from or went to the cache for a councillor"
        if response.status_code == 200:
            assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert leaks(client.get(meeting.get_absolute_url()), item), "the councillor reads the Part II item"
    client.logout()
    # ...then the public, twice (the second time from the cache): nothing of them.
    for _ in range(2):
        for surface in checks:
            response = client.get(surface.url)
            assert response.status_code == surface.status, surface.name
            assert not leaks(response, item), f"exempt papers reached the public on {surface.name}"
    # And a page the public made is not what the councillor then gets.
    client.force_login(councillor)
    response = client.get(meeting.get_absolute_url())
    assert "X-Page-Cache" not in response and leaks(response, item)


@pytest.mark.parametrize(
    "cookie", ["sessionid", "messages"], ids=["a session (signed in or half-way)", "messages waiting"]
)
def test_a_request_carrying_a_session_or_messages_goes_past_the_cache(client, meeting, settings, cookie):
    name = settings.SESSION_COOKIE_NAME if cookie == "sessionid" else cookie
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    client.cookies[name] = "anything"
    response = client.get("/")
    assert response.status_code == 200 and "X-Page-Cache" not in response


def test_a_request_carrying_credentials_goes_past_the_cache(client, meeting):
    """A program signing in with an Authorization header gets its own answer, never the
    public's kept one (docs/caching.md)."""
    client.get("/api/meetings/")
    assert client.get("/api/meetings/")["X-Page-Cache"] == "hit"
    response = client.get("/api/meetings/", HTTP_AUTHORIZATION="Bearer a-token")
    assert response.status_code == 200 and "X-Page-Cache" not in response


def test_the_officers_admin_and_sign_in_are_never_kept(client, meeting):
    for url in (reverse("login"), "/admin/login/"):
        client.get(url)
        assert "X-Page-Cache" not in client.get(url)


def test_the_api_keeps_a_browsers_page_apart_from_a_programs_json(client, meeting):
    url = f"/api/meetings/{meeting.pk}/"
    client.get(url, HTTP_ACCEPT="application/json")
    json = client.get(url, HTTP_ACCEPT="application/json")
    html = client.get(url, HTTP_ACCEPT="text/html")
    assert json.status_code == 200, json.content[:300]
    assert json.get("X-Page-Cache") == "hit", (json.status_code, dict(json.items()))
    assert json["Content-Type"].startswith("application/json")
    # (The browsable page hands out a CSRF token, so it is never kept at all.)
    assert html.get("X-Page-Cache") != "hit" and html["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/api/documents/", "/papers.rss", "/papers.atom"])
def test_a_paper_made_part_ii_is_never_answered_not_modified(client, committee, officer, path):
    """A list's own Last-Modified (the newest paper it shows) cannot see a paper that left it.
    A reader who asks "changed since?" after a paper was made Part II gets the list without
    it, not "304 Not Modified" and the copy they kept."""
    meeting = published_meeting(committee, officer)
    item = plant(meeting, officer=officer, part_ii=False)
    # The papers came out an hour ago; the reader fetched the list ten minutes ago.
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Report.objects.update(first_published_at=an_hour_ago, updated_at=an_hour_ago)
    _changed_minutes_ago(10)
    first = client.get(path)
    assert first.status_code == 200 and MARKER in first.content.decode()

    exempt(item, 3)
    again = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200, "answered Not Modified: the reader keeps the Part II paper"
    assert MARKER not in again.content.decode()
    # Nothing changed since (the change five minutes old now): Not Modified, by when public
    # content last changed.
    _changed_minutes_ago(5)
    copy = client.get(path)
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=copy["Last-Modified"]).status_code == 304


@pytest.mark.parametrize("path", ["/api/documents/", "/papers.rss", "/papers.atom", "meeting"])
def test_a_change_in_the_same_second_as_a_readers_copy_is_never_answered_not_modified(client, committee, officer, path):
    """HTTP dates have whole seconds. An officer corrects a paper's title, a reader's copy is
    made, and the officer then makes the paper Part II, all within one second: the reader who
    asks "changed since?" with the date of that copy (If-Modified-Since alone, as a browser or
    a proxy without the ETag does) gets the page without the paper, never "304 Not Modified"
    and the copy that holds it."""
    meeting = published_meeting(committee, officer)
    item = plant(meeting, officer=officer, part_ii=False)
    path = meeting.get_absolute_url() if path == "meeting" else path
    # From the start of a second, so that the three steps most often fall within it.
    time.sleep(1 - time.time() % 1)
    item.title = "Land disposal at Preston (corrected)"
    item.save()
    copy = client.get(path)
    made = http_date()
    assert copy.status_code == 200 and MARKER in copy.content.decode()
    exempt(item, 3)
    # The copy's Last-Modified; a copy made too soon after a change for one has none, and a
    # cache would then ask by the time it was made.
    again = client.get(path, HTTP_IF_MODIFIED_SINCE=copy.get("Last-Modified", made))
    assert again.status_code == 200, "answered Not Modified: the reader keeps the Part II paper"
    assert MARKER not in again.content.decode()


def test_a_copy_is_not_modified_by_the_end_of_the_second_of_the_last_change(client, meeting):
    """The date a page is given is the end of the second in which public content last
    changed: the copy is current from then, and a client asking since then is answered "not
    modified"; asking since the change's own second (in which a later change could fall) is
    answered with the page."""
    changed_at = timezone.now().replace(microsecond=300_000) - timedelta(minutes=10)
    if timezone.localtime(changed_at).date() != timezone.localdate():
        changed_at += timedelta(minutes=9, seconds=58)  # within ten minutes of midnight: after it
    PublicGeneration.objects.update(changed_at=changed_at)
    url = meeting.get_absolute_url()
    for served in ("miss", "hit"):
        copy = client.get(url)
        assert copy["X-Page-Cache"] == served
        assert copy["Last-Modified"] == http_date(changed_at.timestamp() + 1)
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=copy["Last-Modified"]).status_code == 304
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(changed_at.timestamp())).status_code == 200


def test_a_copy_made_on_an_earlier_day_is_never_not_modified(client, meeting):
    """A page changes with the day as well ("upcoming" and "past" move with the date): its
    date is never before the start of the day it was made in, so a client holding a copy from
    an earlier day, asking "changed since?" by that copy's date, is given today's page."""
    changed_at = timezone.now() - timedelta(days=3)
    PublicGeneration.objects.update(changed_at=changed_at)
    url = meeting.get_absolute_url()
    start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    for served in ("miss", "hit"):
        copy = client.get(url)
        assert copy["X-Page-Cache"] == served
        assert copy["Last-Modified"] == http_date(start_of_today.timestamp())
        # The date the copy made three days ago was given: the end of the change's second.
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(changed_at.timestamp() + 1)).status_code == 200
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=copy["Last-Modified"]).status_code == 304

"""Nothing stale at any number of web processes: gunicorn with two workers, each keeping its
own pages (memory) or sharing them (Redis); a change committed by an officer shows on every
public page and feed at the next request, whichever worker answers; a signed-in councillor
never gets a page kept for someone else, and the public never gets the councillor's."""

import http.cookiejar
import os
import re
import sys
import urllib.parse
import urllib.request

import pytest
from django.conf import settings
from django.db import connection

from committee import services
from committee.models import Report
from tests.browser.harness import answers, database_url, free_port, start_process, wait_for
from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory
from tests.gate_surfaces import MARKER, plant, published_meeting

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]

ROUNDS = 12  # requests per page: enough that both workers answer (each connection is new)
REDIS_FOR_TESTS = os.environ.get("QUORUM_TEST_CACHE_URL", "redis://127.0.0.1:6379/12")


@pytest.fixture(params=["memory", "redis"], ids=["each worker its own memory", "shared Redis"])
def server(request, transactional_db, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_CURRENT_TEST", "PYTEST_VERSION"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url(connection.settings_dict),
        QUORUM_VAR_DIR=str(settings.VAR_DIR),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        PYTHONUNBUFFERED="1",
    )
    env.pop("QUORUM_CACHE_URL", None)
    if request.param == "redis":
        env["QUORUM_CACHE_URL"] = REDIS_FOR_TESTS
        import redis

        redis.Redis.from_url(REDIS_FOR_TESTS).flushdb()
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--timeout", "120", "--error-logfile", "-"]
    process = start_process("server", command, env, tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for("answering", lambda: answers(base + "/accessibility/"), process, timeout=90)
        yield base
    finally:
        process.stop()


def fetch(opener, url):
    with opener.open(url, timeout=60) as response:
        return response.read().decode(), response.headers


def anonymous():
    return urllib.request.build_opener()


def signed_in(base: str, username: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page, _ = fetch(opener, base + "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": "correct horse battery staple"}
    ).encode()
    request = urllib.request.Request(base + "/accounts/login/", data=form, headers={"Referer": base + "/"})  # noqa: S310 - loopback
    with opener.open(request, timeout=60):
        pass
    assert any(cookie.name == settings.SESSION_COOKIE_NAME for cookie in jar), "the councillor did not sign in"
    return opener


def test_an_officers_change_shows_at_the_next_request_whichever_worker_answers(server, committee, officer):
    meeting = MeetingFactory(committee=committee)
    report = ReportFactory(
        agenda_item=AgendaItemFactory(meeting=meeting, title="School transport"),
        title="School transport",
        executive_summary="<p>Home to school transport for pupils with special needs.</p>",
    )
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    pages = [
        "/",
        meeting.get_absolute_url(),
        report.get_absolute_url(),
        "/search/?q=school+transport",
        "/papers.rss",
        "/papers.atom",
        committee.get_absolute_url() + "papers.rss",
    ]
    opener = anonymous()
    hits = 0
    for path in pages:
        for _ in range(ROUNDS):
            body, headers = fetch(opener, server + path)
            assert "(revised)" not in body
            hits += headers.get("X-Page-Cache") == "hit"
    assert hits, "nothing was served from the cache"

    # The officer corrects the paper after publication (committed, as the admin does).
    report = Report.objects.get(pk=report.pk)
    report.title = "School transport (revised)"
    report.save()
    item = report.agenda_item  # the meeting page lists the items
    item.title = "School transport (revised)"
    item.save()
    for path in pages:
        for _ in range(ROUNDS):
            body, _ = fetch(opener, server + path)
            assert "(revised)" in body, f"{path} was stale"

    calendars = [
        "/meetings.ics",
        committee.get_absolute_url() + "meetings.ics",
        meeting.get_absolute_url() + "meeting.ics",
    ]
    for path in [*calendars, f"/api/meetings/{meeting.pk}/"]:
        for _ in range(ROUNDS):
            body, _ = fetch(opener, server + path)
            assert "CANCELLED" not in body and "cancelled" not in body
    services.meeting_cancel(meeting=meeting, by=officer, reason="Insufficient business")
    for path in [*calendars, meeting.get_absolute_url()]:
        for _ in range(ROUNDS):
            body, _ = fetch(opener, server + path)
            assert "CANCELLED" in body or "This meeting has been cancelled." in body, f"{path} was stale"
    for _ in range(ROUNDS):
        body, _ = fetch(opener, server + f"/api/meetings/{meeting.pk}/")
        assert '"cancelled"' in body, "the API was stale"


def test_a_councillor_never_gets_a_page_kept_for_someone_else(server, committee, officer, councillor):
    meeting = published_meeting(committee, officer)
    plant(meeting, officer=officer)
    url = server + meeting.get_absolute_url()
    public = anonymous()
    for _ in range(ROUNDS):  # both workers keep the public's page
        body, _ = fetch(public, url)
        assert MARKER not in body
    councillor_browser = signed_in(server, councillor.username)
    for _ in range(ROUNDS):
        body, headers = fetch(councillor_browser, url)
        assert MARKER in body, "the councillor was given the public's page"
        assert "X-Page-Cache" not in headers and "private" in headers["Cache-Control"]
    for _ in range(ROUNDS):
        body, _ = fetch(public, url)
        assert MARKER not in body, "the public was given the councillor's page"

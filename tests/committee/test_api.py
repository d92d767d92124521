"""The API's answers to what clients send: every bad value is a 400 with a message, an empty
value is no filter, and the schema says so."""

import pytest

from committee import services
from tests.factories import AgendaItemFactory, MeetingFactory, MemberFactory, ReportFactory

pytestmark = pytest.mark.django_db

LISTS = ["/api/committees/", "/api/members/", "/api/meetings/", "/api/agenda-items/", "/api/documents/"]


@pytest.fixture
def published(committee, officer):
    meeting = MeetingFactory(committee=committee)
    ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting, title="Library opening hours"))
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    MemberFactory()
    return meeting


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("offset", ["+16:00", "-18:30", "+23:59"])
def test_modified_since_takes_any_offset_iso_8601_allows(client, published, url, offset):
    # PostgreSQL refuses a time zone displacement of 16 hours or more: the API compares in UTC.
    response = client.get(url, {"modified_since": f"2000-01-01T00:00:00{offset}"})
    assert response.status_code == 200, response.content
    assert response.json()["count"] >= 1


@pytest.mark.parametrize("url", LISTS)
def test_a_bad_time_is_a_400_that_names_the_parameter(client, published, url):
    for value in ("yesterday", "2026-13-01T00:00:00Z", "9999-12-31T23:59:59-23:59"):
        response = client.get(url, {"modified_since": value})
        assert response.status_code == 400, (url, value, response.status_code)
        assert "modified_since" in response.json()


@pytest.mark.parametrize("url", LISTS)
def test_empty_values_are_no_filter(client, published, url):
    everything = client.get(url).json()
    params = {"modified_since": "", "page": "", "committee": "", "date_from": "", "date_to": "", "meeting": ""}
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response.json()["count"] == everything["count"]


@pytest.mark.parametrize("url", ["/api/agenda-items/", "/api/documents/"])
def test_the_meeting_filter_is_a_whole_number(client, published, url):
    assert client.get(url, {"meeting": published.pk}).json()["count"] >= 1
    for value in ("1.5", "one", "1e3"):
        response = client.get(url, {"meeting": value})
        assert response.status_code == 400 and "meeting" in response.json(), (value, response.content)


def test_a_record_that_does_not_exist_is_a_404(client, published):
    assert client.get("/api/meetings/999999/").status_code == 404
    assert client.get("/api/meetings/", {"page": 99}).status_code == 404


def test_the_schema_lists_the_400_and_404_answers_and_integer_ids(client, published):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("/api/meetings/", "/api/agenda-items/", "/api/documents/"):
        answers = schema["paths"][path]["get"]["responses"]
        assert {"200", "400", "404"} <= set(answers), (path, answers.keys())
    assert "404" in schema["paths"]["/api/meetings/{id}/"]["get"]["responses"]
    meeting = next(p for p in schema["paths"]["/api/agenda-items/"]["get"]["parameters"] if p["name"] == "meeting")
    assert meeting["schema"]["type"] == "integer"


def test_the_api_documentation_is_served_from_the_project(client):
    page = client.get("/api/docs/").content.decode()
    assert '<html lang="en-GB">' in page
    assert "cdn" not in page.lower() and "googleapis" not in page
    script = next(part.split('"')[0] for part in page.split('<script src="')[1:] if "redoc" in part)
    assert script.startswith("/static/")
    # Its one exception to the Content-Security-Policy lets in nothing from another origin.
    policy = client.get("/api/docs/")["Content-Security-Policy"]
    assert "https:" not in policy and "http:" not in policy, policy
    assert "style-src 'self' 'unsafe-inline'" in policy


@pytest.mark.parametrize("url", LISTS)
def test_a_page_number_too_long_to_read_is_a_page_past_the_last(client, published, url):
    # Python refuses to read more than 4,300 digits as a number: the page was an error page.
    response = client.get(url, {"page": "9" * 5000})
    assert response.status_code == 404
    assert client.get(url, {"page": "0" * 5000}).status_code == 400

"""The API's interests and declarations, and the pages that show them, read in a fixed number
of queries however many councillors, interests and declarations there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interests import services
from interests.models import Category, Declaration, Interest
from tests.factories import MemberFactory

from .conftest import OPEN

pytestmark = pytest.mark.django_db


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


def _registers(n: int):
    for _ in range(n):
        member = MemberFactory()
        for category in (Category.LAND, Category.SECURITIES):
            Interest.objects.create(member=member, category=category, description="Something", arose_on="2018-05-04")
        services.register_publish(member)
    return member


def _declarations(meeting, n: int):
    for _ in range(n):
        Declaration.objects.create(
            agenda_item=meeting.items.get(number="2"), member=MemberFactory(), kind="non_registrable", nature="A friend"
        )


def test_the_api_gives_each_register_as_last_published(client, register):
    services.register_publish(register)
    data = client.get("/api/interests/").json()
    assert data["count"] == 1
    entry = data["results"][0]
    assert entry["member"] == register.slug and entry["version"] == 1
    assert {"category": "land", "category_display": "Land", "withheld": True, "description": ""} in entry["entries"]
    assert OPEN in [e["description"] for e in entry["entries"]]
    assert client.get(f"/api/interests/{register.slug}/").json()["version"] == 1


def test_the_api_lists_declarations_filtered_by_meeting_and_member(client, meeting, member):
    _declarations(meeting, 2)
    Declaration.objects.create(agenda_item=meeting.items.get(number="2"), member=member, kind="pecuniary", nature="X")
    assert client.get("/api/declarations/", {"meeting": meeting.pk}).json()["count"] == 3
    only = client.get("/api/declarations/", {"member": member.slug}).json()
    assert only["count"] == 1 and only["results"][0]["item_title"] == "Library Opening Hours Review"
    assert client.get("/api/declarations/", {"meeting": "x"}).status_code == 400


@pytest.mark.parametrize("url", ["/api/interests/", "/api/declarations/"])
def test_each_api_list_reads_in_a_fixed_number_of_queries(client, meeting, url):
    _registers(1)
    _declarations(meeting, 1)
    small = _queries(client, url)
    _registers(4)
    _declarations(meeting, 4)
    assert len(_queries(client, url)) == len(small)


def test_the_meeting_page_reads_in_a_fixed_number_of_queries(client, meeting):
    _declarations(meeting, 1)
    small = _queries(client, meeting.get_absolute_url())
    _declarations(meeting, 5)
    assert len(_queries(client, meeting.get_absolute_url())) == len(small)


def test_the_register_pages_read_in_a_fixed_number_of_queries(client, member):
    Interest.objects.create(member=member, category=Category.LAND, description="Field", arose_on="2018-05-04")
    services.register_publish(member)
    urls = [member.get_absolute_url(), reverse("interests:register", args=[member.slug])]
    small = [len(_queries(client, url)) for url in urls]
    for n in range(5):
        Interest.objects.create(member=member, category=Category.LICENCES, description=f"L{n}", arose_on="2018-05-04")
        services.register_publish(member)
    assert [len(_queries(client, url)) for url in urls] == small

"""Who may download which pack, the meeting page's selector, and the officers' controls."""

import json

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from committee import services
from committee.gate import Reader, reader_for
from committee.models import AgendaPack
from committee.pack import selectors as pack_selectors
from tests.factories import AgendaItemFactory, MeetingFactory, exempt

from .conftest import build


@pytest.fixture
def packs(agenda):
    return build(agenda, "public"), build(agenda, "confidential")


def test_the_meeting_page_selector_reads_in_one_query(agenda, packs, councillor, django_assert_num_queries):
    public, confidential = packs
    reader = reader_for(councillor)
    # 1: the ready, non-preview packs of the meeting of the kinds this reader may have.
    with django_assert_num_queries(1):
        result = pack_selectors.meeting_packs(meeting=agenda, reader=reader)
    assert result.public == public and result.confidential == confidential
    for n in range(2):  # more versions, still one query
        AgendaPack.objects.create(
            meeting=agenda, kind="public", status="ready", number=10 + n, file=public.file.name, pages=1, size=1
        )
    with django_assert_num_queries(1):
        result = pack_selectors.meeting_packs(meeting=agenda, reader=reader)
    assert result.public.number == 11 and [p.number for p in result.earlier] == [10, 1]


def test_the_public_sees_the_public_pack_only(agenda, packs):
    result = pack_selectors.meeting_packs(meeting=agenda, reader=Reader.public())
    assert result.public == packs[0] and result.confidential is None
    html = render_to_string("committee/_packs.html", {"packs": result})
    assert packs[0].get_absolute_url() in html
    assert packs[1].get_absolute_url() not in html
    assert "Version 1" in html and "PDF" in html


def test_the_partial_shows_nothing_without_a_ready_pack(committee, db):
    meeting = MeetingFactory(committee=committee)
    result = pack_selectors.meeting_packs(meeting=meeting, reader=Reader.public())
    assert render_to_string("committee/_packs.html", {"packs": result}).strip() == ""


@pytest.mark.parametrize(
    ("who", "public_status", "confidential_status"),
    [
        ("anonymous", 200, 404),
        ("other_councillor", 200, 404),
        ("councillor", 200, 200),
        ("officer", 200, 200),
    ],
)
def test_downloads_follow_the_gate(request, client, packs, who, public_status, confidential_status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    public, confidential = packs
    response = client.get(public.get_absolute_url())
    assert response.status_code == public_status
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    response = client.get(confidential.get_absolute_url())
    assert response.status_code == confidential_status
    if confidential_status == 200:
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert "confidential" in response["Content-Disposition"]


def test_a_build_in_progress_is_not_downloadable(agenda, client):
    pack = AgendaPack.objects.create(meeting=agenda, kind="public", status="rendering")
    assert client.get(reverse("packs:download", args=[pack.pk])).status_code == 404


def test_status_is_for_officers(agenda, packs, client, councillor, officer):
    url = reverse("packs:meeting-status", args=[agenda.pk])
    assert client.get(url).status_code == 302  # to the admin login
    client.force_login(councillor)
    assert client.get(url).status_code == 302
    client.force_login(officer)
    AgendaPack.objects.create(
        meeting=agenda, kind="public", status="rendering", progress=40, progress_note="Rendered 2 of 5 papers"
    )
    data = json.loads(client.get(url).content)
    assert data["building"] is True
    assert data["builds"][0]["progress"] == 40
    assert {v["kind"] for v in data["versions"]} == {"public", "confidential"}
    assert all(v["url"] for v in data["versions"])


def test_officers_build_from_the_admin_and_see_it_there(agenda, client, officer, author):
    url = reverse("packs:meeting-build", args=[agenda.pk])
    client.force_login(author)  # a report author may not publish
    assert client.post(url).status_code == 403
    client.force_login(officer)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].endswith("#agenda-pack")
    queued = AgendaPack.objects.filter(meeting=agenda, status="queued")
    assert sorted(queued.values_list("kind", flat=True)) == ["confidential", "public"]
    assert client.post(url).status_code == 302
    assert AgendaPack.objects.filter(meeting=agenda, status="queued").count() == 2  # coalesced
    page = client.get(reverse("admin:committee_meeting_change", args=[agenda.pk]))
    assert page.status_code == 200
    assert b'id="agenda-pack"' in page.content and b"pack-status-data" in page.content
    assert b"Build the packs again" in page.content


def test_publishing_an_agenda_asks_for_its_packs(committee, officer, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(committee=committee)
    AgendaItemFactory(meeting=meeting, order=1, number="1", title="Apologies for Absence", kind="apologies")
    exempt(AgendaItemFactory(meeting=meeting, order=2, number="2", title="Disposal of Land"), 3)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish_agenda(meeting=meeting, by=officer)
    packs = AgendaPack.objects.filter(meeting=meeting)
    assert sorted(packs.values_list("kind", "status", "is_preview")) == [
        ("confidential", "queued", False),
        ("public", "queued", False),
    ]
    assert packs.first().requested_by == officer

"""The hard gate (domain rules 9), surface by surface: a Part II item whose every text carries
a unique marker (tests/gate_surfaces.py); every public surface answers exactly the status it
must and shows none of it, while the councillor on the committee reads it and one not on it
cannot. The canary proves that each check would find the marker if it were there."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from committee import gate, selectors
from committee.models import Access, AgendaItem, Appendix
from tests.gate_surfaces import (
    MARKER,
    check_no_leaks,
    leaks,
    plant,
    published_meeting,
    surfaces,
    text_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def exempt_item(committee, officer):
    return plant(published_meeting(committee, officer), officer=officer)


@pytest.fixture
def open_item(committee, officer):
    """The canary: the same papers, Part I."""
    return plant(published_meeting(committee, officer), officer=officer, part_ii=False)


def test_marker_reaches_no_public_surface(client, exempt_item):
    check_no_leaks(client, surfaces(exempt_item), exempt_item)


def test_marker_reaches_no_councillor_of_another_committee(client, exempt_item, other_councillor):
    client.force_login(other_councillor)
    check_no_leaks(client, surfaces(exempt_item), exempt_item)


def test_staff_without_an_officers_role_is_the_public(client, exempt_item, django_user_model):
    intern = django_user_model.objects.create_user(username="intern", password="x", is_staff=True)
    client.force_login(intern)
    check_no_leaks(client, surfaces(exempt_item), exempt_item)


def test_canary_every_surface_check_finds_the_marker_in_public_papers(client, open_item):
    """If a check could not see the marker (compressed PDF bytes, a wrong status accepted),
    this fails: each surface, given the same papers as Part I, shows them and is caught."""
    for surface in surfaces(open_item):
        response = client.get(surface.url)
        assert response.status_code == surface.canary_status, f"{surface.name}: {response.status_code}"
        assert leaks(response, open_item), f"the check of {surface.name} cannot see the marker"


def test_canary_the_uploaded_pdf_is_read_as_text(client, open_item):
    # The PDF's bytes are compressed: only extracting its text finds the marker.
    document = open_item.report.appendices.get(letter="B")
    response = client.get(reverse("committee:appendix-document", args=[document.pk]))
    raw = b"".join(response.streaming_content)
    assert MARKER.encode() not in raw
    response = client.get(reverse("committee:appendix-document", args=[document.pk]))
    assert MARKER in text_of(response)


def test_the_councillor_on_the_committee_reads_every_exempt_text(client, exempt_item, councillor):
    client.force_login(councillor)
    for surface in surfaces(exempt_item):
        if surface.name.startswith(("API", "ModernGov", "papers", "committee RSS", "sitemap", "home")):
            continue  # public surfaces read as the public, whoever is signed in
        response = client.get(surface.url)
        assert response.status_code == 200, surface.name
        if surface.name != "registers":
            assert leaks(response, exempt_item), surface.name


def test_searching_for_the_marker_finds_nothing_for_the_public(client, exempt_item):
    response = client.get(reverse("committee:search") + f"?q={MARKER}")
    assert response.status_code == 200 and response.context["count"] == 0


def test_a_search_asked_first_by_a_councillor_opens_nothing_to_the_public(client, exempt_item, councillor):
    """On PostgreSQL the search's SQL is built once for each shape of search and kept for the
    next (committee.portal.search._compiled): the councillor's, which reads Part II, must not
    be the one the public's same question runs."""
    url = reverse("committee:search") + f"?q={MARKER}"
    client.force_login(councillor)
    assert client.get(url).context["count"] > 0
    client.logout()
    assert client.get(url).context["count"] == 0
    client.force_login(councillor)
    assert client.get(url).context["count"] > 0


def test_the_gate_is_a_function_of_the_reader_alone(exempt_item, councillor, officer, monkeypatch):
    """The search keeps its SQL by reader (above): for that the gate must read nothing else
    (not the clock, not the database), so the same reader is given the same condition, on any
    day. A gate that read the day (as the private meeting notices' does) would fail here."""
    from datetime import timedelta

    from django.utils import timezone

    from committee.portal.search import SOURCES

    readers = [
        gate.Reader.public(),
        gate.reader_for(councillor),
        gate.reader_for(officer),
        gate.Reader(report_ids=frozenset({exempt_item.report.pk})),
        gate.Reader.public().previewing(exempt_item.meeting),
    ]
    today = timezone.now()
    conditions = {}
    for moment in (today, today + timedelta(days=400, hours=13)):
        monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
        for reader in readers:
            again = gate.Reader(**{name: getattr(reader, name) for name in reader.__dataclass_fields__})
            for source in SOURCES:
                condition = source.gate_q(reader)
                assert condition == source.gate_q(again) and hash(condition) == hash(source.gate_q(again))
                assert conditions.setdefault((reader, source.kind), condition) == condition, (reader, source.kind)


def test_public_sees_the_item_listed_by_title_and_paragraph(client, exempt_item):
    page = client.get(exempt_item.meeting.get_absolute_url()).content.decode()
    assert "Land disposal at Preston" in page and "Paragraph 3" in page
    api = client.get(f"/api/agenda-items/{exempt_item.pk}/").json()
    assert api["title"] == "Land disposal at Preston" and api["part"] == "II" and api["exempt_paragraphs"] == [3]
    assert api["standing_text"] == "" and api["report"] is None


def test_the_api_stays_public_even_for_a_signed_in_councillor(client, exempt_item, councillor):
    client.force_login(councillor)
    for url in ("/api/documents/", "/api/agenda-items/"):
        assert MARKER not in json.dumps(client.get(url).json())


def test_the_public_agenda_never_loads_part_ii_texts(exempt_item):
    """The public agenda reads no Part II standing text or report from the database: the
    gate chooses what is loaded, not a template `if` (or a blanked field) after loading it."""
    items = selectors.agenda_for(exempt_item.meeting, gate.Reader.public())
    hidden = [item for item in items if not item.readable]
    assert [item.pk for item in hidden] == [exempt_item.pk]
    assert "report" not in hidden[0]._state.fields_cache  # no Part II report row was loaded
    assert hidden[0].readable_text == ""  # the database gave the empty text, not the marker
    assert "standing_text" in hidden[0].get_deferred_fields() or hidden[0].standing_text == ""


def test_uploaded_pdfs_are_not_reachable_from_a_public_media_url(client, exempt_item, settings):
    document = exempt_item.report.appendices.get(letter="B")
    assert client.get(settings.MEDIA_URL + document.document.name).status_code == 404
    assert "valuer" not in document.document.name.lower() and len(document.document.name) > 30


def test_the_planted_texts_are_really_there(exempt_item):
    # Guards the tests above: the marker is in the stored text of the Part II PDF and of the
    # structured appendix, so their absence from public search is the gate at work.
    appendices = {a.letter: a for a in exempt_item.report.appendices.all()}
    assert MARKER in appendices["B"].document_text and MARKER in appendices["C"].document_text


# Responses: private, never stored; robots ----------------------------------------------------


def test_pages_for_a_signed_in_reader_are_private_and_never_stored(client, exempt_item, councillor):
    assert "private" not in client.get("/").get("Cache-Control", "")
    client.force_login(councillor)
    for url in (exempt_item.report.get_absolute_url(), exempt_item.meeting.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_restricted_document_is_private_for_whoever_reads_it(client, exempt_item, councillor):
    client.force_login(councillor)
    document = exempt_item.report.appendices.get(letter="B")
    response = client.get(reverse("committee:appendix-document", args=[document.pk]))
    assert response.status_code == 200 and MARKER in text_of(response)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}


def test_robots_txt_says_what_may_be_indexed(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body and "Disallow: /packs/meetings/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


# Reclassification: search and feeds follow the gate at once -----------------------------------


def test_an_item_made_part_ii_after_publication_leaves_search_and_feeds(client, open_item):
    rss = client.get(reverse("committee:papers-rss")).content.decode()
    assert MARKER in rss
    assert client.get(reverse("committee:search") + f"?q={MARKER}").context["count"] > 0
    # Made Part II by any path (here an update the admin does not see): every surface that
    # reads live data through the gate drops it at once.
    AgendaItem.objects.filter(pk=open_item.pk).update(
        access=Access.EXEMPT, exempt_paragraphs=1 << 2, public_interest_reasons="Commercial"
    )
    check_no_leaks(client, surfaces(open_item), open_item)


def test_an_appendix_made_part_ii_leaves_the_report_page(client, open_item):
    Appendix.objects.filter(report=open_item.report, letter="B").update(
        access=Access.EXEMPT, exempt_paragraphs=1, public_interest_reasons="Personal"
    )
    document = open_item.report.appendices.get(letter="B")
    assert client.get(reverse("committee:appendix-document", args=[document.pk])).status_code == 404
    page = client.get(open_item.report.get_absolute_url()).content.decode()
    assert "Valuer&#x27;s letter" not in page and "Valuer's letter" not in page
    assert client.get(reverse("committee:search") + "?q=valuer").context["count"] == 0


# Search: one table of sources, a fixed number of queries ------------------------------------


@pytest.mark.parametrize("extra", [0, 6])
def test_the_search_page_makes_a_fixed_number_of_queries(client, committee, officer, django_assert_num_queries, extra):
    for n in range(extra):
        plant(published_meeting(committee, officer), officer=officer, part_ii=False, title=f"Item {n}")
    # On PostgreSQL: the query's words; one query that says which kinds of paper match at
    # all (and, for plain words, how many rows each candidate level holds); then, when any
    # match, one query ranking every kind that does, through the gate; then one query per
    # kind of result on the page (reports, minutes, appendices here), through the gate again,
    # with its snippet. On SQLite one query per source (reports, items without a report,
    # minutes, appendices). Then the committee list of the search form.
    ranked_and_shown = 1 + 3 if extra else 0  # no item without a report
    queries = (2 + ranked_and_shown if connection.vendor == "postgresql" else 4) + 1
    with django_assert_num_queries(queries):
        response = client.get(reverse("committee:search") + "?q=recommendation+OR+minute+OR+valuer+OR+standing")
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 5])
def test_the_agenda_reads_in_two_queries_whatever_its_length(exempt_item, django_assert_num_queries, extra):
    from tests.factories import AgendaItemFactory, ReportFactory

    for n in range(extra):
        ReportFactory(agenda_item=AgendaItemFactory(meeting=exempt_item.meeting, title=f"Report {n}"))
    # 1: the items, each with `readable` and the standing text the reader may read (the gate's
    #    annotations), and the meeting whose minutes an item confirms;
    # 2: the reports the reader may read.
    for reader in (gate.Reader.public(), gate.Reader(is_officer=True)):
        with django_assert_num_queries(2):
            items = selectors.agenda_for(exempt_item.meeting, reader)
        assert len(items) == 2 + extra

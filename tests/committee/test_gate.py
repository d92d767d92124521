"""The hard gate (domain rules 9), surface by surface: a Part II item whose every text
carries a unique marker; the marker must reach no public response, while the councillor on
the committee reads it and one not on it cannot."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from committee import services
from committee.models import Appendix, Minute, Minutes, Report
from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory, exempt

pytestmark = pytest.mark.django_db

MARKER = "ZX-EXEMPT-4471"


def _pdf_with_text(text: str) -> bytes:
    """A one-page PDF whose text layer holds `text` (so search indexes it)."""
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


@pytest.fixture
def exempt_item(committee, officer):
    meeting = MeetingFactory(committee=committee, starts_at=timezone.now() - timedelta(days=3))
    ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting, title="Library opening hours"))
    item = exempt(AgendaItemFactory(meeting=meeting, title="Land disposal at Preston"), 3)
    item.standing_text = f"<p>{MARKER} standing text</p>"
    item.save()
    report = ReportFactory(
        agenda_item=item,
        executive_summary=f"<p>{MARKER} summary</p>",
        recommendation=f"<p>{MARKER} recommendation</p>",
    )
    Appendix.objects.create(report=report, letter="A", title="Valuation", kind="rich_text", body=f"<p>{MARKER}</p>")
    document = Appendix(
        report=report,
        letter="B",
        title="Valuer's letter",
        kind="document",
        document=SimpleUploadedFile("v.pdf", _pdf_with_text(MARKER), content_type="application/pdf"),
    )
    services.appendix_prepare(appendix=document)
    document.save()
    # The meeting went ahead earlier (published well before its deadline) and its minutes are out.
    meeting.agenda_published_at = timezone.now() - timedelta(days=20)
    meeting.status = "minutes_published"
    meeting.save()
    Report.objects.filter(agenda_item__meeting=meeting).update(first_published_at=meeting.agenda_published_at)
    minutes = Minutes.objects.create(meeting=meeting, published_at=timezone.now())
    Minute.objects.create(
        minutes=minutes, agenda_item=item, text=f"<p>{MARKER} minute</p>", resolution="<p>Resolved</p>"
    )
    return item


def _public_urls(item):
    meeting, report = item.meeting, item.report
    slug = meeting.committee.slug
    document = report.appendices.get(letter="B")
    return [
        "/",
        reverse("committee:committee-list"),
        reverse("committee:committee-detail", args=[slug]),
        reverse("committee:meeting-detail", args=[meeting.pk]),
        reverse("committee:calendar") + f"?month={timezone.localdate(meeting.starts_at):%Y-%m}",
        reverse("committee:calendar") + f"?month={timezone.localdate(meeting.starts_at):%Y-%m}&view=list",
        reverse("committee:search") + "?q=summary",
        reverse("committee:search") + "?q=standing+text",
        reverse("committee:search") + "?q=minute",
        reverse("committee:papers-rss"),
        reverse("committee:papers-atom"),
        reverse("committee:committee-rss", args=[slug]),
        reverse("committee:calendar-ics"),
        reverse("committee:meeting-ics", args=[meeting.pk]),
        reverse("sitemap"),
        "/api/meetings/",
        "/api/agenda-items/",
        f"/api/agenda-items/{item.pk}/",
        "/api/documents/",
        "/api/committees/",
        "/api/schema/",
        reverse("committee:report-detail", args=[report.pk]),
        reverse("committee:appendix-document", args=[document.pk]),
    ]


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode()


def test_marker_reaches_no_public_surface(client, exempt_item):
    for url in _public_urls(exempt_item):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert MARKER not in _body(response), f"exempt text leaked on {url}"


def test_marker_reaches_no_councillor_of_another_committee(client, exempt_item, other_councillor):
    client.force_login(other_councillor)
    for url in _public_urls(exempt_item):
        assert MARKER not in _body(client.get(url)), url


def test_searching_for_the_marker_finds_nothing_for_the_public(client, exempt_item):
    response = client.get(reverse("committee:search") + f"?q={MARKER}")
    assert response.context["count"] == 0
    assert "Land disposal at Preston" not in response.content.decode()


def test_public_sees_the_item_listed_by_title_and_paragraph(client, exempt_item):
    page = client.get(exempt_item.meeting.get_absolute_url()).content.decode()
    assert "Land disposal at Preston" in page and "Paragraph 3" in page
    api = client.get(f"/api/agenda-items/{exempt_item.pk}/").json()
    assert api["title"] == "Land disposal at Preston" and api["part"] == "II" and api["exempt_paragraphs"] == [3]
    assert api["standing_text"] == "" and api["report"] is None


def test_councillor_on_the_committee_reads_every_exempt_text(client, exempt_item, councillor):
    client.force_login(councillor)
    report = client.get(exempt_item.report.get_absolute_url()).content.decode()
    assert f"{MARKER} summary" in report and f"{MARKER} recommendation" in report and f"<p>{MARKER}</p>" in report
    assert f"{MARKER} standing text" in client.get(exempt_item.meeting.get_absolute_url()).content.decode()
    assert f"{MARKER} minute" in client.get(exempt_item.meeting.get_absolute_url()).content.decode()
    results = client.get(reverse("committee:search") + f"?q={MARKER}").content.decode()
    assert "Land disposal at Preston" in results
    document = exempt_item.report.appendices.get(letter="B")
    response = client.get(reverse("committee:appendix-document", args=[document.pk]))
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"] == "private, no-store"


def test_the_api_stays_public_even_for_a_signed_in_councillor(client, exempt_item, councillor):
    client.force_login(councillor)
    documents = json.dumps(client.get("/api/documents/").json())
    assert MARKER not in documents


def test_feeds_never_list_the_exempt_report(client, exempt_item):
    rss = client.get(reverse("committee:papers-rss")).content.decode()
    assert "Library opening hours" in rss and "Land disposal at Preston" not in rss


def test_uploaded_pdfs_are_not_reachable_from_a_public_media_url(client, exempt_item, settings):
    document = exempt_item.report.appendices.get(letter="B")
    # Not served from MEDIA_URL, and the stored name is random (not guessable).
    assert client.get(settings.MEDIA_URL + document.document.name).status_code == 404
    assert "valuer" not in document.document.name.lower() and len(document.document.name) > 30


def test_the_uploaded_pdfs_text_is_what_search_would_find(exempt_item):
    # Guards the tests above: the marker really is in the stored text of the Part II PDF,
    # so its absence from public search results is the gate at work, not an empty text.
    assert MARKER in exempt_item.report.appendices.get(letter="B").document_text


def test_staff_without_an_officers_role_is_the_public(client, exempt_item, django_user_model):
    intern = django_user_model.objects.create_user(username="intern", password="x", is_staff=True)
    client.force_login(intern)
    assert client.get(exempt_item.report.get_absolute_url()).status_code == 404


def test_pages_for_a_signed_in_reader_are_private(client, exempt_item, councillor):
    assert "private" not in client.get("/").get("Cache-Control", "")
    client.force_login(councillor)
    response = client.get(exempt_item.report.get_absolute_url())
    assert response.status_code == 200 and "private" in response["Cache-Control"]

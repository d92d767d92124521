"""Made Part II after publication as an officer does it, in the admin, on committed data with
the page cache on: every public surface that served the papers (a reader's kept copy too,
asked "changed since?") stops serving them, and so does every surface the gate's own tests
(tests/gate_surfaces.py) do not list: the committee's page and Atom feed, the calendars,
the API's meeting and the document's own address, a councillor not on the committee. An
appendix made Part II on its report's page leaves every surface while the report stays; an
item made Part I again opens its papers but not its appendix that is Part II in itself."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from committee.models import Appendix
from tests.gate_surfaces import (
    MARKER,
    MG,
    Surface,
    appendices_made_part_ii_in_the_admin,
    item_made_part_ii_in_the_admin,
    leaks,
    plant,
    published_meeting,
    surfaces,
    text_of,
)

from ..core.admin_pages import change_url, form_data, with_values

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    caches[settings.QUORUM_PAGE_CACHE].clear()


def more_surfaces(item) -> list[Surface]:
    meeting, report = item.meeting, item.report
    slug = meeting.committee.slug
    document = report.appendices.get(letter="B")
    return [
        Surface("committee page", reverse("committee:committee-detail", args=[slug]), 200),
        Surface("committee Atom", reverse("committee:committee-atom", args=[slug]), 200),
        Surface("meetings calendar feed", reverse("committee:calendar-ics"), 200),
        Surface("committee calendar feed", reverse("committee:committee-ics", args=[slug]), 200),
        Surface("meeting calendar entry", reverse("committee:meeting-ics", args=[meeting.pk]), 200),
        Surface("meetings calendar", reverse("committee:calendar"), 200),
        Surface("API meeting", f"/api/meetings/{meeting.pk}/", 200),
        Surface("API meetings", "/api/meetings/", 200),
        Surface("API document", f"/api/documents/{report.pk}/", 404),
        Surface("upload as uploaded", reverse("committee:appendix-original", args=[document.pk]), 404),
        Surface(
            "ModernGov GetMeetings",
            f"{MG}/GetMeetings?lCommitteeId={meeting.committee_id}&sFromDate=01/01/2000&sToDate=01/01/2100",
            200,
        ),  # fmt: skip
    ]


def officer_client(officer) -> Client:
    client = Client()
    client.force_login(officer)
    return client


def kept_copies(client, checks, item, leaked=leaks) -> dict[str, tuple[dict, bool]]:
    """Each surface as a reader fetched it before: what they would ask "changed since?" with,
    and whether their copy holds the papers. Public content is set as last changed minutes
    ago, so that a copy carries a Last-Modified (one made within a second of a change has
    only its ETag: tests/pagecache/test_pages.py)."""
    from pagecache.models import PublicGeneration

    PublicGeneration.objects.update(changed_at=timezone.now() - timedelta(minutes=5))
    kept = {}
    for surface in checks:
        response = client.get(surface.url)
        asked = {
            name: response[header]
            for name, header in (("HTTP_IF_NONE_MATCH", "ETag"), ("HTTP_IF_MODIFIED_SINCE", "Last-Modified"))
            if response.has_header(header)
        }
        kept[surface.url] = (asked, bool(leaked(response, item)))
    # The date leg is asked, not only the ETag: the pages kept for the public carry one.
    assert any("HTTP_IF_MODIFIED_SINCE" in asked for asked, _ in kept.values())
    return kept


def check_every_surface(client, checks, item, kept, leaked=leaks) -> None:
    for surface in checks:
        response = client.get(surface.url)
        assert response.status_code == surface.status, f"{surface.name}: {response.status_code}"
        assert not leaked(response, item), f"exempt papers leaked on {surface.name} ({surface.url})"
        asked, held_papers = kept[surface.url]
        # Each way a client asks "changed since?" on its own (a client sending both is
        # answered by the ETag alone, as HTTP says), then both.
        for headers in [{name: value} for name, value in asked.items()] + [asked]:
            again = client.get(surface.url, **headers)
            # "Not modified" lets the reader keep their copy: right only for a copy without the papers.
            if again.status_code == 304:
                assert not held_papers, f"{surface.name}: Not Modified by {headers}, to a copy that holds the papers"
            else:
                assert again.status_code == surface.status, f"{surface.name} asked again: {again.status_code}"


def test_an_item_made_part_ii_in_the_admin_leaves_every_surface_and_every_kept_copy(
    client, committee, officer, other_councillor
):
    item = plant(published_meeting(committee, officer), officer=officer, part_ii=False)
    checks = surfaces(item) + more_surfaces(item)
    kept = kept_copies(client, checks, item)
    assert MARKER in text_of(client.get(item.report.get_absolute_url()))  # the canary
    client.get("/api/withdrawals/", {"since": timezone.now().isoformat()})  # a client's first sync
    synced_at = timezone.now()

    item_made_part_ii_in_the_admin(officer_client(officer), item)

    check_every_surface(client, checks, item, kept)
    # A client of the API that syncs is told the report left it.
    withdrawn = client.get("/api/withdrawals/", {"since": synced_at.isoformat()}).json()["results"]
    assert ("documents", str(item.report.pk)) in {(row["endpoint"], row["key"]) for row in withdrawn}
    # A councillor who does not sit on the committee reads what the public reads.
    councillor = Client()
    councillor.force_login(other_councillor)
    mine = councillor.get(reverse("committee:your-meetings"))
    assert mine.status_code == 200 and not leaks(mine, item)
    for surface in checks:
        response = councillor.get(surface.url)
        assert response.status_code == surface.status and not leaks(response, item), surface.name


def _report_with_marked_appendices(committee, officer):
    """A Part I report whose own texts are plain, with a text appendix (A), an uploaded PDF
    (B) and a register snapshot (C) that carry the marker."""
    item = plant(published_meeting(committee, officer), officer=officer, part_ii=False)
    report = item.report
    plain = dict.fromkeys((name for name, _ in type(report).SECTIONS), "<p>Plain words.</p>")
    type(report).objects.filter(pk=report.pk).update(
        title="Land at Preston", report_of="Director", reason_for_part_ii="N/A", **plain
    )
    report.background_papers.update(paper="None")
    item.standing_text = ""
    item.save()
    type(item.minute).objects.filter(pk=item.minute.pk).update(text="<p>Noted.</p>", resolution="<p>Noted.</p>")
    item.refresh_from_db()
    return item


def test_appendices_made_part_ii_on_the_reports_page_leave_every_surface(client, committee, officer):
    item = _report_with_marked_appendices(committee, officer)
    report = item.report
    still_public = {"report page": 200, "API document": 200}
    checks = [Surface(s.name, s.url, still_public.get(s.name, s.status)) for s in surfaces(item) + more_surfaces(item)]
    # The report is still public: what must not show is the appendices' text and the PDF's address.
    document = reverse("committee:appendix-document", args=[report.appendices.get(letter="B").pk])

    def leaked(response, _):
        text = text_of(response)  # read once: a file is streamed
        return [found for found in (MARKER, document) if found in text]

    kept = kept_copies(client, checks, item, leaked)
    assert MARKER in text_of(client.get(report.get_absolute_url()))  # the canary

    officers = officer_client(officer)
    appendices_made_part_ii_in_the_admin(officers, report, reasons="The valuation would prejudice the sale.")
    assert set(Appendix.objects.filter(report=report).values_list("access", flat=True)) == {"exempt"}

    check_every_surface(client, checks, item, kept, leaked)


def test_an_item_made_part_i_again_keeps_its_part_ii_appendix_withheld(client, committee, officer):
    item = plant(published_meeting(committee, officer), officer=officer)
    report = item.report
    Appendix.objects.filter(report=report, letter="B").update(
        access="exempt", exempt_paragraphs=1 << 2, public_interest_reasons="The valuation."
    )
    document = report.appendices.get(letter="B")

    officers = officer_client(officer)
    data = with_values(
        form_data(officers.get(change_url(item))), access="public", paragraphs=[], public_interest_reasons=""
    )
    data.pop("paragraphs")
    assert officers.post(change_url(item), data).status_code == 302

    page = client.get(report.get_absolute_url())
    assert page.status_code == 200 and MARKER in text_of(page)  # the rest is open now
    assert "Valuer" not in text_of(page)
    assert client.get(reverse("committee:appendix-document", args=[document.pk])).status_code == 404
    assert client.get(reverse("committee:search") + "?q=valuer").context["count"] == 0
    api = client.get(f"/api/documents/{report.pk}/").json()
    assert "B" not in [a.get("letter") for a in api["appendices"]] and "Valuer" not in str(api)
    assert ask_attachment(client, document.pk * 2) is None


def ask_attachment(client, attachment_id):
    from tests.moderngov.test_webservice import ask

    return ask(client, "GetAttachment", lAttachmentId=attachment_id)["attachment"]

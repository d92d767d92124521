"""ModernGov's old page addresses land on the matching Quorum page (301), through the gate
for documents; anything else gets a helpful 404 with a search box, never an error."""

import io

import pytest
from django.core.management import call_command

from committee.models import Access, AgendaItem, Appendix, Committee, Meeting, Member
from moderngov.models import Kind, ModernGovId
from tests.factories import MeetingFactory
from tests.moderngov.server import ARCHIVE

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(db):
    call_command(
        "import_moderngov",
        str(ARCHIVE),
        "--since",
        "2018",
        "--until",
        "2018",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def meeting_on(day: str) -> Meeting:
    return Meeting.objects.get(starts_at__date=day)


def moved(response) -> str:
    assert response.status_code == 301, response.status_code
    return response["Location"]


def test_pages_land_on_their_quorum_pages(client, archive):
    cabinet = Committee.objects.get(name="Cabinet")
    scrutiny = Committee.objects.get(name="Children's Services Scrutiny Committee")
    meeting = meeting_on("2018-06-27")
    assert moved(client.get("/ieListDocuments.aspx?CId=101&MId=5001")) == meeting.get_absolute_url()
    assert moved(client.get("/ieListDocuments.aspx?CId=101&MId=5001&Ver=4")) == meeting.get_absolute_url()
    assert moved(client.get("/ielistdocuments.aspx?cid=101&mid=5001")) == meeting.get_absolute_url()  # IIS ignores case
    # A meeting that did not come across: its committee.
    assert moved(client.get("/ieListDocuments.aspx?CId=101&MId=5004")) == cabinet.get_absolute_url()
    assert moved(client.get("/ieListMeetings.aspx?CommitteeId=102")) == scrutiny.get_absolute_url()
    assert moved(client.get("/mgCommitteeDetails.aspx?ID=101")) == cabinet.get_absolute_url()
    assert moved(client.get("/mgUserInfo.aspx?UID=202")) == Member.objects.get(name="Anne O'Hara").get_absolute_url()
    assert moved(client.get("/mgMemberIndex.aspx")) == "/councillors/"
    assert moved(client.get("/mgMemberIndex.aspx?FN=PARTY&VW=LIST&PIC=0")) == "/councillors/"
    assert moved(client.get("/ieDocHome.aspx")) == "/committees/"
    assert moved(client.get("/mgListCommittees.aspx?bcr=1")) == "/committees/"
    assert moved(client.get("/mgCalendarMonthView.aspx?M=6&DD=2018&CID=0&OT=&C=-1&MR=0")) == "/meetings/?month=2018-06"
    assert moved(client.get("/mgCalendarMonthView.aspx")) == "/meetings/"
    assert moved(client.get("/mgAi.aspx?ID=8003")) == f"{meeting.get_absolute_url()}#item-3"


def test_the_item_page_of_a_part_ii_item_shows_its_title_only(client, archive):
    page = client.get("/mgAi.aspx?ID=8003", follow=True)
    html = page.content.decode()
    assert page.status_code == 200 and "Disposal of Land at Whittle-le-Woods" in html
    assert "ZX-RESTRICTED-5521" not in html


def test_content_made_in_quorum_is_found_by_its_own_id(client, archive):
    made_here = MeetingFactory()
    assert moved(client.get(f"/ieListDocuments.aspx?MId={made_here.pk}")) == made_here.get_absolute_url()
    # An imported meeting answers to its ModernGov id only: its Quorum id means nothing here.
    imported = meeting_on("2018-06-27")
    assert not ModernGovId.objects.filter(kind=Kind.MEETING, moderngov_id=imported.pk).exists()
    assert client.get(f"/ieListDocuments.aspx?MId={imported.pk}").status_code == 404


def test_documents_land_on_the_document_through_the_gate(client, archive, officer):
    public = Appendix.objects.get(title="Money Matters report")
    assert moved(client.get("/documents/s9001/Money%20Matters%20report.pdf")) == f"/documents/{public.pk}/"
    assert client.get("/documents/s9001/Money%20Matters%20report.pdf", follow=True).status_code == 200

    # A document of the Part II item: never redirected to for the public.
    restricted = AgendaItem.objects.get(title="Disposal of Land at Whittle-le-Woods")
    assert restricted.access == Access.EXEMPT
    secret = Appendix.objects.create(
        report=public.report.__class__.objects.create(agenda_item=restricted, title=restricted.title, report_of="x"),
        letter="A",
        title="Valuer's letter",
        document=public.document.name,
    )
    ModernGovId.objects.create(kind=Kind.DOCUMENT, moderngov_id=9002, object_id=secret.pk, fingerprint="-")
    response = client.get("/documents/s9002/Valuers%20letter.pdf")
    assert response.status_code == 404 and f"/documents/{secret.pk}/" not in response.content.decode()
    # An officer signed in is sent on, privately (never cached, never permanent).
    client.force_login(officer)
    response = client.get("/documents/s9002/Valuers%20letter.pdf")
    assert response.status_code == 302 and response["Location"] == f"/documents/{secret.pk}/"
    assert "no-store" in response["Cache-Control"]


def test_the_public_reports_pack_lands_on_the_meeting_until_it_has_a_pack(client, archive):
    response = client.get("/documents/g5001/Public%20reports%20pack%2027th-Jun-2018%2010.00%20Cabinet.pdf?T=10")
    assert response.status_code == 302 and response["Location"] == meeting_on("2018-06-27").get_absolute_url()
    # The meeting's other documents: its page.
    printed = client.get("/documents/g5001/Printed%20minutes%2027th-Jun-2018%2010.00%20Cabinet.pdf?T=1")
    assert moved(printed) == meeting_on("2018-06-27").get_absolute_url()


@pytest.mark.parametrize(
    "address",
    [
        "/ieListDocuments.aspx",
        "/ieListDocuments.aspx?CId=&MId=",
        "/ieListDocuments.aspx?CId=abc&MId=5001x",
        "/ieListDocuments.aspx?MId=99999999999999999999999999",
        "/ieListDocuments.aspx?MId=-5001",
        "/ieListDocuments.aspx?MId=5%00",
        "/ieListDocuments.aspx?MId=1;DROP%20TABLE",
        "/mgCommitteeDetails.aspx?ID=%F0%9F%92%A9",
        "/mgUserInfo.aspx?UID=999",
        "/mgUserInfo.aspx?UID=abc%ZZ&UID=202",  # the first of repeated parameters counts
        "/mgAi.aspx?ID=",
        "/mgIssueHistoryHome.aspx?IId=12345",
        "/mgWhatsNew.aspx?bcr=1",
        "/documents/s123456/Old%20report.pdf",
        "/documents/g99999/Public%20reports%20pack.pdf",
    ],
)
def test_unknown_addresses_get_a_helpful_404(client, archive, address):
    response = client.get(address)
    assert response.status_code == 404
    html = response.content.decode()
    assert 'role="search"' in html and 'name="q"' in html


def test_an_unknown_document_offers_a_search_for_its_name(client, archive):
    html = client.get("/documents/s123456/Highways%20capital%20programme.pdf").content.decode()
    assert 'value="Highways capital programme"' in html

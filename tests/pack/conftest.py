"""An agenda with every kind of paper, and helpers that read packs as a person (or a
screen reader) would: text page by page, the footer's page number, the tag tree."""

import io
import re
from datetime import timedelta

import pdfplumber
import pikepdf
import pytest
import weasyprint
from django.core.files.base import ContentFile
from django.utils import timezone

from committee import services
from committee.models import AgendaItem, AgendaPack, Appendix, Attendance, Minute, Minutes
from committee.pack import services as pack_services
from tests import pdfua
from tests.factories import AgendaItemFactory, MeetingFactory, MemberFactory, OfficerFactory, ReportFactory, exempt

SECRET = "LAND-VALUATION-SECRET"
PROSE = (
    "<p>The County Council's revenue budget for the year was monitored against the approved "
    "plan, and the variances reported to Cabinet each quarter with the actions taken.</p>"
)


def uploaded_pdf(text: str = "Uploaded letter from the Department", pages: int = 2) -> bytes:
    """A PDF such as officers upload: text, plus what must never reach a pack (a link
    annotation, JavaScript run on opening, a form, an attached file, metadata)."""
    html = "".join(f'<p style="break-after: page">{text}, page {n + 1}</p>' for n in range(pages))
    pdf = pikepdf.open(io.BytesIO(weasyprint.HTML(string=f"<html><body>{html}</body></html>").write_pdf()))
    js = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hi')")))
    pdf.Root.OpenAction = js
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array())
    pdf.pages[0].obj.Annots = pdf.make_indirect(
        pikepdf.Array(
            [
                pdf.make_indirect(
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Annot,
                        Subtype=pikepdf.Name.Link,
                        Rect=[10, 10, 100, 30],
                        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://tracker.example")),
                    )
                )
            ]
        )
    )
    pdf.attachments["hidden.xlsx"] = pikepdf.AttachedFileSpec(pdf, b"hidden sheet data", mime_type="text/plain")
    with pdf.open_metadata() as meta:
        meta["dc:description"] = "Draft 7, by J Bloggs"
    pdf.docinfo.Subject = "internal"
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.fixture(scope="session")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture
def media(settings, media_root):
    """One media folder for the session: rendered papers are cached there by content hash,
    so a paper that another test already rendered is not rendered again (as in production)."""
    settings.MEDIA_ROOT = media_root
    return media_root


@pytest.fixture
def agenda(committee, officer, media):
    """A published meeting like the seed's: standing items, the previous minutes, reports
    with a text appendix and an uploaded PDF, and a Part II item."""
    return make_agenda(committee, officer, publish=True)


@pytest.fixture
def agenda_unpublished(committee, officer, media):
    return make_agenda(committee, officer, publish=False)


def make_agenda(committee, officer, *, publish: bool):
    clerk = OfficerFactory()
    meeting = MeetingFactory(committee=committee, signing_officer=clerk)
    previous = MeetingFactory(committee=committee, starts_at=meeting.starts_at - timedelta(days=70))
    old = AgendaItemFactory(meeting=previous, order=1, number="1", title="Apologies for Absence", kind="apologies")
    type(previous).objects.filter(pk=previous.pk).update(
        status="minutes_published", agenda_published_at=previous.starts_at - timedelta(days=8)
    )
    minutes = Minutes.objects.create(meeting=previous, published_at=timezone.now())
    Minute.objects.create(minutes=minutes, agenda_item=old, text="<p>No apologies for absence were received.</p>")
    Attendance.objects.create(
        meeting=previous, member=MemberFactory(name="Geoff Driver", honours="CBE"), in_the_chair=True
    )
    Attendance.objects.create(meeting=previous, member=MemberFactory(name="A Atkinson"))

    def item(order, title, kind="report", **extra):
        return AgendaItemFactory(meeting=meeting, order=order, number=str(order), title=title, kind=kind, **extra)

    item(1, "Apologies for Absence", kind="apologies")
    item(
        2,
        "Disclosure of Pecuniary and Non-Pecuniary Interests",
        kind="declarations",
        standing_text="<p>Members are asked to consider any interests.</p>",
    )
    item(3, "Minutes of the Meeting held on the last occasion", kind="minutes", minutes_of=previous)
    budget = ReportFactory(
        agenda_item=item(4, "Revenue Budget Monitoring Quarter 1"),
        background_and_advice=PROSE * 40,  # about three pages
    )
    Appendix.objects.create(
        report=budget,
        letter="A",
        order=1,
        title="Letter from the Treasurer",
        kind="rich_text",
        body="<p>Dear Councillors, the Treasurer writes.</p>",
    )
    Appendix.objects.create(
        report=budget,
        letter="B",
        order=2,
        title="Department's letter",
        kind="document",
        document=ContentFile(uploaded_pdf(), name="letter.pdf"),
        document_pages=2,
    )
    ReportFactory(agenda_item=item(5, "Highways Maintenance Update"), executive_summary="<p>Potholes were filled.</p>")
    item(
        6,
        "Urgent Business",
        kind="urgent_business",
        standing_text="<p>An item of Urgent Business may only be considered under this heading.</p>",
    )
    land = item(7, "Disposal of Land at Preston")
    exempt(land, 3)
    ReportFactory(agenda_item=land, executive_summary=f"<p>The valuation is {SECRET}.</p>" + PROSE * 10)
    if publish:
        services.meeting_publish_agenda(meeting=meeting, by=officer)
        meeting.refresh_from_db()
    return meeting


def build(meeting, kind="public", scope="full") -> AgendaPack | None:
    """Request and build a pack in this process, as the worker would; a pack it makes must
    pass the PDF/UA checks (tests/pdfua.py)."""
    pack = pack_services.pack_request(meeting=meeting, kind=kind, scope=scope)
    served = pack_services.pack_build(pack_id=pack.pk)
    if served is not None and served.status == AgendaPack.Status.READY:
        assert not pdfua.problems(pdf_bytes(served)), pdfua.problems(pdf_bytes(served))
    return served


def pdf_bytes(pack: AgendaPack) -> bytes:
    with pack.file.open("rb") as f:
        return f.read()


def page_texts(data: bytes) -> list[str]:
    """Each page's text as pdfplumber (pdfminer) reads it, line by line: the one way the pack
    tests read a PDF's text (test_tagged_text alone compares extractors, on purpose)."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def flat(text: str) -> str:
    """The text with every run of spaces and line ends made one space, so that a phrase is
    found wherever its lines break."""
    return " ".join(text.split())


def pack_text(data: bytes) -> str:
    """The whole PDF's text, flat: pages joined."""
    return flat(" ".join(page_texts(data)))


def folio(text: str) -> int | None:
    """The page number printed in the footer of a page, if any."""
    found = re.findall(r"^Page (\d+)$", text, flags=re.MULTILINE)
    return int(found[-1]) if found else None


def struct_elements(pdf: pikepdf.Pdf):
    stack = [pdf.Root.StructTreeRoot.K[0]]
    while stack:
        element = stack.pop()
        yield element
        kids = element.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/StructElem")


def _marked(element) -> bool:
    """Whether a structure element holds any marked content (text, an image) of its own or
    in its descendants."""
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int) or (isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR"):
            return True
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem" and _marked(kid):
            return True
    return False


def rows_continued(pdf: pikepdf.Pdf) -> list[int]:
    """The pages (indices) that start with the rest of a table row from the page before, read
    from the tags rather than from what is printed: WeasyPrint tags each page's part of a
    table as a table, and a row it carries over has its row header cell empty (its text is on
    the page before), where a row that starts on the page has its header's text."""
    index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    found = set()
    for element in struct_elements(pdf):
        if element.get("/S") != "/TBody":
            continue
        rows = [k for k in element.K if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/TR"]
        first_cell = next((k for k in rows[0].K if isinstance(k, pikepdf.Dictionary)), None) if rows else None
        if first_cell is not None and first_cell.get("/S") == "/TH" and not _marked(first_cell):
            found.add(index[rows[0].Pg.objgen])
    return sorted(found)


def outline_titles(pdf: pikepdf.Pdf) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark."""
    index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    found = []

    def walk(items, depth):
        for item in items:
            found.append((depth, str(item.title), index.get(item.destination[0].objgen)))
            walk(item.children, depth + 1)

    with pdf.open_outline() as outline:
        walk(outline.root, 0)
    return found


__all__ = [
    "SECRET",
    "AgendaItem",
    "build",
    "flat",
    "folio",
    "outline_titles",
    "pack_text",
    "page_texts",
    "pdf_bytes",
    "rows_continued",
    "struct_elements",
]

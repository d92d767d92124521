"""The pack as councillors and the public get it: opened with pdfplumber and pikepdf and
read page by page. Builds run in this process exactly as the worker runs them."""

import hashlib
import io
import re
import shutil
from datetime import timedelta

import pdfplumber
import pikepdf
import pypdf
import pytest
import weasyprint
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from committee import services
from committee.gate import Reader
from committee.models import AgendaPack, Appendix, Report
from committee.pack import builder, render
from committee.pack import selectors as pack_selectors
from committee.pack import services as pack_services
from committee.pack.content import gather
from core.templatetags.quorum import pages_label
from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory, exempt

from .conftest import SECRET, build, flat, folio, outline_titles, pack_text, page_texts, pdf_bytes, struct_elements

NOTICE = "Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A to the Local Government Act 1972"


def _numbered(texts: list[str]) -> dict[int, int]:
    """Printed page number to index in the file."""
    return {folio(text): index for index, text in enumerate(texts) if folio(text) is not None}


def test_front_sheet_ranges_are_where_each_items_papers_are(agenda):
    pack = build(agenda, "public")
    assert pack.status == AgendaPack.Status.READY and pack.number == 1
    texts = page_texts(pdf_bytes(pack))
    front = texts[0]
    for words in (
        settings.QUORUM_COUNCIL_NAME,
        agenda.committee.name,
        "Agenda",
        "Part I (Open to Press and Public)",
        "No. Item",
        "1. Apologies for Absence",
        "Members are asked to consider any interests.",
        "L Sales",
        "Director of Corporate Services",
    ):
        assert words in front
    assert f"{timezone.localtime(agenda.starts_at):%A}, " in front

    ranges = pack.page_ranges
    assert list(ranges) == ["3", "4", "5"]  # items with papers, in agenda order; item 7 is Part II
    numbered = _numbered(texts)
    # Every page after the front sheet is numbered, 1 up, in order.
    front_pages = pack.front_pages
    assert list(numbered) == list(range(1, len(texts) - front_pages + 1))
    assert list(numbered.values()) == list(range(front_pages, len(texts)))
    titles = {
        "3": "Minutes of the Meeting held on the last occasion",
        "4": "Revenue Budget Monitoring Quarter 1",
        "5": "Highways Maintenance Update",
    }
    # A one-page item reads "(Page 5)", never "(Pages 5 - 5)".
    assert not re.search(r"\(Pages (\d+) - \1\)", front)
    previous_end = 0
    for number, (start, end) in ranges.items():
        assert f"{titles[number]} {pages_label((start, end))}" in flat(front)
        assert start == previous_end + 1, "each item starts on the page after the last one ends"
        first_page = texts[numbered[start]]
        assert f"Agenda Item {number}" in first_page
        for index in range(numbered[start] + 1, numbered[end] + 1):
            assert "Agenda Item" not in texts[index], "the item header is on its first page only"
        previous_end = end
    assert previous_end == max(numbered)
    # The papers' own first pages: the minutes and each report's title.
    assert "Minutes of the Meeting held on" in texts[numbered[ranges["3"][0]]]
    assert "No apologies for absence were received." in " ".join(
        texts[numbered[ranges["3"][0]] : numbered[ranges["3"][1]] + 1]
    )
    for number in ("4", "5"):
        first = texts[numbered[ranges[number][0]]]
        assert titles[number] in first
        assert all(titles[number] not in texts[i] for i in range(front_pages, numbered[ranges[number][0]]))
    # Item 4's papers: the report (three pages of prose), Appendix A, then the uploaded PDF.
    item4 = " ".join(texts[numbered[ranges["4"][0]] : numbered[ranges["4"][1]] + 1])
    assert item4.index("Background and Advice") < item4.index("Appendix 'A': Letter from the Treasurer")
    assert item4.index("the Treasurer writes") < item4.index("Uploaded letter from the Department, page 1")
    assert ranges["4"][1] - ranges["4"][0] + 1 >= 5


def test_part_ii_is_listed_in_the_public_pack_and_printed_only_in_the_confidential_one(agenda):
    public = build(agenda, "public")
    texts = page_texts(pdf_bytes(public))
    everything = "\n".join(texts)
    assert SECRET not in everything
    front = flat(texts[0])
    assert "Part II (Not Open to Press and Public)" in front
    assert "7. Disposal of Land at Preston" in front
    assert "Paragraph 3" in front
    assert "That the press and public be excluded from the meeting" in front
    assert "7" not in public.page_ranges

    confidential = build(agenda, "confidential")
    texts = page_texts(pdf_bytes(confidential))
    assert SECRET in "\n".join(texts)
    start, end = confidential.page_ranges["7"]
    numbered = _numbered(texts)
    for index in range(numbered[start], numbered[end] + 1):
        assert NOTICE in flat(texts[index]), f"page {index} lacks the Part II marking"
    assert NOTICE not in texts[numbered[confidential.page_ranges["5"][0]]]


def test_the_pack_is_tagged_with_title_language_outline_and_artifact_footers(agenda):
    pack = build(agenda, "public")
    pdf = pikepdf.open(io.BytesIO(pdf_bytes(pack)))
    root = pdf.Root
    assert bool(root.MarkInfo.Marked)
    assert str(root.Lang) == "en-GB"
    assert bool(root.ViewerPreferences.DisplayDocTitle)
    title = str(pdf.docinfo.Title)
    assert agenda.committee.name in title and "Agenda pack" in title
    assert set(pdf.docinfo.keys()) == {"/Title", "/Author"}
    assert str(pdf.docinfo.Author) == settings.QUORUM_COUNCIL_NAME
    xmp = root.Metadata.read_bytes().decode()
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp and agenda.committee.name in xmp

    # The tag tree covers every rendered page: each page's marked content maps to
    # structure elements on that page, through one renumbered parent tree.
    tree = root.StructTreeRoot
    nums = tree.ParentTree.Nums
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert int(tree.ParentTreeNextKey) > max(parents)
    pack_pages = {page.obj.objgen for page in pdf.pages}
    texts = page_texts(pdf_bytes(pack))
    uploaded = {i for i, text in enumerate(texts) if "Uploaded letter from the Department" in text}
    assert len(uploaded) == 2
    for index, page in enumerate(pdf.pages):
        if index in uploaded:
            continue  # uploaded PDFs carry no tags of their own (docs/packs.md)
        key = int(page.obj.StructParents)
        assert all(element.Pg.objgen == page.obj.objgen for element in parents[key])
    tags = [str(element.S) for element in struct_elements(pdf)]
    for tag in ("/Part", "/H1", "/H2", "/P", "/Table", "/TH", "/TD", "/L"):
        assert tag in tags
    assert all(element.Pg.objgen in pack_pages for element in struct_elements(pdf) if "/Pg" in element)
    assert tags.count("/Part") == 1 + 4  # the front sheet, then minutes, report 4, appendix A, report 5

    # Headers and footers are pagination artifacts, outside the tag tree.
    numbered_page = pdf.pages[pack.front_pages]
    stream = b"".join(
        s.read_bytes()
        for s in (
            numbered_page.Contents if isinstance(numbered_page.Contents, pikepdf.Array) else [numbered_page.Contents]
        )
    )
    assert re.search(rb"/Artifact <</Type /Pagination>> BDC\s+q\s.*?Do\s+Q\s+EMC", stream, flags=re.DOTALL)

    # One bookmark per item, and each paper's sections and appendices beneath.
    outline = outline_titles(pdf)
    top = [(title, page) for depth, title, page in outline if depth == 0]
    assert [t for t, _ in top] == [
        "Agenda",
        "3. Minutes of the Meeting held on the last occasion",
        "4. Revenue Budget Monitoring Quarter 1",
        "5. Highways Maintenance Update",
    ]
    front_pages = pack.front_pages
    for (_title, page), number in zip(top[1:], ("3", "4", "5"), strict=True):
        assert page == front_pages + pack.page_ranges[number][0] - 1
    under4 = [t for depth, t, _ in outline if depth == 1]
    for title in (
        "Executive Summary",
        "Background and Advice",
        "Appendix 'A': Letter from the Treasurer",
        "Appendix 'B': Department's letter",
    ):
        assert title in under4


def test_uploaded_pdfs_are_merged_without_what_they_carried(agenda):
    data = pdf_bytes(build(agenda, "public"))
    pdf = pikepdf.open(io.BytesIO(data))
    for key in ("/OpenAction", "/AcroForm", "/Names", "/AA"):
        assert key not in pdf.Root
    assert not pdf.attachments
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            assert "tracker.example" not in str(annot.get("/A", {}))
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary):
            assert obj.get("/S") != pikepdf.Name.JavaScript
            assert obj.get("/Type") != pikepdf.Name.EmbeddedFile
    assert b"hidden sheet data" not in data
    assert "Draft 7" not in pdf.Root.Metadata.read_bytes().decode()


def _odd_pages_pdf() -> bytes:
    """An uploaded appendix as they come: an A4 landscape page, an A5 page, and an A4 page
    scanned sideways and turned upright by the viewer (/Rotate 90)."""
    html = (
        "<style>@page land { size: A4 landscape } @page small { size: A5 } @page turned { size: A4 }"
        ".l { page: land } .s { page: small } .t { page: turned }</style>"
        '<p class="l">Landscape page</p><p class="s">Small page</p><p class="t">Turned page</p>'
    )
    pdf = pikepdf.open(io.BytesIO(weasyprint.HTML(string=html).write_pdf()))
    pdf.pages[2].obj.Rotate = 90
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_every_page_is_numbered_upright_at_the_foot_whatever_its_size_or_turn(agenda):
    appendix = Appendix.objects.get(report__agenda_item__meeting=agenda, letter="B")
    appendix.document.save("odd.pdf", ContentFile(_odd_pages_pdf()), save=True)
    pack = build(agenda, "public")
    folios = []
    with pdfplumber.open(io.BytesIO(pdf_bytes(pack))) as pdf:
        for page in pdf.pages[pack.front_pages :]:
            lines = [line for line in page.extract_text_lines() if re.fullmatch(r"Page \d+", line["text"])]
            assert len(lines) == 1, f"page {page.page_number} has no single folio: {page.extract_text()[-80:]}"
            line = lines[0]
            folios.append(int(line["text"].split()[1]))
            assert all(char["upright"] for char in line["chars"])
            assert abs((line["x0"] + line["x1"]) / 2 - page.width / 2) < 3, "the folio is centred"
            assert 25 < page.height - line["bottom"] < 45, "the folio is at the foot, about 9 mm up"
        sizes = {(round(p.width), round(p.height)) for p in pdf.pages}
    assert folios == list(range(1, len(folios) + 1))
    assert {(842, 595), (420, 595)} <= sizes  # the landscape and A5 pages are there, as they came


def test_an_edit_that_moves_later_pages_renders_only_that_paper_and_the_front_sheet(agenda):
    first = build(agenda, "public")
    report = Report.objects.get(agenda_item__meeting=agenda, title="Revenue Budget Monitoring Quarter 1")
    report.risk_management = "<p>The risks are set out below.</p>" * 120  # two or three pages more
    report.save()
    second = build(agenda, "public")
    assert second.timings["papers_rendered"] == 1 and second.timings["kit_seconds"] == 0
    assert second.page_ranges["4"][1] > first.page_ranges["4"][1]
    texts = page_texts(pdf_bytes(second))
    start, end = second.page_ranges["5"]
    assert f"Highways Maintenance Update {pages_label((start, end))}" in flat(texts[0])  # a new front sheet
    numbered = _numbered(texts)
    assert list(numbered) == list(range(1, len(texts) - second.front_pages + 1))
    assert "Agenda Item 5" in texts[numbered[second.page_ranges["5"][0]]]


def test_an_unchanged_rebuild_makes_no_new_version_and_old_versions_stay(agenda, client):
    first = build(agenda, "public")
    again = build(agenda, "public")
    assert again.pk == first.pk
    assert AgendaPack.objects.filter(meeting=agenda, kind="public").count() == 1

    report = Report.objects.get(agenda_item__meeting=agenda, title="Highways Maintenance Update")
    report.executive_summary = "<p>Potholes were filled, and more were found.</p>"
    report.save()
    second = build(agenda, "public")
    assert second.number == 2 and second.file.name != first.file.name
    assert "more were found" in pack_text(pdf_bytes(second))
    first.refresh_from_db()
    assert first.status == AgendaPack.Status.READY
    old = client.get(first.get_absolute_url())
    assert old.status_code == 200
    assert b"".join(old.streaming_content) == pdf_bytes(first)
    packs = pack_selectors.meeting_packs(meeting=agenda, reader=Reader.public())
    assert packs.public == second and packs.earlier == [first]


def test_the_same_content_builds_to_the_same_bytes(agenda):
    """Anyone can check that a pack is the one published (its SHA-256) by building it again:
    every paper rendered afresh by WeasyPrint, in whatever order the renderers finish, makes
    the same file, with no date of the build and no name picked at random in it."""
    served = {kind: pdf_bytes(build(agenda, kind)) for kind in ("public", "confidential")}
    assert render.cache_prune(older_than=timedelta(seconds=-1)) > 0  # nothing comes from the cache
    for kind, published in served.items():
        again = builder.build(gather(agenda, kind=kind, scope="full")).pdf
        assert hashlib.sha256(again).hexdigest() == hashlib.sha256(published).hexdigest()
        assert again == published
        reader = pypdf.PdfReader(io.BytesIO(again))
        assert len(reader.pages) == len(pypdf.PdfReader(io.BytesIO(published)).pages) > 5
        assert agenda.committee.name in reader.metadata.title
        assert reader.metadata.creation_date is None and reader.metadata.modification_date is None


def test_an_unreadable_appendix_fails_with_what_to_fix_and_keeps_the_last_good_pack(agenda):
    good = build(agenda, "public")
    appendix = Appendix.objects.get(report__agenda_item__meeting=agenda, letter="B")
    appendix.document.save("broken.pdf", ContentFile(b"%PDF-1.7\nthis is not really a PDF"), save=True)
    served = build(agenda, "public")
    assert served == good
    failed = AgendaPack.objects.get(meeting=agenda, kind="public", status=AgendaPack.Status.FAILED)
    assert failed.error.startswith("Appendix 'B' of item 4 is not a readable PDF")
    assert failed.number is None and not failed.file
    assert pack_selectors.meeting_packs(meeting=agenda, reader=Reader.public()).public == good
    status = pack_selectors.meeting_pack_status(meeting=agenda, reader=Reader(is_officer=True))
    assert status["builds"][0]["error"] == failed.error


def test_requests_coalesce_and_a_build_is_claimed_once(agenda):
    first = pack_services.pack_request(meeting=agenda, kind="public")
    second = pack_services.pack_request(meeting=agenda, kind="public")
    assert first.pk == second.pk
    done = pack_services.pack_build(pack_id=first.pk)
    assert done.status == AgendaPack.Status.READY
    # The same task delivered twice (a retry, a redelivery) finds nothing to claim.
    assert pack_services.pack_build(pack_id=first.pk) is None
    assert AgendaPack.objects.filter(meeting=agenda, kind="public").count() == 1


def test_a_build_held_by_a_live_worker_waits_and_one_whose_worker_died_is_taken_over(agenda):
    v1 = build(agenda, "public")
    Report.objects.filter(agenda_item__number="5", agenda_item__meeting=agenda).update(
        title="Highways Update (revised)"
    )
    pack = pack_services.pack_request(meeting=agenda, kind="public")
    # Another worker claimed it and is rendering: a second delivery must wait its turn.
    AgendaPack.objects.filter(pk=pack.pk).update(
        status="rendering", attempts=1, lease_until=timezone.now() + timezone.timedelta(seconds=60)
    )
    with pytest.raises(pack_services.PackBusy):
        pack_services.pack_build(pack_id=pack.pk)
    assert pack_selectors.meeting_packs(meeting=agenda, reader=Reader.public()).public == v1
    # That worker died: its lease lapses, and the build is taken over and finished.
    AgendaPack.objects.filter(pk=pack.pk).update(lease_until=timezone.now() - timezone.timedelta(seconds=1))
    v2 = pack_services.pack_build(pack_id=pack.pk)
    assert v2.pk == pack.pk and v2.number == 2 and v2.attempts == 2


def test_items_added_after_publication_get_a_supplementary_pack_and_a_new_full_version(agenda):
    build(agenda, "public")
    late = AgendaItemFactory.build(meeting=agenda, order=8, number="8", title="Flooding at Croston")
    services.agenda_item_prepare(item=late)
    late.save()
    ReportFactory(agenda_item=late, executive_summary="<p>The river rose overnight.</p>")
    requested = pack_services.packs_request_for_meeting(meeting=agenda)
    # The added item is Part I: no confidential supplementary pack (it would be the public one again).
    assert sorted((p.kind, p.scope) for p in requested) == [
        ("confidential", "full"),
        ("public", "full"),
        ("public", "supplementary"),
    ]
    supplementary = pack_services.pack_build(
        pack_id=next(p.pk for p in requested if p.scope == "supplementary" and p.kind == "public")
    )
    texts = page_texts(pdf_bytes(supplementary))
    assert "Supplementary Agenda" in texts[0]
    assert list(supplementary.page_ranges) == ["8"]
    assert "The river rose overnight." in "\n".join(texts)
    assert "Revenue Budget Monitoring Quarter 1" not in "\n".join(texts)
    full = pack_services.pack_build(pack_id=next(p.pk for p in requested if p.scope == "full" and p.kind == "public"))
    assert full.number == 2 and list(full.page_ranges) == ["3", "4", "5", "8"]


def test_a_preview_before_publication_reads_as_the_public_will_and_is_for_officers_only(
    committee, officer, media, client
):
    meeting = MeetingFactory(committee=committee)
    ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting, order=1, number="1", title="Open Report"))
    closed = AgendaItemFactory(meeting=meeting, order=2, number="2", title="Closed Report")
    exempt(closed, 1)
    ReportFactory(agenda_item=closed, executive_summary=f"<p>{SECRET}</p>")
    preview = build(meeting, "public")
    assert preview.is_preview and preview.status == AgendaPack.Status.READY
    text = pack_text(pdf_bytes(preview))
    assert "Open Report" in text and "This report provides an update." in text
    assert SECRET not in text and "Closed Report" in text
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is None  # previewing publishes nothing
    assert not pack_selectors.meeting_packs(meeting=meeting, reader=Reader.public())
    assert client.get(preview.get_absolute_url()).status_code == 404
    client.force_login(officer)
    response = client.get(preview.get_absolute_url())
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_the_officer_sees_how_many_papers_are_rendered_and_how_many_are_left(agenda, settings, tmp_path):
    from committee.pack import builder
    from committee.pack.content import gather

    # The uploads, and an empty part cache: every paper is rendered.
    shutil.copytree(settings.MEDIA_ROOT, tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("parts"))
    settings.MEDIA_ROOT = tmp_path
    notes = []

    def progress(percent, note):
        notes.append((percent, note))

    content = gather(agenda, kind="public", scope="full")
    papers = sum(1 for paper in content.papers for part in paper.parts if not part.is_upload)
    builder.build(content, progress=progress)
    counts = [note for _, note in notes if note.startswith("Rendered ")]
    # Papers only: the stamp kit, rendered with them, is not one the officer knows of.
    assert counts == [f"Rendered {n} of {papers} papers" for n in range(1, papers + 1)]
    assert [percent for percent, _ in notes] == sorted(percent for percent, _ in notes)

    Report.objects.filter(agenda_item__meeting=agenda, title="Highways Maintenance Update").update(
        executive_summary="<p>Potholes were filled, and more were found.</p>"
    )
    notes.clear()
    builder.build(gather(agenda, kind="public", scope="full"), progress=progress)
    assert [note for _, note in notes if note.startswith("Rendered ")] == ["Rendered 1 of 1 papers"]

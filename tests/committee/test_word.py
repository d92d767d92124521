"""Reports from Word: documents built here with python-docx, as an author would write them
from the council's template, are imported through the admin; bad files are refused with a
message and nothing is stored; a report downloaded as .docx and uploaded again is unchanged."""

import io
import re
import struct
import time
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from committee import services
from committee.models import BackgroundPaper, Report, ReportSource, WordHeading
from tests.factories import AgendaItemFactory, OfficerFactory, ReportFactory

pytestmark = pytest.mark.django_db

# The Key Stage 4 Recovery Plan's "Background and Advice", as the seed agenda pack prints it.
KEY_STAGE_4 = Path(__file__).resolve().parent / "data" / "key_stage_4_background.txt"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# Building documents as authors do --------------------------------------------------------


def _header_row(row):
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def build(
    sections,
    *,
    title="Lancashire Key Stage 4 Recovery Plan",
    report_of="Head of Schools Improvement",
    part="Part I",
    divisions="All",
    contact="Stephen Belbin, Head of Service, School Improvement",
    papers=None,
):
    """A report from the template: a title, the header table, and under each Heading 1 the
    section's content, given as a function that writes into the document or as paragraphs."""
    document = docx.Document()
    document.add_paragraph(title, style="Title")
    table = document.add_table(rows=0, cols=2)
    for label, value in (
        ("Report of", report_of),
        ("Part", part),
        ("Electoral Divisions affected", divisions),
        ("Contact for further information", contact),
    ):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    for heading, content in sections:
        document.add_heading(heading, level=1)
        if callable(content):
            content(document)
        else:
            for text in content:
                document.add_paragraph(text)
    if papers is not None:
        document.add_heading("List of Background Papers", level=1)
        table = document.add_table(rows=1, cols=3)
        for cell, text in zip(table.rows[0].cells, ("Paper", "Date", "Contact/Tel"), strict=True):
            cell.text = text
        for paper in papers:
            for cell, text in zip(table.add_row().cells, paper, strict=True):
                cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(data: bytes, name="report.docx"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def import_through_admin(client, report, data, name="report.docx"):
    """Upload, check the preview, confirm: the officer's two steps."""
    url = reverse("admin:committee_report_word_import", args=[report.pk])
    preview = client.post(url, {"document": upload(data, name)})
    assert preview.status_code == 200
    page = preview.content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page)
    assert token, page[page.find("errorlist") - 200 : page.find("errorlist") + 600]
    done = client.post(url, {"token": token.group(1)})
    assert done.status_code == 302, done.content.decode()[:2000]
    return page


def png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"\x00\xff\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def with_picture(alt: str):
    def write(document):
        shape = document.add_paragraph().add_run().add_picture(io.BytesIO(png()))
        shape._inline.docPr.set("descr", alt)

    return write


def rezip(data: bytes, *, replace=None, add=None) -> bytes:
    """The same package with parts replaced or added (as Word would write a .docm, say)."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename in replace:
                content = replace[info.filename](content)
            target.writestr(info.filename, content)
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


@pytest.fixture
def report(db):
    return ReportFactory(
        report_of="Head of Schools Improvement",
        background_and_advice="<p>Old background.</p>",
        consultations="<p>N/A</p>",
    )


# Reading ---------------------------------------------------------------------------------


def test_a_report_from_the_template_fills_the_fields_sections_and_papers(client, officer, report):
    OfficerFactory(name="Stephen Belbin", job_title="Head of Service, School Improvement")
    data = build(
        [
            ("Executive Summary", ["Standards of attainment are in line with the national average."]),
            ("Recommendation", ["The Cabinet Committee is asked to note the content of the report."]),
            ("Background and Advice", ["The plan is at Appendix 'A' refers."]),
            ("Consultations", ["N/A"]),
            ("Reason for inclusion in Part II, if appropriate", ["N/A"]),
        ],
        divisions="(All Divisions)",
        papers=[("Secondary team plan", "April 2018", "Stephen Belbin, 01772 531 000")],
    )
    client.force_login(officer)
    page = import_through_admin(client, report, data, name="KS4 plan.docx")
    assert "Standards of attainment are in line" in page  # the preview shows the section
    assert "Appendix &#x27;A&#x27;" in page and "attach it to the report" in page
    report.refresh_from_db()
    assert report.title == "Lancashire Key Stage 4 Recovery Plan"
    assert report.electoral_divisions == "(All Divisions)"
    assert report.contact.name == "Stephen Belbin"
    assert report.executive_summary == "<p>Standards of attainment are in line with the national average.</p>"
    assert report.background_and_advice == "<p>The plan is at Appendix 'A' refers.</p>"
    assert report.implications == ""  # not in the document: kept as it was
    assert list(BackgroundPaper.objects.filter(report=report).values_list("paper", "date", "contact")) == [
        ("Secondary team plan", "April 2018", "Stephen Belbin, 01772 531 000")
    ]
    source = ReportSource.objects.get(report=report)
    assert source.original_name == "KS4 plan.docx" and source.uploaded_by == officer
    with source.file.open("rb") as kept:
        assert kept.read() == data
    assert report.history.first().history_change_reason == "Imported from Word: KS4 plan.docx"


def test_headings_are_matched_despite_case_numbering_and_wording(report):
    data = build(
        [
            ("1. EXECUTIVE SUMMARY:", ["Summary."]),
            ("2 Recommendations", ["Recommend."]),
            ("3. Background & Advice", ["Background."]),
            ("Risk Management", ["Risks."]),
        ]
    )
    proposal = services.report_word_read(upload=upload(data), report=report)
    assert proposal.sections["executive_summary"] == "<p>Summary.</p>"
    assert proposal.sections["recommendation"] == "<p>Recommend.</p>"
    assert proposal.sections["background_and_advice"] == "<p>Background.</p>"
    assert proposal.sections["risk_management"] == "<p>Risks.</p>"
    assert not [w for w in proposal.warnings if "heading" in w]


def test_the_mapping_is_data_the_council_edits(report):
    data = build([("Summary for members", ["In short."])])
    assert "executive_summary" not in services.report_word_read(upload=upload(data), report=report).sections
    WordHeading.objects.create(heading="Summary for members", target="executive_summary", in_template=False)
    assert services.report_word_read(upload=upload(data), report=report).sections["executive_summary"] == (
        "<p>In short.</p>"
    )


def test_an_unrecognised_heading_goes_into_background_with_a_warning(report):
    data = build([("Background and Advice", ["Known."]), ("Equality impact", ["Unknown section."])])
    proposal = services.report_word_read(upload=upload(data), report=report)
    assert proposal.sections["background_and_advice"] == "<p>Known.</p><h3>Equality impact</h3><p>Unknown section.</p>"
    assert any("Equality impact" in w and "Background and Advice" in w for w in proposal.warnings)


def test_corporate_priorities_is_shown_as_left_out(report):
    data = build([("Corporate Priorities", ["Delivering better services."])])
    proposal = services.report_word_read(upload=upload(data), report=report)
    assert proposal.left_out == ["Corporate Priorities"]
    assert "Delivering better services" not in str(proposal.sections)


def test_structure_comes_through_and_word_styling_does_not(report):
    def body(document):
        document.add_heading("Progress 8", level=2)
        paragraph = document.add_paragraph("Attainment remained ")
        run = paragraph.add_run("above")
        run.bold = True
        paragraph.add_run(" the ")
        paragraph.add_run("national").italic = True
        styled = paragraph.add_run(" average.")
        styled.font.size = docx.shared.Pt(22)
        styled.font.color.rgb = docx.shared.RGBColor(0xFF, 0, 0)
        document.add_paragraph("Reading", style="List Bullet")
        document.add_paragraph("Maths", style="List Bullet")
        document.add_paragraph("First priority", style="List Number")
        document.add_paragraph("Second priority", style="List Number")
        document.add_paragraph("a) Reading: improve achievement.")
        document.add_paragraph("b) Increasing progress in Maths.")
        document.add_paragraph("i) The first reason.")
        document.add_paragraph("ii) The second reason.")
        table = document.add_table(rows=2, cols=2)
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = "District", "Good or better"
        table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Burnley", "61%"
        _header_row(table.rows[0])

    proposal = services.report_word_read(upload=upload(build([("Background and Advice", body)])), report=report)
    html = proposal.sections["background_and_advice"]
    assert html == (
        "<h3>Progress 8</h3>"
        "<p>Attainment remained <strong>above</strong> the <em>national</em> average.</p>"
        "<ul><li>Reading</li><li>Maths</li></ul>"
        "<ol><li>First priority</li><li>Second priority</li></ol>"
        '<ol type="a"><li>Reading: improve achievement.</li><li>Increasing progress in Maths.</li></ol>'
        '<ol type="i"><li>The first reason.</li><li>The second reason.</li></ol>'
        "<table><thead><tr><th>District</th><th>Good or better</th></tr></thead>"
        "<tbody><tr><td>Burnley</td><td>61%</td></tr></tbody></table>"
    )


def test_links_come_through_with_their_address(report):
    def body(document):
        paragraph = document.add_paragraph("See ")
        services_word = __import__("committee.word", fromlist=["_link"])
        services_word._link(paragraph, "https://www.gov.uk/ofsted", "the inspection report", False, False)

    html = services.report_word_read(upload=upload(build([("Background and Advice", body)])), report=report).sections[
        "background_and_advice"
    ]
    assert html == '<p>See <a href="https://www.gov.uk/ofsted" rel="noopener noreferrer">the inspection report</a></p>'


def test_a_picture_is_kept_as_its_alternative_text(report):
    data = build([("Background and Advice", with_picture("Bar chart of Progress 8 by district"))])
    html = services.report_word_read(upload=upload(data), report=report).sections["background_and_advice"]
    assert "[Figure: Bar chart of Progress 8 by district]" in html and "<img" not in html


def test_a_picture_without_alternative_text_is_refused(client, officer, report):
    data = build([("Background and Advice", with_picture(""))])
    client.force_login(officer)
    page = client.post(reverse("admin:committee_report_word_import", args=[report.pk]), {"document": upload(data)})
    assert page.status_code == 200
    assert "no alternative text" in page.content.decode() and "Edit Alt Text" in page.content.decode()
    assert not ReportSource.objects.exists()


def test_the_seed_key_stage_4_plan_keeps_its_lettered_lists_and_headings(report):
    lines = KEY_STAGE_4.read_text().splitlines()
    headings = {
        "Key Stage 4",
        "Issues",
        "Secondary Advisers: Key Strategic Priorities 2017/2018",
        "Identified Areas of Focus",
        "Secondary Team Plan: Actions School Service Guarantee Support",
        "Disadvantaged Pupils",
        "Progress 8",
        "Floor Standards",
        "Potential Coasting Schools",
        "Schools Requiring Improvement",
        "OFSTED",
        "Glossary",
        "New assessment measures",
    }

    def body(document):
        for line in lines:
            text = line.strip()
            if not text:
                continue
            if text in headings:
                document.add_heading(text, level=2)
            elif re.match(r"^\d\. ", text) and "Key Stage" in lines[0] + text:
                document.add_paragraph(text[3:], style="List Number")
            elif text.startswith("- "):
                paragraph = document.add_paragraph()
                for index, piece in enumerate(text[2:].split("**")):
                    paragraph.add_run(piece).bold = index % 2 == 1 or None
            else:
                document.add_paragraph(text)

    data = build(
        [
            ("Executive Summary", ["Whilst standards of attainment at the end of Key Stage 4 are in line."]),
            ("Recommendation", ["The Cabinet Committee is asked to note the content of the report."]),
            ("Background and Advice", body),
            ("Consultations", ["N/A"]),
        ]
    )
    html = services.report_word_read(upload=upload(data), report=report).sections["background_and_advice"]
    for heading in headings:
        assert f"<h3>{heading.replace('&', '&amp;')}</h3>" in html
    assert html.count('<ol type="a">') == 7  # one a) b) c)... list under each of seven headings
    assert "<li>Reading: improve achievement and enjoyment of reading across all phases.</li>" in html
    assert "<strong>On-going</strong>" in html
    assert "<ol><li>The attainment and progress of pupils at Key Stage 4" in html


# Refusals --------------------------------------------------------------------------------


def _refused(client, officer, report, data, name="report.docx"):
    client.force_login(officer)
    before = (Report.objects.filter(pk=report.pk).values().get(), report.history.count())
    started = time.monotonic()
    page = client.post(
        reverse("admin:committee_report_word_import", args=[report.pk]), {"document": upload(data, name)}
    )
    assert time.monotonic() - started < 10
    assert page.status_code == 200
    assert (Report.objects.filter(pk=report.pk).values().get(), report.history.count()) == before
    assert not ReportSource.objects.exists()
    html = page.content.decode()
    assert 'class="errorlist' in html and 'name="token"' not in html
    return html


def test_not_a_word_document_is_refused(client, officer, report):
    assert "not a Word document" in _refused(client, officer, report, b"Dear Amanda,\n" * 100)


def test_a_renamed_pdf_is_refused(client, officer, report):
    assert "This is a PDF" in _refused(client, officer, report, b"%PDF-1.7\n" + b"0" * 1000)


def test_a_password_protected_or_old_doc_is_refused(client, officer, report):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000
    assert "password-protected or an old Word .doc" in _refused(client, officer, report, ole)


def test_a_macro_enabled_document_is_refused(client, officer, report):
    data = rezip(
        build([("Recommendation", ["Note."])]),
        replace={
            "[Content_Types].xml": lambda xml: xml.replace(
                b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
            )
        },
        add={"word/vbaProject.bin": b"\x00" * 100},
    )
    assert "macro-enabled" in _refused(client, officer, report, data, name="report.docm")


def test_a_zip_bomb_is_refused(client, officer, report):
    data = rezip(build([("Recommendation", ["Note."])]), add={"word/media/image1.png": b"\x00" * (30 * 1024 * 1024)})
    assert "zip bomb" in _refused(client, officer, report, data)


def test_an_enormous_document_is_refused(client, officer, report):
    filler = "".join(f"<w:p><w:r><w:t>{n:x} {n * 7919:x}</w:t></w:r></w:p>" for n in range(400_000)).encode()
    data = rezip(
        build([("Recommendation", ["Note."])]),
        replace={"word/document.xml": lambda xml: xml.replace(b"<w:body>", b"<w:body>" + filler)},
    )
    assert "too large to import" in _refused(client, officer, report, data)


def test_tracked_changes_are_refused(client, officer, report):
    def body(document):
        paragraph = document.add_paragraph("Kept text. ")
        inserted = OxmlElement("w:ins")
        inserted.set(qn("w:id"), "1")
        inserted.set(qn("w:author"), "Author")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "Inserted text."
        run.append(text)
        inserted.append(run)
        paragraph._p.append(inserted)

    assert "tracked changes" in _refused(client, officer, report, build([("Recommendation", body)]))


def test_comments_are_refused(client, officer, report):
    def body(document):
        paragraph = document.add_paragraph("Text with a comment.")
        document.add_comment(paragraph.runs, text="Check this figure", author="Reviewer")

    assert "has comments" in _refused(client, officer, report, build([("Recommendation", body)]))


# The template and the round trip ---------------------------------------------------------


def test_the_template_has_the_councils_headings_and_reads_back(client, officer, report):
    client.force_login(officer)
    response = client.get(reverse("admin:committee_report_word_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Executive Summary",
        "Recommendation",
        "Background and Advice",
        "Consultations",
        "Implications",
        "Risk management",
        "List of Background Papers",
        "Reason for inclusion in Part II, if appropriate",
    ]
    # An author fills it in: what the template asks for is what the importer reads.
    document.tables[0].rows[0].cells[1].text = "Director of Children's Services"
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    proposal = services.report_word_read(upload=upload(response.content), report=report)
    assert proposal.title == ""  # the template's placeholder is never a report's title
    title.runs[0].text = "School Place Planning"  # the document's Title property is left as it was
    for index, paragraph in enumerate(document.paragraphs):
        if paragraph.text == "Recommendation":
            document.paragraphs[index + 1].insert_paragraph_before("The Committee is asked to approve the plan.")
    out = io.BytesIO()
    document.save(out)
    proposal = services.report_word_read(upload=upload(out.getvalue()), report=report)
    assert proposal.report_of == "Director of Children's Services"
    assert proposal.title == "School Place Planning"
    assert proposal.sections["recommendation"] == "<p>The Committee is asked to approve the plan.</p>"
    assert proposal.warnings == []


RICH = (
    "<h3>Key Stage 4</h3><p>Attainment remained <strong>above</strong> the <em>national</em> average; see "
    '<a href="https://www.gov.uk/" rel="noopener noreferrer">GOV.UK</a>.</p>'
    "<ul><li>Reading</li><li>Maths</li></ul><ol><li>First</li><li>Second</li></ol>"
    '<ol type="a"><li>Reading</li><li>Maths</li></ol>'
    "<table><thead><tr><th>District</th><th>Good or better</th></tr></thead>"
    "<tbody><tr><td>Burnley</td><td>61%</td></tr></tbody></table>"
)


def test_a_report_downloaded_and_uploaded_again_is_unchanged(client, officer):
    contact = OfficerFactory(name="Stephen Belbin", job_title="Head of Service")
    report = ReportFactory(
        contact=contact,
        electoral_divisions="(All Divisions)",
        background_and_advice=RICH,
        implications="<p>None.</p>",
        risk_management="<p>Low.</p>",
        reason_for_part_ii="N/A",
    )
    BackgroundPaper.objects.create(report=report, paper="Team plan", date="April 2018", contact="S Belbin")
    before = Report.objects.filter(pk=report.pk).values().get()
    client.force_login(officer)
    data = client.get(reverse("admin:committee_report_word_download", args=[report.pk])).content
    import_through_admin(client, report, data)
    after = Report.objects.filter(pk=report.pk).values().get()
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }
    assert list(report.background_papers.values_list("paper", "date", "contact")) == [
        ("Team plan", "April 2018", "S Belbin")
    ]

    # An author edits one paragraph in Word: only that section changes.
    document = docx.Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        if paragraph.text == "Low.":
            paragraph.runs[0].text = "Medium."
    out = io.BytesIO()
    document.save(out)
    import_through_admin(client, report, out.getvalue())
    edited = Report.objects.filter(pk=report.pk).values().get()
    assert edited["risk_management"] == "<p>Medium.</p>"
    assert {k: v for k, v in edited.items() if k not in ("updated_at", "risk_management")} == {
        k: v for k, v in before.items() if k not in ("updated_at", "risk_management")
    }


def test_a_new_report_from_word_on_an_agenda_item(client, officer):
    item = AgendaItemFactory(title="Key Stage 4")
    data = build([("Executive Summary", ["Summary."]), ("Recommendation", ["Note."])])
    client.force_login(officer)
    url = reverse("admin:committee_agendaitem_word_import", args=[item.pk])
    page = client.post(url, {"document": upload(data)}).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    response = client.post(url, {"token": token})
    report = Report.objects.get(agenda_item=item)
    assert response.status_code == 302 and response["Location"].endswith(f"/{report.pk}/change/")
    assert report.title == "Lancashire Key Stage 4 Recovery Plan"
    assert report.report_of == "Head of Schools Improvement"
    assert report.recommendation == "<p>Note.</p>"


def test_a_part_ii_document_on_a_part_i_item_is_warned_about(report):
    proposal = services.report_word_read(
        upload=upload(build([("Recommendation", ["Note."])], part="Part II")), report=report
    )
    assert any("Part II" in w and "not changed by an import" in w for w in proposal.warnings)


def test_an_author_may_import_into_a_report_but_not_create_one(client, author, report):
    report.authors.add(author)  # an author edits the reports they are named on
    client.force_login(author)
    import_through_admin(client, report, build([("Recommendation", ["The author's recommendation."])]))
    report.refresh_from_db()
    assert report.recommendation == "<p>The author's recommendation.</p>"
    url = reverse("admin:committee_agendaitem_word_import", args=[AgendaItemFactory().pk])
    assert client.get(url).status_code == 403


def test_a_preview_token_cannot_be_used_for_another_report(client, officer, report):
    client.force_login(officer)
    url = reverse("admin:committee_report_word_import", args=[report.pk])
    page = client.post(url, {"document": upload(build([("Recommendation", ["Swap."])]))}).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    other = ReportFactory()
    response = client.post(reverse("admin:committee_report_word_import", args=[other.pk]), {"token": token})
    assert response.status_code == 200 and "not yours" in response.content.decode()
    other.refresh_from_db()
    assert other.recommendation != "<p>Swap.</p>"


def test_the_report_page_in_the_admin_lists_the_imported_documents(client, officer, report):
    client.force_login(officer)
    data = build([("Recommendation", ["Note."])])
    import_through_admin(client, report, data, name="Draft 3.docx")
    page = client.get(reverse("admin:committee_report_change", args=[report.pk])).content.decode()
    assert 'id="word-sources"' in page and "Draft 3.docx" in page
    assert reverse("admin:committee_report_word_import", args=[report.pk]) in page
    assert reverse("admin:committee_report_word_download", args=[report.pk]) in page
    source = ReportSource.objects.get(report=report)
    kept = client.get(reverse("admin:committee_report_word_source", args=[report.pk, source.pk]))
    assert kept["Content-Disposition"] == 'attachment; filename="Draft 3.docx"'
    assert kept.content == data


LETTERED = [
    "a) Reading: improve achievement and enjoyment of reading across all phases.",
    "b) Increasing progress in Maths (from 2016)",
]


def _published_import(client, officer):
    from committee.models import AgendaPack

    report = ReportFactory(title="Old title")
    services.meeting_publish_agenda(meeting=report.agenda_item.meeting, by=officer)
    AgendaPack.objects.all().delete()  # forget the builds that publishing asked for
    client.force_login(officer)
    data = build([("Recommendation", ["Note the plan."]), ("Background and Advice", ["Areas of focus:", *LETTERED])])
    import_through_admin(client, report, data)
    report.refresh_from_db()
    return report


def test_an_import_into_a_published_report_shows_on_its_page_and_asks_for_new_packs(client, officer):
    from committee.models import AgendaPack

    report = _published_import(client, officer)
    client.logout()
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Lancashire Key Stage 4 Recovery Plan" in page
    assert '<ol type="a"><li>Reading: improve achievement' in page
    queued = AgendaPack.objects.filter(meeting=report.agenda_item.meeting, status="queued")
    # The one pack: the meeting has no Part II papers for a confidential one.
    assert set(queued.values_list("kind", flat=True)) == {"public"}


@pytest.mark.pdf
def test_an_imported_report_is_printed_in_the_pack_with_its_lettered_list(client, officer):
    import pdfplumber

    from committee.models import AgendaPack
    from committee.pack import services as pack_services

    report = _published_import(client, officer)
    pack = AgendaPack.objects.get(meeting=report.agenda_item.meeting, kind="public", status="queued")
    built = pack_services.pack_build(pack_id=pack.pk)
    assert built.status == AgendaPack.Status.READY, built.error
    with built.file.open("rb") as f, pdfplumber.open(io.BytesIO(f.read())) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "Lancashire Key Stage 4 Recovery Plan" in text
    assert "a. Reading: improve achievement" in text or "a) Reading: improve achievement" in text, text[-2000:]
    assert "b. Increasing progress in Maths" in text or "b) Increasing progress in Maths" in text


def _numbered(document, texts, fmt):
    """Paragraphs numbered by Word itself (not typed markers) in the given format."""
    numbering = document.part.numbering_part.element
    abstract_id = str(90 + len(numbering.findall(qn("w:abstractNum"))))
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), abstract_id)
    level = OxmlElement("w:lvl")
    level.set(qn("w:ilvl"), "0")
    for name, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", "%1)")):
        child = OxmlElement(name)
        child.set(qn("w:val"), value)
        level.append(child)
    abstract.append(level)
    numbering.insert(0, abstract)
    num = numbering.add_num(int(abstract_id))
    for text in texts:
        paragraph = document.add_paragraph(text, style="List Paragraph")
        paragraph._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = num.numId
        paragraph._p.get_or_add_pPr().get_or_add_numPr().get_or_add_ilvl().val = 0


def test_words_own_lettered_and_roman_numbering_comes_through(report):
    def body(document):
        _numbered(document, ["Reading", "Maths", "Science"], "lowerLetter")
        document.add_paragraph("Between the lists.")
        _numbered(document, ["First reason", "Second reason"], "lowerRoman")
        _numbered(document, ["One", "Two"], "decimal")

    html = services.report_word_read(upload=upload(build([("Background and Advice", body)])), report=report).sections[
        "background_and_advice"
    ]
    assert html == (
        '<ol type="a"><li>Reading</li><li>Maths</li><li>Science</li></ol><p>Between the lists.</p>'
        '<ol type="i"><li>First reason</li><li>Second reason</li></ol><ol><li>One</li><li>Two</li></ol>'
    )


def test_a_damaged_document_is_refused(client, officer, report):
    data = rezip(
        build([("Recommendation", ["Note."])]),
        replace={"word/document.xml": lambda xml: xml[: len(xml) // 2]},
    )
    assert "damaged" in _refused(client, officer, report, data)


def test_previews_never_confirmed_are_deleted_a_day_later(client, officer, report, media):
    import os

    client.force_login(officer)
    url = reverse("admin:committee_report_word_import", args=[report.pk])
    client.post(url, {"document": upload(build([("Recommendation", ["Forgotten."])]))})
    [old] = list((media / "word-pending").iterdir())
    os.utime(old, (time.time() - 2 * 86400, time.time() - 2 * 86400))
    client.post(url, {"document": upload(build([("Recommendation", ["Fresh."])]))})
    assert not old.exists() and len(list((media / "word-pending").iterdir())) == 1


def test_with_no_headings_in_the_councils_list_the_templates_own_are_used(report):
    WordHeading.objects.all().delete()
    document = docx.Document(io.BytesIO(services.word_template()))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"][:2] == [
        "Executive Summary",
        "Recommendation",
    ]
    proposal = services.report_word_read(upload=upload(build([("Recommendation", ["Note."])])), report=report)
    assert proposal.sections["recommendation"] == "<p>Note.</p>"
    # The other names the council's list starts with are read as a new list reads them.
    data = build([("Corporate Priorities", ["Delivering better services."]), ("Recommendations", ["Agree."])])
    proposal = services.report_word_read(upload=upload(data), report=report)
    assert proposal.left_out == ["Corporate Priorities"]
    assert proposal.sections == {"recommendation": "<p>Agree.</p>"}


def test_the_headings_used_while_the_councils_list_is_empty_are_those_it_starts_with():
    from importlib import import_module

    from committee import word

    seeded = import_module("committee.migrations.0010_report_word").TEMPLATE_HEADINGS
    assert seeded == word.DEFAULT_HEADINGS


def test_lists_continued_after_a_break_keep_their_numbering(report):
    body = [
        "(a) The first letter.",
        "(b) The second letter.",
        "A paragraph between.",
        "(c) The third letter, after the break.",
        "ii) A roman list continued.",
        "iii) And on.",
        "Another paragraph.",
        "v) A letter on its own is a letter.",
    ]
    html = services.report_word_read(upload=upload(build([("Recommendation", body)])), report=report).sections[
        "recommendation"
    ]
    assert html == (
        '<ol type="a"><li>The first letter.</li><li>The second letter.</li></ol><p>A paragraph between.</p>'
        '<ol type="a" start="3"><li>The third letter, after the break.</li></ol>'
        '<ol type="i" start="2"><li>A roman list continued.</li><li>And on.</li></ol><p>Another paragraph.</p>'
        '<ol type="a" start="22"><li>A letter on its own is a letter.</li></ol>'
    )


def test_the_agenda_item_offers_a_new_report_from_word_to_officers_only(client, officer, author):
    item = AgendaItemFactory()
    url = reverse("admin:committee_agendaitem_word_import", args=[item.pk])
    client.force_login(officer)
    assert url in client.get(reverse("admin:committee_agendaitem_change", args=[item.pk])).content.decode()
    client.force_login(author)
    # An author may not open another's item of an unpublished meeting at all; either way,
    # no new report is offered to them.
    page = client.get(reverse("admin:committee_agendaitem_change", args=[item.pk]), follow=True)
    assert page.status_code == 200 and url not in page.content.decode()


def test_an_enormous_part_besides_the_text_is_refused(client, officer, report):
    styles = "".join(f'<w:style w:styleId="S{n:x}"><w:name w:val="S{n * 7919:x}"/></w:style>' for n in range(120_000))
    data = rezip(
        build([("Recommendation", ["Note."])]),
        replace={"word/styles.xml": lambda xml: xml.replace(b"</w:styles>", styles.encode() + b"</w:styles>")},
    )
    assert "too large to import" in _refused(client, officer, report, data)


def _preview_token(client, report, data) -> str:
    url = reverse("admin:committee_report_word_import", args=[report.pk])
    page = client.post(url, {"document": upload(data)}).content.decode()
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_a_document_that_changes_nothing_saves_nothing(client, officer, report):
    client.force_login(officer)
    data = build([("Recommendation", ["Note the plan."])], papers=[("Team plan", "April 2018", "S Belbin")])
    import_through_admin(client, report, data)
    before = Report.objects.filter(pk=report.pk).values().get()
    history, sources = report.history.count(), ReportSource.objects.count()
    papers = list(BackgroundPaper.objects.values_list("pk", flat=True))

    url = reverse("admin:committee_report_word_import", args=[report.pk])
    response = client.post(url, {"token": _preview_token(client, report, data)}, follow=True)
    assert "already says what the document says: nothing was saved" in response.content.decode()
    assert Report.objects.filter(pk=report.pk).values().get() == before  # "updated at" too
    assert report.history.count() == history  # no "Imported from Word" row for nothing
    assert ReportSource.objects.count() == sources  # nor the same document kept twice
    assert list(BackgroundPaper.objects.values_list("pk", flat=True)) == papers


def test_a_preview_confirmed_after_someone_else_saved_the_report_is_refused(client, officer, report):
    client.force_login(officer)
    url = reverse("admin:committee_report_word_import", args=[report.pk])
    token = _preview_token(client, report, build([("Recommendation", ["From Word."])]))
    # Meanwhile a colleague saves the report in the admin.
    report.refresh_from_db()
    report.recommendation = "<p>A colleague's recommendation.</p>"
    report.save()
    response = client.post(url, {"token": token})
    page = response.content.decode()
    assert response.status_code == 200
    assert "saved a change to recommendation" in page and "Nothing has been imported" in page
    report.refresh_from_db()
    assert report.recommendation == "<p>A colleague's recommendation.</p>"
    assert not ReportSource.objects.filter(report=report).exists()


def test_an_import_into_a_published_report_tells_subscribers_which_paper_changed(client, officer):
    from alerts.models import Event

    report = _published_import(client, officer)
    [told] = Event.objects.filter(kind="paper_changed")
    assert told.report_id == report.pk

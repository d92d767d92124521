"""A report author revises a report in Word: downloads it as .docx, edits it, uploads it,
checks the preview and saves; a file that is not a Word document is refused at the field."""

import docx
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from committee.models import AgendaItem, Report, ReportSource

from .admin import open_from_sidebar, success_message
from .data import draft_meeting

pytestmark = pytest.mark.browser

TITLE = "Library Opening Hours Review"
REVISED = "The Cabinet Committee is asked to approve Sunday opening at eleven libraries."


@pytest.fixture
def report(stack):
    meeting = draft_meeting(60)
    item = AgendaItem.objects.create(meeting=meeting, order=1, number="1", title=TITLE, kind="report")
    report = Report.objects.create(
        agenda_item=item,
        title=TITLE,
        report_of="Director of Community Services",
        executive_summary="<p>Eleven libraries could open on Sundays.</p>",
        recommendation="<p>The Cabinet Committee is asked to note the review.</p>",
        background_and_advice='<h3>Usage</h3><ol type="a"><li>Visits rose.</li><li>Loans fell.</li></ol>',
    )
    # Authors edit the reports they are named on (the author journey shows one they are not).
    report.authors.add(get_user_model().objects.get(username="author"))
    yield report
    meeting.delete()


def test_author_revises_a_report_in_word(people, report, tmp_path):
    page = people("author")  # signing in lands a report author on the admin's home
    open_from_sidebar(page, "Reports")
    page.get_by_role("link", name=TITLE).first.click()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as .docx").click()
    document = docx.Document(download.value.path())
    for paragraph in document.paragraphs:
        if paragraph.text == "The Cabinet Committee is asked to note the review.":
            paragraph.runs[0].text = REVISED
    revised = tmp_path / "revised.docx"
    document.save(revised)

    # A file that is not a Word document is refused, at the field.
    page.get_by_role("link", name="Upload from Word").click()
    wrong = tmp_path / "minutes.docx"
    wrong.write_bytes(b"%PDF-1.7 not really a Word document")
    page.get_by_label("Word document (.docx)").set_input_files(str(wrong))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".errorlist")).to_contain_text("This is a PDF")

    # The revised document: the preview shows the report as it will be stored.
    page.get_by_label("Word document (.docx)").set_input_files(str(revised))
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#word-preview")
    expect(preview).to_contain_text(REVISED)
    expect(preview.locator("ol[type=a] li")).to_have_count(2)
    report.refresh_from_db()
    assert REVISED not in report.recommendation  # nothing saved before the author confirms
    page.get_by_role("button", name="Save the report").click()
    assert "revised.docx" in success_message(page)
    expect(page.locator("#word-sources")).to_contain_text("revised.docx")

    report.refresh_from_db()
    assert report.recommendation == f"<p>{REVISED}</p>"
    assert report.background_and_advice == '<h3>Usage</h3><ol type="a"><li>Visits rose.</li><li>Loans fell.</li></ol>'
    assert ReportSource.objects.filter(report=report, original_name="revised.docx").exists()

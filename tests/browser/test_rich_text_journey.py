"""An officer types a report section in the rich-text editor with the keyboard: a heading,
a bold word, a bulleted list, an (i), (ii) list, a table with a header row and a link; saves;
the report's page shows that structure. Text pasted from Word keeps its structure and loses
its styling. The admin page with the editor passes axe-core on a desktop and a phone."""

import pytest
from playwright.sync_api import expect

from committee.models import AgendaItem, Report

from .admin import save
from .checks import axe_violations, describe_axe
from .data import draft_meeting

pytestmark = pytest.mark.browser

TITLE = "Mobile Library Routes Review"
WIDE = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

WORD_PASTE = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>'
    '<p class="MsoNormal" style="mso-margin-top-alt:auto;font-family:Calibri"><span style="mso-bidi-font-size:11.0pt">'
    "Pasted <b style='mso-bidi-font-weight:normal'>from Word</b></span><o:p></o:p></p>"
    '<ul style="margin-top:0cm"><li class="MsoListParagraph" style="mso-list:l0 level1 lfo1">'
    '<span style="font-size:12pt;color:red">Routes</span></li></ul></body></html>'
)


@pytest.fixture
def report(stack):
    meeting = draft_meeting(70)
    item = AgendaItem.objects.create(meeting=meeting, order=1, number="1", title=TITLE, kind="report")
    report = Report.objects.create(
        agenda_item=item,
        title=TITLE,
        report_of="Director of Community Services",
        executive_summary="<p>The routes were reviewed.</p>",
    )
    yield report
    meeting.delete()


def _editor(page, label: str):
    return page.get_by_role("textbox", name=label)


def test_officer_types_a_report_section_with_the_keyboard(people, report):
    page = people("officer", viewport=WIDE)
    page.goto(f"/admin/committee/report/{report.pk}/change/")
    editor = _editor(page, "Background and advice")
    menu = page.locator(".prose-editor", has=editor).locator(".prose-menubar")
    keys = page.keyboard
    editor.focus()

    keys.press("Control+Alt+3")
    keys.type("Route changes")
    keys.press("Enter")
    keys.type("Two stops will close on ")
    keys.press("Control+b")
    keys.type("Fridays")
    keys.press("Control+b")
    keys.type(".")
    keys.press("Enter")
    keys.press("Control+Shift+8")
    keys.type("Preston")
    keys.press("Enter")
    keys.type("Lancaster")
    keys.press("Enter")
    keys.press("Enter")
    keys.press("Control+Shift+7")
    keys.type("fewer visits")
    keys.press("Enter")
    keys.type("higher costs")
    menu.locator("[data-name=orderedListProperties]").focus()
    keys.press("Enter")
    dialog = page.locator("dialog[open]")
    dialog.get_by_label("List type").select_option("i, ii, iii")
    dialog.get_by_role("button", name="Update").focus()
    keys.press("Enter")
    editor.focus()
    keys.press("Control+End")
    keys.press("Enter")
    keys.press("Enter")
    menu.locator("[data-name=table]").focus()
    keys.press("Enter")
    dialog.get_by_label("Rows").fill("2")
    dialog.get_by_label("Columns").fill("2")
    dialog.get_by_label("Include header row").select_option("Yes")
    dialog.get_by_role("button", name="Insert Table").focus()
    keys.press("Enter")
    # As a person does, wait for the dialog to close before typing into the table: on a busy
    # machine the first letter typed went to the closing dialog.
    expect(page.locator("dialog[open]")).to_have_count(0)
    for n, cell in enumerate(["Stop", "Visits a week", "Bilsborrow", "12"]):
        if n:
            keys.press("Tab")
        keys.type(cell)
    keys.press("ArrowDown")
    keys.type("Library strategy")
    keys.press("Shift+Home")
    # As a person does, look that the words are selected before asking for a link.
    page.wait_for_function("() => getSelection().toString() === 'Library strategy'")
    keys.press("Control+k")
    dialog.get_by_label("URL").fill("https://www.lancashire.gov.uk/libraries/")
    dialog.get_by_label("URL").press("Enter")
    expect(editor.locator("a")).to_have_text("Library strategy")

    save(page)
    report.refresh_from_db()
    stored = report.background_and_advice
    assert "<h3>Route changes</h3>" in stored
    assert "<strong>Fridays</strong>" in stored
    assert 'type="i"' in stored

    page.goto(f"/reports/{report.pk}/")
    section = page.locator("#background_and_advice")
    expect(section.get_by_role("heading", level=3)).to_have_text("Route changes")
    expect(section.locator("strong")).to_have_text("Fridays")
    expect(section.locator("ul li")).to_have_count(2)
    expect(section.locator('ol[type="i"] li')).to_have_count(2)
    expect(section.locator("table th")).to_have_text(["Stop", "Visits a week"])
    expect(section.locator("table td")).to_have_text(["Bilsborrow", "12"])
    expect(section.get_by_role("link", name="Library strategy")).to_have_attribute(
        "href", "https://www.lancashire.gov.uk/libraries/"
    )


def test_pasting_from_word_keeps_the_structure_and_drops_the_styling(people, report):
    page = people("officer", viewport=WIDE)
    page.goto(f"/admin/committee/report/{report.pk}/change/")
    editor = _editor(page, "Consultations")
    editor.focus()
    editor.evaluate(
        """(element, html) => {
            const data = new DataTransfer();
            data.setData('text/html', html);
            data.setData('text/plain', 'Pasted from Word');
            element.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        WORD_PASTE,
    )
    expect(editor.locator("ul li")).to_have_text("Routes")
    save(page)
    report.refresh_from_db()
    stored = report.consultations
    assert "from Word" in stored and "<strong>from Word</strong>" in stored
    assert "<ul><li><p>Routes</p></li></ul>" in stored
    for styling in ("mso-", "style=", "class=", "<span", "o:p", "Calibri"):
        assert styling not in stored, stored


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["1366px", "390px"])
def test_the_admin_page_with_the_editor_passes_axe(people, report, viewport):
    page = people("officer", viewport=viewport)
    page.goto(f"/admin/committee/report/{report.pk}/change/")
    expect(_editor(page, "Executive summary")).to_be_visible()
    page.evaluate("1")  # let the page's own policy reports arrive: there must be none
    assert not page.context.csp_violations, page.context.csp_violations
    violations = axe_violations(page)
    page.evaluate("1")
    # axe-core adds a <style> element of its own while it checks; the page did not (above).
    page.context.csp_violations.clear()
    assert not violations, describe_axe(f"report admin page at {viewport['width']} px", violations)

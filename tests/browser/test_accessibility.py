"""WCAG 2.2 A and AA, as axe-core judges it, on every public page type, every report and
reported document of the demo, the API docs and the officers' main admin pages, at 1,366 px
and at 390 px; and the resident's journey done with the keyboard alone."""

import re
from io import BytesIO

import pytest
from django.urls import get_resolver, reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from committee import gate
from committee.models import Report
from performance.models import PerformanceReportSnapshot
from risks.models import RegisterSnapshot
from send_actions.models import PlanSnapshot

from .checks import describe_axe
from .data import APPENDIX_PHRASE, PART_II_SECRET, PUBLIC_PHRASE
from .pages import APPS, NOT_PAGES
from .people import meeting_day, pdf_text

pytestmark = pytest.mark.browser


def _problems(seen) -> str:
    found = [(f"{s.visit.key} ({s.visit.path})", s.violations) for s in seen]
    found += [(f"{s.visit.key} ({s.visit.path}) on a phone", s.phone_violations) for s in seen]
    return "\n\n".join(describe_axe(where, violations) for where, violations in found if violations)


def test_every_page_answers_as_it_should(tour):
    wrong = [f"{s.visit.key} {s.visit.path}: {s.status}" for s in tour if s.status != s.visit.status]
    assert not wrong, "\n".join(wrong)


def test_the_tour_covers_every_page_type(tour):
    visited = {s.visit.url_name for s in tour}
    committee_pages = {
        f"committee:{name}"
        for name in get_resolver().namespace_dict["committee"][1].reverse_dict
        if isinstance(name, str) and f"committee:{name}" not in NOT_PAGES
    }
    missing = committee_pages - visited
    assert not missing, f"Page types no test looks at: {sorted(missing)}"
    assert {f"{app}:index" for app in APPS} <= visited
    # The newer public pages of executive decisions, each with something on it.
    assert {"decisions:special-urgency", "decisions:special-urgency-quarter", "decisions:private-notices"} <= visited


def test_the_tour_reads_every_report_of_the_demo_and_the_api_docs(tour):
    """Not one report per kind: every one, as what authors write differs from paper to paper."""
    visited = {s.visit.path for s in tour}
    public = gate.Reader.public()
    papers = [report.get_absolute_url() for report in Report.objects.filter(gate.report_q(public))]
    for model in (PerformanceReportSnapshot, RegisterSnapshot, PlanSnapshot):
        papers += [row.get_absolute_url() for row in gate.structured_readable(public, model)]
    assert len(papers) >= 8
    missing = sorted(set(papers) - visited)
    assert not missing, f"Reports the tour does not check: {missing}"
    assert reverse("api-docs") in visited


def test_public_pages_have_no_accessibility_violations(tour):
    public = [s for s in tour if not s.visit.admin]
    assert len(public) >= 20
    assert not any(s.violations or s.phone_violations for s in public), _problems(public)


def test_no_public_page_is_wider_than_a_phone(tour):
    wide = [f"{s.visit.key} ({s.visit.path}): {s.phone_overflow}px too wide" for s in tour if s.phone_overflow > 0]
    assert not wide, "\n".join(wide)


def test_officers_admin_pages_have_no_accessibility_violations(tour):
    admin = [s for s in tour if s.visit.admin]
    assert admin
    assert not any(s.violations for s in admin), _problems(admin)


def _tab_to(page, name: str | re.Pattern, *, limit: int = 120) -> None:
    """Press Tab until the focused element is the link or button a person wants, checking
    on the way that they can always see where the focus is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                return {
                    text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim(),
                    tag: el.tagName,
                    visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
                        || style.boxShadow !== 'none',
                };
            }"""
        )
        if focused["tag"] == "BODY":
            continue
        assert focused["visible"], f"No visible focus on {focused}"
        text = focused["text"]
        if name.search(text) if isinstance(name, re.Pattern) else text == name:
            return
    raise AssertionError(f"{name!r} cannot be reached with the Tab key")


def test_resident_journey_with_the_keyboard_alone(people, upcoming, upcoming_packs):
    page = people()
    page.goto("/")

    # The first Tab stop is the skip link, and it moves the focus to the content.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to main content")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))

    # Find the meeting in the upcoming list and follow it.
    # In the upcoming list (a report of the meeting, in the list of new papers, bears its date too).
    row = (
        page.get_by_role("region", name="Upcoming meetings")
        .locator("li.meeting-row")
        .filter(has_text=meeting_day(upcoming.starts_at))
    )
    expect(row).to_have_count(1)
    _tab_to(page, upcoming.committee_name)
    focused_row = page.locator("li.meeting-row:has(a:focus)")
    if meeting_day(upcoming.starts_at) not in focused_row.inner_text():
        # Another meeting of the same committee came first: keep going to the right one.
        for _ in range(20):
            _tab_to(page, upcoming.committee_name)
            if meeting_day(upcoming.starts_at) in page.locator("li.meeting-row:has(a:focus)").inner_text():
                break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(upcoming.committee_name)

    # Open the report, read it, come back to the meeting.
    _tab_to(page, upcoming.public_report_title)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(upcoming.public_report_title)
    expect(page.get_by_text(PUBLIC_PHRASE)).to_be_visible()
    _tab_to(page, re.compile(r"Resurfacing schedule \(PDF"))
    # Back to the meeting by the link at the top of the report (Tab wraps round to it).
    _tab_to(page, re.compile(re.escape(upcoming.committee_name)))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(upcoming.committee_name)

    # The public pack: reachable by keyboard (Tab wraps round to it), and Enter opens the PDF.
    _tab_to(page, "Agenda pack")
    href = page.evaluate("() => document.activeElement.getAttribute('href')")
    with page.expect_response(lambda r: r.url.endswith(href)) as opened:
        page.keyboard.press("Enter")
    assert opened.value.status == 200
    assert opened.value.headers["content-type"] == "application/pdf"
    text = pdf_text(PdfReader(BytesIO(page.request.get(href).body())))
    assert APPENDIX_PHRASE in text and PART_II_SECRET not in text

"""Reading on a phone (390 px): the KPI tables show every measure's figures without scrolling
sideways and are still tables to a screen reader; the long SEND plan keeps its contents a tap
away, and its filters work."""

import re
from collections import Counter

import pytest
from playwright.sync_api import expect

from committee import gate
from committee.demo import demo_report
from performance.models import PerformanceReportSnapshot
from send_actions.models import ActionPlan

from .checks import fits
from .harness import PHONE

pytestmark = pytest.mark.browser

# The cells a resident reads a measure by: its latest figure, its status (RAG) where the
# report gives one, and its direction of travel where the page shows it.
FIGURES = "table.kpi td.col-latest, table.kpi td.col-rag, table.kpi td.col-direction"


def _kpi_pages() -> dict[str, str]:
    reported = gate.structured_readable(gate.Reader.public(), PerformanceReportSnapshot).order_by("pk").first()
    return {
        "the committee report with its KPI appendix": demo_report("Quarterly Corporate Performance").get_absolute_url(),
        "the performance report's own page": reported.get_absolute_url(),
    }


def _chromium_roles(page) -> tuple[Counter, set[str]]:
    """Roles in Chromium's own accessibility tree (what a screen reader is given), and the
    names of its cells: not Playwright's reading of the markup, which ignores CSS."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = [n for n in cdp.send("Accessibility.getFullAXTree")["nodes"] if not n.get("ignored")]
    finally:
        cdp.detach()
    roles = Counter(n.get("role", {}).get("value") for n in nodes)
    cells = {(n.get("name") or {}).get("value", "").strip() for n in nodes if n.get("role", {}).get("value") == "cell"}
    return roles, cells


def test_kpi_figures_are_in_view_on_a_phone_and_still_a_table(people):
    page = people(viewport=PHONE)
    for where, path in _kpi_pages().items():
        assert page.goto(path).status == 200
        figures = page.locator(FIGURES)
        assert figures.count() >= 20, where
        # Every figure lies within the screen: none in a box that scrolls sideways.
        outside = page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)].filter(td => {
                const box = td.getBoundingClientRect();
                return box.width === 0 || box.left < 0 || box.right > window.innerWidth;
            }).map(td => td.textContent.trim())""",
            FIGURES,
        )
        assert not outside, f"{where}: figures off-screen on a phone: {outside[:5]}"
        sideways = page.evaluate(
            """() => [...document.querySelectorAll('.table-scroll')]
                .filter(box => box.querySelector('table.kpi') && box.scrollWidth > box.clientWidth + 1).length"""
        )
        assert sideways == 0, f"{where}: {sideways} KPI table(s) still scroll sideways"
        # Each figure is shown with its column's name (the period), as the eye needs it.
        first = figures.first
        first.scroll_into_view_if_needed()
        label = first.evaluate("td => getComputedStyle(td, '::before').content")
        assert first.get_attribute("data-label") in label, label

        # A screen reader is still given a table: column headers, row headers, and cells
        # named by their figure alone (the visible column name is not read twice).
        roles, cells = _chromium_roles(page)
        assert roles["table"] and roles["columnheader"] and roles["rowheader"], f"{where}: {roles}"
        assert not roles["LayoutTable"], f"{where}: a KPI table became a layout table"
        latest = [text.strip() for text in page.locator("table.kpi td.col-latest").all_inner_texts()]
        missing = [text for text in latest if text and text not in cells]
        assert not missing, f"{where}: figures not exposed as table cells: {missing[:5]}"
        expect(page.get_by_role("columnheader", name="England Average").first).to_be_attached()


def test_the_send_plan_on_a_phone_contents_in_reach_and_filters_that_work(people):
    plan = ActionPlan.objects.filter(published_at__isnull=False).order_by("pk").first()
    page = people(viewport=PHONE)
    assert page.goto(plan.get_absolute_url()).status == 200

    # Deep in the working groups, the "Contents" link is on the screen and leads back.
    page.locator("#group-3-heading").scroll_into_view_if_needed()
    page.mouse.wheel(0, 1500)
    contents_link = page.locator("p.contents-link a")
    expect(contents_link).to_be_in_viewport()
    contents_link.click()
    expect(page.locator("#contents-heading")).to_be_in_viewport()
    page.locator("nav.contents").get_by_role("link", name=re.compile(r"^Working Group 4")).click()
    expect(page.locator("#group-4-heading")).to_be_in_viewport()

    # The filters: the boxes fit the screen; an area of concern and a progress together.
    page.locator("nav.contents").get_by_role("link", name="Find tasks").click()
    area = page.get_by_label("Area of concern")
    box = area.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    area.select_option(value="8")
    page.get_by_role("button", name="Show tasks").click()
    expect(page).to_have_url(re.compile(r"area=8"))
    expect(page.get_by_role("status")).to_contain_text("Showing 5 of 47 tasks")
    expect(page.get_by_role("status")).to_be_in_viewport()  # the answer, not the top of the page
    codes = {text.split(":")[0] for text in page.locator("li.task h4").all_inner_texts()}
    assert codes == {"C1", "C2", "C3", "C4", "C5"}
    expect(page.get_by_label("Area of concern")).to_have_value("8")  # the choice stays chosen
    fits(page, "the SEND plan's tasks of one area on a phone")

    page.get_by_role("combobox", name="Progress", exact=True).select_option(value="complete")
    page.get_by_role("button", name="Show tasks").click()
    expect(page.get_by_role("status")).to_contain_text("Showing 0 of 47 tasks")
    page.get_by_role("link", name="Show all tasks").click()
    expect(page.get_by_role("status")).to_contain_text("Showing all 47 tasks")


def test_the_main_links_fold_behind_a_menu_on_a_phone(people):
    """On a phone the header is one line and a Menu button: the page's own heading is in view
    without scrolling past nine links. The button opens and closes the links, says whether they
    show, and Escape closes them with the focus back on it. A laptop shows every link, no button."""
    page = people(viewport=PHONE)
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Councillors")).to_be_hidden()
    heading_top = page.get_by_role("heading", level=1).bounding_box()["y"]
    assert heading_top < 200, f"the page's heading starts {heading_top:.0f} px down a phone's screen"

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    for name in ("Meetings", "Committees", "Councillors", "Forward plan", "Decisions", "Search", "Sign in"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    # Each link is a target a thumb can hit (WCAG 2.2, 2.5.8: at least 24 by 24 px, or spaced so).
    boxes = [links.nth(n).bounding_box() for n in range(links.count())]
    assert all(b["height"] >= 24 for b in boxes), boxes
    fits(page, "the home page with its menu open on a phone")

    page.get_by_role("link", name="Committees", exact=True).focus()
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(page.get_by_role("link", name="Committees", exact=True)).to_be_hidden()

    page.set_viewport_size({"width": 1366, "height": 768})
    expect(menu).to_be_hidden()
    expect(page.get_by_role("link", name="Councillors")).to_be_visible()

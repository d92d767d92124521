"""Journey 5: a person searches for a phrase they remember from a report and finds it."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHRASE = "first time entrants to the youth justice system"
REPORT = "Quarterly Corporate Performance Monitoring Report – Quarter 4 2017/18"


def test_search_for_a_phrase_from_a_report_finds_it(people):
    page = people()
    page.goto("/")
    page.get_by_label("Search agendas, reports and minutes").fill(f'"{PHRASE}"')
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Search papers")
    results = page.locator("ol.results > li")
    expect(results.first).to_be_visible()
    # The report itself, not only an appendix that quotes the same words.
    hit = results.filter(has=page.get_by_role("link", name=REPORT, exact=True))
    expect(hit).to_have_count(1)
    # The snippet shows the words that matched, marked.
    expect(hit.locator(".snippet mark").first).to_be_visible()

    hit.get_by_role("link", name=REPORT, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(REPORT)
    expect(page.get_by_text(PHRASE).first).to_be_visible()


def test_search_never_finds_a_part_ii_paper_for_the_public(people, upcoming):
    from .data import PART_II_SECRET

    page = people()
    page.goto("/search/")
    page.get_by_label("Words or phrase").fill(PART_II_SECRET)
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="0 results")).to_be_visible()
    expect(page.get_by_text("Nothing matched")).to_be_visible()

"""Journey 2: a resident finds the meeting from the home page, reads a report, and
downloads the public agenda pack, which has no Part II text in it."""

import re

import pytest
from playwright.sync_api import expect

from .data import APPENDIX_PHRASE, PART_II_PRICE, PART_II_SECRET, PUBLIC_PHRASE
from .people import fetch_pdf, open_meeting_from_home, pack_links, pdf_outline, pdf_text

pytestmark = pytest.mark.browser


def test_resident_finds_the_meeting_and_reads_a_report(people, upcoming):
    page = people()
    open_meeting_from_home(page, upcoming.committee_name, upcoming.starts_at)

    agenda = page.locator("ol.agenda")
    expect(page.get_by_role("heading", name="Agenda", exact=True)).to_be_visible()
    # The Part II item is listed by its title and paragraph only: no link, no text.
    expect(page.get_by_text(upcoming.part_ii_title)).to_be_visible()
    expect(page.get_by_text("Part II: Paragraph 3")).to_be_visible()
    expect(page.get_by_role("link", name=upcoming.part_ii_title)).to_have_count(0)
    expect(page.get_by_text(PART_II_SECRET)).to_have_count(0)

    agenda.get_by_role("link", name=upcoming.public_report_title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(upcoming.public_report_title)
    expect(page.get_by_text(PUBLIC_PHRASE)).to_be_visible()
    appendix = page.get_by_role("link", name=re.compile(r"Resurfacing schedule \(PDF, 2 pages"))
    expect(appendix).to_be_visible()
    body, reader = fetch_pdf(page, appendix)
    assert APPENDIX_PHRASE in pdf_text(reader)

    # Back to the meeting by the link at the top of the report.
    page.get_by_role("link", name=re.compile(re.escape(upcoming.committee_name))).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(upcoming.committee_name)


def test_resident_downloads_the_public_pack_without_part_ii(people, upcoming, upcoming_packs):
    page = people()
    open_meeting_from_home(page, upcoming.committee_name, upcoming.starts_at)

    links = pack_links(page)
    expect(links.filter(has_text="Part II")).to_have_count(0)  # no confidential pack for the public
    pack = page.get_by_role("link", name="Agenda pack", exact=True)
    expect(pack).to_be_visible()
    listed = page.get_by_role("region", name="Agenda pack").locator("li").filter(has=pack)
    pages_shown = int(re.search(r"(\d+) pages?", listed.inner_text()).group(1))

    body, reader = fetch_pdf(page, pack)
    assert len(reader.pages) == pages_shown  # the page count the meeting page promised
    text = pdf_text(reader)
    assert upcoming.public_report_title in text
    assert APPENDIX_PHRASE in text  # the uploaded appendix is in the pack
    assert PART_II_SECRET not in text and PART_II_PRICE not in text
    # The bookmarks name the Part II item at most, never its contents.
    assert not any(PART_II_SECRET in title for title in pdf_outline(body))

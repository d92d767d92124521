"""Journey 3: a councillor on the committee signs in and reads the Part II report and the
confidential pack; a councillor who does not sit on it is refused both.

Signing in lands a councillor on "Your meetings", where each meeting ahead of their
committees offers its packs: from the signed-in landing page to the confidential pack is one
click (before, landing on their public page, it took three: the committee, the meeting, the
pack)."""

import re

import pytest
from playwright.sync_api import expect

from .data import PART_II_PRICE, PART_II_SECRET, PUBLIC_PHRASE
from .people import fetch_pdf, meeting_day, open_meeting_from_home, pack_links, pdf_text, status_of

pytestmark = pytest.mark.browser

NOT_FOR_PUBLICATION = "Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A"


def test_signing_in_lands_the_councillor_one_click_from_the_confidential_pack(people, upcoming, upcoming_packs):
    page = people("cllr.driver")  # the Sign in link, username, password, the button
    expect(page.get_by_role("heading", level=1)).to_have_text("Your meetings")
    heading = f"{upcoming.committee_name}, {meeting_day(upcoming.starts_at)}"
    meeting = (
        page.get_by_role("region", name="Meetings ahead")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading", name=heading))
    )
    expect(meeting).to_have_count(1)
    confidential = meeting.get_by_role("link", name=re.compile("including Part II papers"))
    expect(confidential).to_have_count(1)
    assert confidential.get_attribute("href") == upcoming_packs["confidential"].get_absolute_url()
    _, reader = fetch_pdf(page, confidential)  # the one click
    assert PART_II_SECRET in pdf_text(reader)
    # The new papers include the Part II report, marked so.
    new = page.get_by_role("region", name=re.compile("^Papers published")).get_by_role("listitem")
    expect(new.filter(has_text=upcoming.part_ii_title)).to_contain_text("Part II")


def test_a_councillor_not_on_the_committee_is_offered_none_of_its_meeting(people, upcoming, upcoming_packs):
    page = people("cllr.other")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your meetings")
    expect(page.get_by_text("None of your committees has a meeting arranged.")).to_be_visible()
    for pack in upcoming_packs.values():
        expect(page.locator(f'a[href="{pack.get_absolute_url()}"]')).to_have_count(0)
    expect(page.get_by_text(upcoming.part_ii_title)).to_have_count(0)


def test_councillor_on_the_committee_reads_the_part_ii_report(people, upcoming):
    page = people("cllr.driver")
    open_meeting_from_home(page, upcoming.committee_name, upcoming.starts_at)

    page.locator("ol.agenda").get_by_role("link", name=upcoming.part_ii_title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(upcoming.part_ii_title)
    expect(page.get_by_role("note")).to_contain_text(NOT_FOR_PUBLICATION)
    expect(page.get_by_text(PART_II_SECRET)).to_be_visible()


def test_councillor_on_the_committee_reads_the_confidential_pack(people, upcoming, upcoming_packs):
    page = people("cllr.driver")
    open_meeting_from_home(page, upcoming.committee_name, upcoming.starts_at)

    listed = page.get_by_role("region", name="Agenda pack").locator("li").filter(has_text="Part II")
    expect(listed).to_have_count(1)
    confidential = listed.get_by_role("link")
    body, reader = fetch_pdf(page, confidential)
    assert f"{len(reader.pages)} pages" in listed.inner_text()
    text = pdf_text(reader)
    assert PART_II_SECRET in text and PART_II_PRICE in text
    assert PUBLIC_PHRASE.split()[0] in text  # Parts I and II together
    assert "Not for publication" in text  # the Part II pages carry the marking


def test_councillor_not_on_the_committee_is_refused(people, upcoming, upcoming_packs):
    page = people("cllr.other")
    open_meeting_from_home(page, upcoming.committee_name, upcoming.starts_at)

    # The agenda names the Part II item, as it does for the public, but offers nothing more.
    expect(page.get_by_text(upcoming.part_ii_title)).to_be_visible()
    expect(page.get_by_role("link", name=upcoming.part_ii_title)).to_have_count(0)
    expect(pack_links(page).filter(has_text="Part II")).to_have_count(0)

    # Typing the addresses in does not help: the same "not found" the public gets.
    assert status_of(page, f"/reports/{upcoming.part_ii_report_id}/") == 404
    expect(page.get_by_text(PART_II_SECRET)).to_have_count(0)
    assert status_of(page, upcoming_packs["confidential"].get_absolute_url()) == 404
    assert status_of(page, upcoming_packs["public"].get_absolute_url()) == 200


def test_the_public_is_refused_the_part_ii_report(people, upcoming):
    page = people()
    assert status_of(page, f"/reports/{upcoming.part_ii_report_id}/") == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("not found", re.I))

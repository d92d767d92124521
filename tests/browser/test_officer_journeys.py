"""Journeys 1 and 4: an officer prepares and publishes a meeting in the admin and watches
the worker build its pack; later corrects a published report and gets a new version,
while the earlier version stays downloadable."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from committee.models import AgendaPack, Meeting

from .admin import add_inline, choose, open_from_sidebar, open_group, save, success_message, write
from .checks import fits
from .data import appendix_pdf, meeting_starts, wait_for_packs
from .harness import DESKTOP, PHONE
from .people import fetch_pdf, open_meeting_from_home, pack_links, pdf_text

pytestmark = pytest.mark.browser

COMMITTEE = "Cabinet Committee on Performance Improvement"
PUBLIC_REPORT = "Library Service Review"
PUBLIC_SUMMARY = "Eleven libraries will open on Sundays from April."
APPENDIX_TITLE = "Opening hours by library"
PART_II_ITEM = "Acquisition of Land at Preston East"
# How long an officer would wait, watching the page, for a pack of a few pages.
PACK_WAIT_MS = 120_000


def _in_admin(committee: str, starts) -> str:
    """A meeting as the admin's lists name it."""
    return f"{committee} - {timezone.localtime(starts):%A %-d %B %Y}"


def _status(page):
    return page.locator("#pack-status")


def test_officer_prepares_and_publishes_a_meeting(people, stack, tmp_path):
    starts = meeting_starts(45, hour=14)
    appendix_file = tmp_path / "opening-hours.pdf"
    appendix_file.write_bytes(appendix_pdf(APPENDIX_TITLE, pages=3))

    page = people("officer")  # signing in lands an officer on the admin's home
    open_from_sidebar(page, "Meetings")
    page.get_by_role("link", name=re.compile("Add meeting")).click()

    # The meeting: committee, date and time, venue.
    choose(page, "id_committee", "Performance", COMMITTEE)
    page.locator("#id_starts_at_0").fill(starts.strftime("%d/%m/%Y"))
    page.locator("#id_starts_at_1").fill("14:00")
    choose(page, "id_venue", "Committee Room", "Committee Room 'B'")

    # Three items: apologies, a report, and a Part II item with its paragraph.
    items = [
        ("1", "Apologies for Absence", "Apologies for absence"),
        ("2", PUBLIC_REPORT, "Report"),
        ("3", PART_II_ITEM, "Report"),
    ]
    for number, title, kind in items:
        item = add_inline(page, "items", "Add another Agenda item")
        order = item.get_by_label("Order:", exact=True)
        if order.count():  # where the admin does not number new items itself
            order.fill(number)
        item.get_by_label("Number:", exact=True).fill(number)
        item.get_by_label("Kind:", exact=True).select_option(label=kind)
        item.get_by_label("Title:", exact=True).fill(title)
    part_ii = page.locator("#items-group .inline-related:not(.empty-form)").nth(2)
    part_ii.get_by_label("Access:", exact=True).select_option(label="Part II: exempt information (Schedule 12A)")
    part_ii.get_by_label(re.compile(r"\b3: Information relating to the financial")).check()
    part_ii.get_by_label("Public interest reasons:", exact=True).fill(
        "Disclosing the council's valuation before the purchase completes would weaken its position."
    )
    save(page)
    expect(page.get_by_text("(five clear working days before the meeting)")).to_be_visible()

    # The report for item 2, with a PDF appendix.
    open_group(page, "items")
    item = page.locator("#items-group .inline-related").filter(has_text=f"2. {PUBLIC_REPORT}")
    item.get_by_role("link", name="Add the report for this item").click()
    expect(page.get_by_label("Title:", exact=True).filter(visible=True)).to_have_value(PUBLIC_REPORT)
    page.get_by_label("Report of:", exact=True).fill("Director of Community Services")
    write(page, "Executive summary", PUBLIC_SUMMARY)
    write(page, "Recommendation", "The Cabinet Committee is asked to note the review.")
    appendix = add_inline(page, "appendices", "Add another Appendix")
    appendix.get_by_label("Letter:", exact=True).fill("A")
    appendix.get_by_label("Title:", exact=True).fill(APPENDIX_TITLE)
    appendix.get_by_label("Kind:", exact=True).select_option(label="Uploaded PDF document")
    appendix.get_by_label("Document:", exact=True).set_input_files(str(appendix_file))
    save(page, "Save")
    assert "was added successfully" in success_message(page)

    # Back to the meeting, and publish it.
    open_from_sidebar(page, "Meetings")
    page.get_by_role("link", name=_in_admin(COMMITTEE, starts)).click()
    page.get_by_role("link", name="Publish the agenda").click()
    expect(page.get_by_role("heading", name="This agenda cannot be published yet")).to_have_count(0)
    page.get_by_role("button", name="Publish the agenda").click()
    assert "is published" in success_message(page)

    # The officer watches the status on the page: it changes to ready by itself.
    status = _status(page)
    expect(status).to_be_visible()
    public_row = status.get_by_role("row").filter(has_text="Public pack")
    confidential_row = status.get_by_role("row").filter(has_text="Confidential pack")
    expect(public_row.filter(has_text="Ready")).to_have_count(1, timeout=PACK_WAIT_MS)
    expect(confidential_row.filter(has_text="Ready")).to_have_count(1, timeout=PACK_WAIT_MS)
    expect(public_row).to_contain_text("version 1")

    meeting = Meeting.objects.get(committee__name=COMMITTEE, starts_at=starts)
    ready = wait_for_packs(meeting.pk, timeout=1)

    # The public meeting page offers the pack with its page count.
    resident = people()
    open_meeting_from_home(resident, COMMITTEE, starts)
    pack = resident.get_by_role("link", name="Agenda pack", exact=True)
    listed = resident.get_by_role("region", name="Agenda pack").locator("li").filter(has=pack)
    expect(listed).to_contain_text(f"{ready['public'].pages} pages")
    body, reader = fetch_pdf(resident, pack)
    assert len(reader.pages) == ready["public"].pages
    text = pdf_text(reader)
    assert PUBLIC_SUMMARY in text and APPENDIX_TITLE in text


def test_officer_corrects_a_published_report_and_gets_a_new_version(people, upcoming, upcoming_packs):
    first = upcoming_packs["public"]
    correction = "The programme was corrected after publication: 44 kilometres, not 42."

    page = people("officer")
    open_from_sidebar(page, "Reports")
    page.get_by_role("link", name=upcoming.public_report_title).first.click()
    write(page, "Executive summary", correction, after_what_is_there=True)
    save(page, "Save")
    assert "was changed successfully" in success_message(page)

    # The meeting's page in the admin shows the new version being built, then ready.
    open_from_sidebar(page, "Meetings")
    page.get_by_role("link", name=_in_admin(upcoming.committee_name, upcoming.starts_at)).click()
    public_row = _status(page).get_by_role("row").filter(has_text="Public pack")
    expect(public_row.filter(has_text=f"version {first.number + 1}")).to_have_count(1, timeout=PACK_WAIT_MS)
    newer = wait_for_packs(upcoming.meeting_id, newer_than=first.number, timeout=1)

    # The public sees the new version, and can still download the earlier one.
    resident = people()
    open_meeting_from_home(resident, upcoming.committee_name, upcoming.starts_at)
    current = resident.get_by_role("link", name="Agenda pack", exact=True)
    listed = resident.get_by_role("region", name="Agenda pack").locator("li").filter(has=current)
    expect(listed).to_contain_text(f"Version {newer['public'].number}")
    _, reader = fetch_pdf(resident, current)
    assert correction in pdf_text(reader).replace("\n", " ")

    resident.get_by_text(re.compile(r"Earlier versions")).click()
    earlier = pack_links(resident).filter(has_text=f"version {first.number}")
    expect(earlier).to_have_count(1)
    _, old_reader = fetch_pdf(resident, earlier)
    old_text = pdf_text(old_reader).replace("\n", " ")
    assert correction not in old_text and "42 kilometres" in old_text
    assert AgendaPack.objects.get(pk=first.pk).status == AgendaPack.Status.READY


LONG_TITLE = "Minutes of the Meeting held on Wednesday 18th April 2018"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280 px", "390 px"])
def test_a_long_title_pasted_in_is_read_whole(people, viewport):
    """A title box is as wide as the form has room for: at 1,280 px the title as the agendas
    write it shows whole (on a new report, and on an agenda item of the meeting's page); at
    390 px the box fills the phone's width, and the page does not scroll sideways."""
    page = people("officer", viewport=viewport)
    for address, box in (
        ("/admin/committee/report/add/", "#id_title"),
        ("/admin/committee/meeting/add/", "#items-group .inline-related:not(.empty-form) input[name$='-title']"),
    ):
        page.goto(address)
        if address.endswith("meeting/add/"):
            add_inline(page, "items", "Add another Agenda item")
        title = page.locator(box)
        title.fill(LONG_TITLE)
        if viewport is DESKTOP:
            assert title.evaluate("box => box.scrollWidth <= box.clientWidth"), f"the title is cut short on {address}"
        else:
            assert title.bounding_box()["width"] >= 300, f"the title box is narrow on {address} at 390 px"
        fits(page, f"{address} at {viewport['width']} px")

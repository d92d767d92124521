"""An officer starts a meeting from the standing items, adds a Part II item (its Schedule 12A
boxes appear only then), and puts the agenda in order by keyboard and by dragging, the
numbers following at once; the meeting's page passes axe-core at desktop and phone widths,
and the meetings list fits a 1,366 px screen. The page's height is printed (docs/testing.md).

The journey's actions: 2 to open a new meeting (Meetings, Add meeting: signing in lands on
the admin's home); committee, date, time, venue, "Start from the standing items" and Save
(6); the Part II item: add, number, title, Part II, paragraph, reasons, Save (7); the
reorder page, one keyboard move, one drag, Save this order (4): 19 in all (the refused drag
of the Part II item is a check, not part of the journey)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from committee.models import Meeting

from .admin import add_inline, choose, open_from_sidebar, save, success_message
from .checks import axe_violations, describe_axe, fits
from .conftest import sign_in
from .data import meeting_starts
from .harness import PHONE

pytestmark = pytest.mark.browser

COMMITTEE = "Cabinet Committee on Performance Improvement"
PART_II_ITEM = "Acquisition of Land at Preston East"
# The screen officers asked about (a common council laptop).
WIDE = {"width": 1366, "height": 768}


def _numbers(page) -> list[tuple[str, str]]:
    rows = page.locator("#agenda-order tbody tr")
    return [
        (rows.nth(i).locator(".number").inner_text(), rows.nth(i).locator(".title").inner_text())
        for i in range(rows.count())
    ]


def _height(page) -> int:
    return page.evaluate("() => document.documentElement.scrollHeight")


def test_officer_builds_an_agenda_from_the_standing_items_and_reorders_it(people, chromium, stack):
    starts = meeting_starts(60, hour=10)
    page = people("officer", viewport=WIDE)  # signing in lands an officer on the admin's home
    open_from_sidebar(page, "Meetings")
    # The list shows each meeting's state and deadline without scrolling sideways.
    fits(page, "the meetings list in the officers' admin")
    page.get_by_role("link", name=re.compile("Add meeting")).click()
    choose(page, "id_committee", "Performance", COMMITTEE)
    page.locator("#id_starts_at_0").fill(starts.strftime("%d/%m/%Y"))
    page.locator("#id_starts_at_1").fill("10:00")
    choose(page, "id_venue", "Committee Room", "Committee Room 'B'")
    page.get_by_label("Start from the standing items").check()
    save(page)
    assert "5 standing items were added" in success_message(page)

    # A Part II item: its paragraphs and reasons appear only once it is made Part II.
    item = add_inline(page, "items", "Add another Agenda item")
    item.get_by_label("Number:", exact=True).fill("6")
    item.get_by_label("Title:", exact=True).fill(PART_II_ITEM)
    reasons = item.get_by_label("Public interest reasons:", exact=True)
    expect(reasons).to_be_hidden()
    item.get_by_label("Access:", exact=True).select_option(label="Part II: exempt information (Schedule 12A)")
    expect(reasons).to_be_visible()
    item.get_by_label(re.compile(r"\b3: Information relating to the financial")).check()
    reasons.fill("Disclosing the council's valuation before the purchase completes would weaken its position.")
    save(page)
    # The Part I items show no Part II boxes.
    first = page.locator("#items-group .inline-related:not(.empty-form)").first
    expect(first.get_by_label("Public interest reasons:", exact=True)).to_be_hidden()

    # The pack comes first; the page is checked and measured at both widths.
    expect(page.locator("#agenda-pack")).to_be_visible()
    heights = {}
    # axe-core adds styles of its own, which the page's CSP refuses: it runs in a window of
    # its own, signed in as the officer, so that the journey's window reports only the page.
    checker = chromium.new_context(base_url=stack.base_url, locale="en-GB").new_page()
    sign_in(checker, "officer")
    checker.goto(page.url)
    for name, viewport in (("desktop", WIDE), ("phone", PHONE)):
        checker.set_viewport_size(viewport)
        violations = axe_violations(checker)
        assert not violations, describe_axe(f"meeting page ({name})", violations)
        heights[name] = _height(checker)
    checker.context.close()
    # Everything unfolded, as a browser without scripts shows it, for comparison.
    page.evaluate(
        "() => { document.querySelectorAll('.inline-related .form-row[hidden]').forEach(r => r.hidden = false);"
        " document.querySelectorAll('.inline-related details').forEach(d => d.open = true); }"
    )
    print(f"Meeting page height at 1,366 px: {heights['desktop']} px compact, {_height(page)} px unfolded; "
          f"{heights['phone']} px at 390 px")  # fmt: skip

    # Reorder: the Part II item is marked and stays last.
    page.get_by_role("link", name="Reorder the agenda").click()
    part_ii_row = page.locator("#agenda-order tbody tr", has_text=PART_II_ITEM)
    expect(part_ii_row.locator(".part")).to_have_text("Part II")
    expect(part_ii_row.get_by_role("button", name=re.compile("^Move up"))).to_be_disabled()

    # By keyboard: Urgent Business moves up above the minutes; the numbers follow at once.
    move_up = page.locator("#agenda-order tbody tr", has_text="Urgent Business").locator(".move-up")
    expect(move_up).to_have_text(re.compile("^Move up"))
    move_up.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#reorder-status")).to_contain_text("Urgent Business is now item 3 of 6")
    numbers = _numbers(page)
    assert numbers[2][0] == "3" and numbers[2][1] == "Urgent Business"
    expect(move_up).to_be_focused()

    # By dragging: the date of the next meeting goes to the top.
    rows = page.locator("#agenda-order tbody tr")
    rows.filter(has_text="Date of Next Meeting").locator(".title").drag_to(
        rows.first.locator(".title"), target_position={"x": 10, "y": 3}
    )
    expect(rows.first.locator(".title")).to_have_text("Date of Next Meeting")
    expect(rows.first.locator(".number")).to_have_text("1")
    # A Part II item dragged above Part I is put back.
    part_ii_row.locator(".title").drag_to(rows.first.locator(".title"), target_position={"x": 10, "y": 3})
    expect(page.locator("#reorder-status")).to_contain_text("Part II items stay after the Part I items")
    page.get_by_role("button", name="Save this order").click()
    assert "The agenda order is saved" in success_message(page)

    meeting = Meeting.objects.get(committee__name=COMMITTEE, starts_at=starts)
    assert list(meeting.items.order_by("order").values_list("number", "title")) == [
        ("1", "Date of Next Meeting"),
        ("2", "Apologies for Absence"),
        ("3", "Disclosure of Pecuniary and Non-Pecuniary Interests"),
        ("4", "Urgent Business"),
        ("5", f"Minutes of the Meeting held on {timezone.localtime(meeting.items.get(kind='minutes').minutes_of.starts_at):%A %-d %B %Y}"),
        ("6", PART_II_ITEM),
    ]  # fmt: skip
    expect(page.locator("#agenda-order tbody tr").nth(3).locator(".number")).to_have_text("4")

"""The officer's dashboard: an officer signs in, lands on what needs doing, sees an agenda
past its publication deadline and follows it to the meeting; the dashboard has no axe-core
violations on a desktop (1,366 px) or a phone (390 px). Its lists are named in plain
English."""

import re

import pytest
from playwright.sync_api import expect

from .checks import axe_violations
from .data import draft_meeting
from .harness import DESKTOP, PHONE

pytestmark = pytest.mark.browser


@pytest.fixture
def late_meeting(stack):
    """A draft meeting in two days' time: five clear working days can no longer be given."""
    meeting = draft_meeting(2)
    yield meeting
    meeting.delete()


def test_officer_lands_on_the_dashboard_and_follows_an_overdue_agenda(people, late_meeting):
    page = people("officer")  # signing in lands an officer here

    expect(page.get_by_role("heading", name="What needs doing")).to_be_visible()
    overdue = page.locator("#officer-dashboard li.dashboard-late").filter(has_text="past the deadline")
    expect(overdue.first).to_be_visible()
    assert not axe_violations(page), "dashboard at 1,366 px"
    page.set_viewport_size(PHONE)
    assert not axe_violations(page), "dashboard at 390 px"
    page.set_viewport_size(DESKTOP)

    page.get_by_role("link", name=re.compile(re.escape(str(late_meeting)) + r".*past the deadline")).click()
    expect(page).to_have_url(re.compile(rf"/admin/committee/meeting/{late_meeting.pk}/change/"))


def test_the_admin_names_each_list_in_plain_english(people):
    page = people("officer")
    lists = page.locator("th[scope=row] a")  # the home page's table of lists
    # Waits for the admin's home page (all_inner_texts does not: it read the page before).
    expect(lists.filter(has_text=re.compile(r"^Deliveries$"))).to_have_count(1)
    names = lists.all_inner_texts()
    # "Deliverys": a name Django made by adding an s to "delivery".
    assert not [name for name in names if re.search(r"[^aeiou]ys$", name)], names

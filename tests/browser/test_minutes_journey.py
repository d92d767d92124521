"""An officer minutes a meeting the day after it was held: marks it held, writes the minutes
on the one "Write the minutes" page (the standard items already worded, the attendance
filled from the committee), and publishes them; the public meeting page then shows them,
without the Part II minute. The actions the officer takes are counted (docs/testing.md)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from committee import services
from committee.demo import COMMITTEE_SLUG
from committee.models import AgendaItem, Committee, Meeting, Venue
from committee.selectors import _ordinal_date

from .admin import open_from_sidebar, success_message
from .checks import axe_violations, describe_axe, fits
from .data import meeting_starts
from .harness import PHONE

pytestmark = pytest.mark.browser

REPORT = "Library Opening Hours Review"
PART_II = "Acquisition of Land at Preston East"
MINUTE = "Paul Bond presented the review of library opening hours."
RESOLVED = "Resolved: That the Cabinet Committee note the report."
SECRET = "The Cabinet Committee agreed the purchase price of the land."
OFFICERS = "Paul Bond, Head of Legal and Democratic Services"
# At least what a small laptop shows (1,366 px) and a phone (390 px).
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def meeting(stack):
    """A meeting of the demo's committee held yesterday, its agenda published."""
    committee = Committee.objects.get(slug=COMMITTEE_SLUG)
    venue = Venue.objects.order_by("pk").first()
    meeting = services.meeting_save(meeting=Meeting(committee=committee, starts_at=meeting_starts(-1), venue=venue))
    previous = Meeting.objects.filter(committee=committee, status="minutes_published").order_by("-starts_at").first()
    items = [
        ("Apologies for Absence", "apologies"),
        ("Disclosure of Pecuniary and Non-Pecuniary Interests", "declarations"),
        ("Minutes of the Previous Meeting", "minutes"),
        (REPORT, "report"),
        (PART_II, "report"),
    ]
    for order, (title, kind) in enumerate(items, start=1):
        AgendaItem.objects.create(
            meeting=meeting, order=order, number=str(order), title=title, kind=kind,
            minutes_of=previous if kind == "minutes" else None,
        )  # fmt: skip
    item = meeting.items.get(title=PART_II)
    item.access, item.paragraph_numbers = "exempt", [3]
    item.public_interest_reasons = "Disclosing the valuation would weaken the council's position."
    item.save()
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.AGENDA_PUBLISHED, agenda_published_at=timezone.now() - timezone.timedelta(days=9)
    )
    meeting.refresh_from_db()
    yield meeting
    meeting.delete()


class Counted:
    """The officer's actions: every click and every field typed into or chosen."""

    def __init__(self, page):
        self.page, self.actions = page, 0

    def click(self, locator):
        self.actions += 1
        locator.click()

    def fill(self, locator, text):
        self.actions += 1
        locator.fill(text)

    def write(self, editor, text):
        """Type into one of the rich-text editors, as an officer does: click in, type."""
        self.actions += 1
        editor.click()
        editor.page.keyboard.press("Control+a")
        editor.page.keyboard.type(text)
        expect(editor).to_have_text(text)

    def select(self, locator, label):
        self.actions += 1
        locator.select_option(label=label)


def test_officer_marks_the_meeting_held_writes_and_publishes_the_minutes(people, meeting):
    page = people("officer")
    officer = Counted(page)  # signed in, on the admin's home
    officer.actions += 1
    open_from_sidebar(page, "Meetings")
    officer.click(page.get_by_role("link", name=str(meeting)))

    # 1. Mark as held: a confirmation page, then back to the meeting.
    officer.click(page.locator(".object-tools").get_by_role("link", name="Mark as held"))
    officer.click(page.get_by_role("button", name="Mark as held"))
    assert "marked as held" in success_message(page)

    # 2. Write the minutes: the standard items come worded, the attendance filled in.
    officer.click(page.locator(".object-tools").get_by_role("link", name="Write the minutes"))
    expect(page.get_by_role("heading", name="1. Apologies for Absence")).to_be_visible()
    # In the rich-text editor, as the officer reads it, not its HTML (docs/editor.md).
    apologies = page.locator("#item-1").get_by_role("textbox", name="Minute")
    expect(apologies).to_have_attribute("contenteditable", "true")
    expect(apologies).to_have_text("No apologies for absence were received.")
    resolution = page.locator("#item-3").get_by_role("textbox", name="Resolution")
    expect(resolution).to_contain_text("be confirmed and signed by the Chair.")
    expect(resolution).not_to_contain_text("<p>")
    expect(page.get_by_role("heading", name=f"5. {PART_II} (Part II: Paragraph 3)")).to_be_visible()
    for viewport in (LAPTOP, PHONE):
        page.set_viewport_size(viewport)
        violations = axe_violations(page)
        assert not violations, describe_axe(f"the minutes page at {viewport['width']} px", violations)
        fits(page, f"the minutes page at {viewport['width']} px")
    page.set_viewport_size(LAPTOP)

    report = page.locator("#item-4")
    officer.write(report.get_by_role("textbox", name="Minute"), MINUTE)
    officer.write(report.get_by_role("textbox", name="Resolution"), RESOLVED)
    officer.write(page.locator("#item-5").get_by_role("textbox", name="Minute"), SECRET)
    officer.fill(page.get_by_label("Officers in attendance"), OFFICERS)
    first_member = meeting.committee.memberships.exclude(role="chair").order_by("member__name").first().member
    officer.select(page.get_by_label(f"Attendance of {first_member}"), "Apologies")
    officer.click(page.get_by_role("button", name="Save the minutes"))
    assert "are saved" in success_message(page)

    # 3. Publish the minutes.
    officer.click(page.locator(".object-tools").get_by_role("link", name="Publish the minutes"))
    officer.click(page.get_by_role("button", name="Publish the minutes"))
    assert "are published" in success_message(page)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MINUTES_PUBLISHED

    # What the officer did, from the admin's home to published minutes (docs/testing.md).
    print(f"\nActions to minute a meeting: {officer.actions}")
    assert officer.actions <= 13

    # The public meeting page shows them, without the Part II minute.
    public = people()
    public.goto(meeting.get_absolute_url())
    minutes = public.locator("#minutes")
    expect(minutes).to_contain_text(MINUTE)
    expect(minutes).to_contain_text(RESOLVED)
    expect(minutes).to_contain_text("No apologies for absence were received.")
    expect(minutes).to_contain_text(f"{first_member}")
    assert SECRET not in public.content()
    held_on = _ordinal_date(timezone.localtime(meeting.items.get(number="3").minutes_of.starts_at).date())
    expect(minutes).to_contain_text(f"the meeting held on {held_on}")

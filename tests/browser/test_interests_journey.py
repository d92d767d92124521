"""An officer records a councillor's declaration of interest on an agenda item from the "Write
the minutes" page, the day after the meeting, and publishes the minutes: the declaration prints under its item in the
published minutes on the public meeting page, readable on a laptop and a phone. From the meeting's admin page to the published minutes the
officer takes 8 actions (clicks plus fields typed or chosen: 1 to open "Write the minutes",
4 fields of the declaration, 1 to record it, 2 to publish); the test fails if it takes more."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from committee import services
from committee.demo import COMMITTEE_SLUG
from committee.models import AgendaItem, Committee, Meeting, Minute, Minutes, Venue

from .admin import success_message
from .checks import axe_violations, describe_axe
from .data import meeting_starts
from .harness import PHONE

pytestmark = pytest.mark.browser

REPORT = "Highways Depot Lease Renewal"
NATURE = "Her husband is a director of the depot's landlord."
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def meeting(stack):
    """A meeting of the demo's committee held yesterday, its minutes written, not published."""
    committee = Committee.objects.get(slug=COMMITTEE_SLUG)
    venue = Venue.objects.order_by("pk").first()
    meeting = services.meeting_save(meeting=Meeting(committee=committee, starts_at=meeting_starts(-1), venue=venue))
    items = [
        ("Apologies for Absence", "apologies", "<p>No apologies for absence were received.</p>"),
        ("Disclosure of Pecuniary and Non-Pecuniary Interests", "declarations", ""),
        (REPORT, "report", "<p>The Committee noted the lease terms.</p>"),
    ]
    minutes = Minutes.objects.create(meeting=meeting)
    for order, (title, kind, text) in enumerate(items, start=1):
        item = AgendaItem.objects.create(meeting=meeting, order=order, number=str(order), title=title, kind=kind)
        Minute.objects.create(minutes=minutes, agenda_item=item, text=text)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.HELD, agenda_published_at=timezone.now() - timezone.timedelta(days=9)
    )
    meeting.refresh_from_db()
    yield meeting
    meeting.items.all().delete()
    meeting.delete()


def test_officer_records_a_declaration_on_the_minutes_page_and_it_prints_in_the_published_minutes(people, meeting):
    page = people("officer")
    page.set_viewport_size(LAPTOP)
    actions = 0

    def act(step):
        nonlocal actions
        actions += 1
        step()

    page.goto(f"/admin/committee/meeting/{meeting.pk}/change/")
    act(lambda: page.locator(".object-tools").get_by_role("link", name="Write the minutes").click())
    report = meeting.items.get(title=REPORT)
    section = page.locator(f"#declarations-{report.pk}")
    expect(section).to_contain_text("None recorded in this item.")
    act(lambda: section.get_by_label("Councillor").select_option(label="County Councillor A Atkinson"))
    act(lambda: section.get_by_label("Kind of interest").select_option(label="Disclosable pecuniary interest"))
    act(lambda: section.get_by_label("Nature").fill(NATURE))
    act(lambda: section.get_by_label("Left the room for the item").check())
    act(lambda: section.get_by_role("button", name="Record the declaration in item 3").click())
    assert "Recorded: County Councillor A Atkinson declared an interest in item 3." in success_message(page)
    expect(page.locator(f"#declarations-{report.pk}")).to_contain_text(f"disclosable pecuniary interest: {NATURE}")
    for viewport in (LAPTOP, PHONE):
        page.set_viewport_size(viewport)
        violations = axe_violations(page)
        assert not violations, describe_axe(f"the minutes page at {viewport['width']} px", violations)
    page.set_viewport_size(LAPTOP)

    # Publish the minutes from the meeting's page.
    page.goto(page.url.split("/admin/")[0] + f"/admin/committee/meeting/{meeting.pk}/change/")
    act(lambda: page.locator(".object-tools").get_by_role("link", name="Publish the minutes").click())
    act(lambda: page.get_by_role("button", name="Publish the minutes").click())
    assert "are published" in success_message(page)
    assert actions <= 8, f"{actions} actions to record a declaration and publish the minutes"

    public = people()
    public.goto(meeting.get_absolute_url())
    minutes = public.locator("#minutes")
    declared = f"A Atkinson declared a disclosable pecuniary interest: {NATURE}"
    expect(minutes).to_contain_text(declared)
    expect(minutes).to_contain_text("A Atkinson left the room for this item.")
    for viewport in (LAPTOP, PHONE):
        public.set_viewport_size(viewport)
        violations = axe_violations(public)
        assert not violations, describe_axe(f"the meeting page at {viewport['width']} px", violations)

"""An officer records a councillor's declaration of interest on an agenda item, the day after
the meeting, and publishes the minutes: the declaration prints under its item in the
published minutes on the public meeting page, readable on a laptop and a phone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from committee import services
from committee.demo import COMMITTEE_SLUG
from committee.models import AgendaItem, Committee, Meeting, Minute, Minutes, Venue

from .admin import choose, success_message
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


def test_officer_records_a_declaration_and_it_prints_in_the_published_minutes(people, meeting):
    page = people("officer")
    page.set_viewport_size(LAPTOP)
    page.get_by_role("link", name="Officers' admin").click()
    page.locator("#content-main .app-interests").get_by_role("link", name="Declarations", exact=True).click()
    page.locator(".object-tools").get_by_role("link", name="Add declaration").click()

    choose(page, "id_agenda_item", REPORT, f"3. {REPORT}")
    choose(page, "id_member", "Atkinson", "A Atkinson")
    page.get_by_label("Kind").select_option(label="Disclosable pecuniary interest")
    page.get_by_label("Nature").fill(NATURE)
    page.get_by_label("Left the room for the item").check()
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was added successfully" in success_message(page)

    # Publish the minutes from the meeting's page.
    page.goto(page.url.split("/admin/")[0] + f"/admin/committee/meeting/{meeting.pk}/change/")
    page.locator(".object-tools").get_by_role("link", name="Publish the minutes").click()
    page.get_by_role("button", name="Publish the minutes").click()
    assert "are published" in success_message(page)

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

"""Journeys: a resident subscribes to a committee's email alerts, confirms from the message
that arrives (at a real SMTP server on loopback, sent by the real worker), is told when an
agenda is published, and unsubscribes with the button the message leads to; a resident
subscribes to alerts of the forward plan and decisions, on a laptop and on a phone, and the
confirmation says what they subscribed to. axe on each page."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from alerts.models import Subscription
from committee import services
from committee.demo import COMMITTEE_SLUG
from committee.models import AgendaItem, Committee, Meeting, Report, Venue
from tests.alerts.smtp import part

from .checks import axe_violations, fits_and_passes_axe
from .data import meeting_starts
from .harness import LAPTOP, PHONE

pytestmark = pytest.mark.browser

ADDRESS = "journey.resident@example.org"


def wait_for_mail(stack, subject_start: str, timeout: float = 60, *, to: str = ADDRESS):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in stack.smtp.inbox.to(to):
            if message["Subject"].startswith(subject_start):
                return message
        time.sleep(0.3)
    pytest.fail(f"No message “{subject_start}” arrived:\n{stack.logs()}")


def link_in(message, contains: str) -> str:
    [url] = [u for u in re.findall(r"https?://\S+", part(message, "plain")) if contains in u]
    return url


def test_subscribe_confirm_receive_and_unsubscribe(people, stack, request):
    committee = Committee.objects.get(slug=COMMITTEE_SLUG)
    page = people()
    page.goto(committee.get_absolute_url())
    page.get_by_role("link", name="Email alerts for this committee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Email alerts")
    expect(page.get_by_label("Committee (for “A committee”)")).to_have_value(str(committee.pk))
    assert axe_violations(page) == []
    page.get_by_label("Your email address").fill(ADDRESS)
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert axe_violations(page) == []

    confirmation = wait_for_mail(stack, "Confirm your email alert")
    page.goto(link_in(confirmation, "/alerts/confirm/"))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your email alerts")
    expect(page.get_by_text(f"Meetings of {committee.name}")).to_be_visible()
    assert axe_violations(page) == []

    # An officer publishes an agenda: the worker tells the subscriber.
    officer = get_user_model().objects.get(username="officer")
    meeting = services.meeting_save(
        meeting=Meeting(committee=committee, starts_at=meeting_starts(47), venue=Venue.objects.order_by("pk").first())
    )
    request.addfinalizer(meeting.delete)  # the journeys after this one see the demo as it was
    item = AgendaItem.objects.create(meeting=meeting, order=1, number="1", title="Library Service Review")
    Report.objects.create(agenda_item=item, title="Library Service Review", report_of="Director of Libraries")
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    alert = wait_for_mail(stack, "Agenda published")
    assert "Library Service Review" in part(alert, "plain")
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page.goto(link_in(alert, f"/meetings/{meeting.pk}/"))
    expect(page.get_by_role("link", name="Library Service Review")).to_be_visible()

    # Unsubscribe: the link in the message, one button.
    page.goto(link_in(alert, "/alerts/unsubscribe/"))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have unsubscribed")
    assert axe_violations(page) == []
    assert not Subscription.objects.filter(subscriber__email=ADDRESS).exists()


DECISIONS = "The forward plan and decisions"


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366px", "390px"])
def test_a_resident_subscribes_to_the_forward_plan_and_decisions(people, stack, viewport):
    address = f"decisions.watcher.{viewport['width']}@example.org"
    page = people(viewport=viewport)
    page.goto("/alerts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Email alerts")
    page.get_by_label(DECISIONS).check()
    # A slip first: the form comes back with what was chosen, and its summary leads to the
    # field to change.
    page.get_by_label("Your email address").fill("decisions.watcher at example.org")
    page.get_by_role("button", name="Subscribe").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Check the form: 1 answer needs changing.")
    expect(summary).to_be_focused()  # read first, and the keyboard starts there
    fits_and_passes_axe(page, f"the alerts form come back at {viewport['width']} px")
    page.mouse.wheel(0, 5000)  # read down the page, then back by the summary's link
    summary.get_by_role("link", name=re.compile("^Your email address: ")).click()
    expect(page.get_by_label("Your email address")).to_be_in_viewport()
    expect(page.get_by_label("Your email address")).to_be_focused()
    expect(page.get_by_label(DECISIONS)).to_be_checked()
    expect(page.get_by_label("Your email address")).to_have_value("decisions.watcher at example.org")
    page.get_by_label("Your email address").fill(address)
    fits_and_passes_axe(page, f"the alerts form at {viewport['width']} px")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    confirmation = wait_for_mail(stack, "Confirm your email alert", to=address)
    assert f"asked for alerts about: {DECISIONS}." in part(confirmation, "plain")
    page.goto(link_in(confirmation, "/alerts/confirm/"))
    expect(page.get_by_role("main")).to_contain_text(f"Send alerts about: {DECISIONS} to {address}.")
    fits_and_passes_axe(page, f"the confirmation at {viewport['width']} px")
    page.get_by_role("button", name="Confirm").click()

    # The confirmed alert, as the person sees it: what they subscribed to, for their address.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your email alerts")
    expect(page.get_by_role("main")).to_contain_text(f"For {address}.")
    expect(page.locator(".alerts-list li")).to_have_count(1)
    expect(page.locator(".alerts-list li")).to_contain_text(DECISIONS)
    expect(page.locator(".alerts-list li")).not_to_contain_text("not confirmed yet")
    fits_and_passes_axe(page, f"the confirmed alerts at {viewport['width']} px")
    subscription = Subscription.objects.get(subscriber__email=address)
    assert subscription.kind == "decisions" and subscription.confirmed_at is not None
    subscription.subscriber.delete()  # the journeys after this one see the demo as it was

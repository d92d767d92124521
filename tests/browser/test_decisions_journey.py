"""Executive decisions: an officer takes a key decision from its forward plan notice to the
day it may be implemented (a decision too soon is refused with the regulation at the field);
a resident reads the forward plan on a phone, axe clean."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from decisions.models import Decision, ForwardPlanEntry

from . import data
from .admin import save, success_message, write
from .checks import fits_and_passes_axe
from .data import URGENT
from .harness import LAPTOP, PHONE

pytestmark = pytest.mark.browser

COMMITTEE = "Cabinet Committee on Performance Improvement"
MATTER = "Award of the county highways maintenance contract"
REFERENCE = "FP/2026/101"


def _day(days_ago: int):
    return timezone.localdate() - timedelta(days=days_ago)


def _uk(day) -> str:
    return day.strftime("%d/%m/%Y")


def _open_list(page, model: str) -> None:
    page.goto("/admin/")
    page.locator("#content-main .app-decisions").get_by_role("link", name=model, exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Select")


def _publish(page, link: str, day) -> None:
    page.get_by_role("link", name=link).click()
    page.get_by_label("Published on").fill(_uk(day))
    page.get_by_role("button", name=link).click()
    page.wait_for_load_state()


def test_officer_takes_a_key_decision_from_notice_to_implementation(people):
    page = people("officer")
    noticed, decided, published = _day(50), _day(15), _day(14)

    # The forward plan entry: over the threshold, so a key decision.
    _open_list(page, "Forward plan entries")
    page.get_by_role("link", name=re.compile("Add forward plan entry")).click()
    page.get_by_label("Reference:").fill(REFERENCE)
    page.get_by_label("Title:").fill(MATTER)
    page.get_by_label("Maker:").select_option(label=COMMITTEE)
    page.locator("#id_decision_due").fill(_uk(decided))
    page.get_by_label("Amount:").fill("2500000")
    save(page)
    expect(page.locator(".field-is_key_decision img[alt='True']")).to_be_visible()
    # The journey cannot wait 28 days: the entry was recorded two months ago (a notice is not
    # dated before the entry it gives notice of; tests/decisions/test_typed_dates.py).
    data.recorded_on(ForwardPlanEntry, _day(60), reference=REFERENCE)

    # The notice (reg 9): published (the officer records the day it went out).
    _publish(page, "Publish the notice", noticed)
    taken_from = noticed + timedelta(days=29)
    assert f"may be taken from {taken_from:%-d %B %Y}" in success_message(page)

    # The decision, first dated too soon: refused at the field, with the regulation.
    _open_list(page, "Decisions")
    page.get_by_role("link", name=re.compile("Add decision")).click()
    page.get_by_label("Title:").fill(MATTER)
    page.get_by_label("Maker:").select_option(label=COMMITTEE)
    page.get_by_label("Plan entry:").select_option(label=f"{REFERENCE}: {MATTER}")
    page.get_by_label("Is key decision").check()
    page.locator("#id_decided_on").fill(_uk(noticed + timedelta(days=10)))
    write(page, "Decision", "Resolved: That the contract be awarded to the preferred bidder.")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".field-decided_on .errorlist")).to_contain_text("28 clear days, reg 9")
    expect(page.locator(".field-plan_entry .errorlist")).to_contain_text("reg 10")

    page.locator("#id_decided_on").fill(_uk(decided))
    save(page)
    data.recorded_on(Decision, decided, title=MATTER)  # recorded on the day it was taken

    # The decision notice starts the call-in clock; it has run out.
    _publish(page, "Publish the decision notice", published)
    message = success_message(page)
    assert "Call-in until the end of" in message and "may be implemented from" in message

    public = people()
    public.goto("/decisions/")
    public.get_by_role("link", name=MATTER).click()
    expect(public.get_by_role("heading", level=1)).to_have_text(MATTER)
    expect(public.locator(".decision-status")).to_have_text("May be implemented")
    expect(public.get_by_text(f"forward plan {REFERENCE}")).to_be_visible()
    # The plan entry has left the forward plan: it is decided.
    public.goto("/forward-plan/")
    expect(public.get_by_role("link", name=MATTER)).to_have_count(0)


def test_a_resident_reads_the_forward_plan_on_a_phone(people):
    page = people(viewport=PHONE)
    page.goto("/")
    page.get_by_role("button", name="Menu").click()  # a phone folds the links behind the menu
    page.get_by_role("link", name="Forward plan").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forward plan of key decisions")
    entry = page.get_by_role("link", name=re.compile("Illustrative example"))
    expect(entry).to_be_visible()
    fits_and_passes_axe(page, "the forward plan on a phone")

    entry.click()
    expect(page.get_by_text("Spending or savings of £12,000,000")).to_be_visible()
    fits_and_passes_axe(page, "a forward plan entry on a phone")


@pytest.fixture
def urgent_and_private(stack):
    with data.urgent_and_private():
        yield


def test_a_resident_reads_the_special_urgency_decisions_and_the_private_meeting_notices(people, urgent_and_private):
    page = people()
    page.goto("/decisions/")
    page.get_by_role("link", name="by quarter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Special urgency decisions")
    expect(page.get_by_role("link", name=URGENT)).to_be_visible()
    for viewport in (LAPTOP, PHONE):
        page.set_viewport_size(viewport)
        fits_and_passes_axe(page, f"special urgency decisions at {viewport['width']} px")

    page.goto("/forward-plan/")
    page.get_by_role("link", name="the notices of private meetings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings to be held in private")
    expect(page.get_by_text("Item 1: Disposal of the depot.")).to_be_visible()
    for viewport in (LAPTOP, PHONE):
        page.set_viewport_size(viewport)
        fits_and_passes_axe(page, f"private meeting notices at {viewport['width']} px")

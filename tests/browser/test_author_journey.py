"""A report author edits the report they are named on, is told why they cannot open another's
or change a published one, and reads their Part II report; the appendix form shows only the
chosen kind's field and has no accessibility violations on a desktop and a phone."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from committee import services
from committee.models import Access, AgendaItem, Report

from .checks import axe_violations, describe_axe
from .data import draft_meeting
from .harness import PHONE

pytestmark = pytest.mark.browser

MINE = "Highways Winter Gritting Review"
THEIRS = "Libraries Stock Review"


@pytest.fixture
def reports(stack):
    meeting = draft_meeting(61)
    made = {}
    for order, title in enumerate((MINE, THEIRS), start=1):
        item = AgendaItem.objects.create(meeting=meeting, order=order, number=str(order), title=title, kind="report")
        made[title] = Report.objects.create(agenda_item=item, title=title, report_of="Director of Highways")
    made[MINE].authors.add(get_user_model().objects.get(username="author"))
    yield made
    meeting.delete()


def test_author_edits_their_report_only(people, reports):
    page = people("author")
    mine, theirs = reports[MINE], reports[THEIRS]
    page.goto(f"/admin/committee/report/{mine.pk}/change/")
    page.get_by_role("textbox", name="Title").fill(f"{MINE} 2018")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    mine.refresh_from_db()
    assert mine.title == f"{MINE} 2018"

    # Another author's report: refused with the reason, not a missing page or an error.
    page.goto(f"/admin/committee/report/{theirs.pk}/change/")
    expect(page.locator(".messagelist")).to_contain_text("You are not named as an author of this report")

    # The appendix form: only the chosen kind's field shows; no violations, desktop and phone.
    page.goto("/admin/committee/appendix/add/")
    expect(page.get_by_label("Document")).to_be_visible()
    expect(page.get_by_label("Data to show")).to_be_hidden()
    page.get_by_label("Kind").select_option("structured")
    expect(page.get_by_label("Data to show")).to_be_visible()
    expect(page.get_by_label("Document")).to_be_hidden()
    for where, size in (("appendix form", {"width": 1366, "height": 768}), ("appendix form on a phone", PHONE)):
        page.set_viewport_size(size)
        violations = _axe(page)
        assert not violations, describe_axe(where, violations)


def _axe(page) -> list[dict]:
    """axe-core itself adds <style> elements while it measures, which the page's policy
    blocks: those reports are the checker's, not the page's, and are left out."""
    reports = page.context.csp_violations
    before = len(reports)
    violations = axe_violations(page)
    page.evaluate("1")  # let the checker's reports arrive
    del reports[before:]
    return violations


def test_author_reads_their_part_ii_report_but_cannot_change_it_once_published(people, reports):
    mine = reports[MINE]
    item = mine.agenda_item
    item.access, item.public_interest_reasons = Access.EXEMPT, "Commercially sensitive prices."
    item.paragraph_numbers = [3]
    item.save()
    services.meeting_publish_agenda(meeting=item.meeting, by=None, late_reasons="Urgent.")
    page = people("author")
    page.goto(mine.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text(MINE)
    page.goto(f"/admin/committee/report/{mine.pk}/change/")
    expect(page.locator(".messagelist")).to_contain_text("correction needs a democratic services officer")
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    # The public cannot read it.
    public = people()
    assert public.goto(mine.get_absolute_url()).status == 404

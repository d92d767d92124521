"""The officers' pages at 390 px do not scroll sideways (WCAG 1.4.10, reflow): a wide table
scrolls inside its own box (a record's history, the agenda on the reorder page), and a text
box is never wider than the screen (the reason asked for calling a meeting off)."""

import pytest

from committee.models import Meeting, Report

from .checks import fits
from .harness import PHONE

pytestmark = pytest.mark.browser


def test_the_officers_pages_fit_a_phone(people):
    meeting = Meeting.objects.filter(agenda_published_at__isnull=False, status="agenda_published").first()
    report = Report.objects.filter(agenda_item__meeting=meeting).first()
    page = people("officer", viewport=PHONE)
    for address in (
        f"/admin/committee/meeting/{meeting.pk}/agenda/",
        f"/admin/committee/meeting/{meeting.pk}/cancel/",
        f"/admin/committee/meeting/{meeting.pk}/history/",
        f"/admin/committee/report/{report.pk}/history/",
    ):
        page.goto(address)
        fits(page, f"{address} at 390 px")

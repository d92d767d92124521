"""Screenshots of the main pages at a desktop and a phone width, and of a KPI table and the
SEND plan's contents (scrolled to). `make screenshots` saves them to docs/screenshots/ for
the README; any other run takes them into a temporary folder, so that the suite checks every
page can be pictured without rewriting tracked files. The README shows every picture taken,
and only those."""

import os
import re
import struct
from pathlib import Path

import pytest
from django.urls import reverse

from committee import gate
from committee.demo import COMMITTEE_SLUG, demo_meeting, demo_report
from performance.models import PerformanceReportSnapshot
from send_actions.models import ActionPlan

from .harness import BASE_DIR, DESKTOP, PHONE

pytestmark = pytest.mark.browser

DOCS_SCREENSHOTS = BASE_DIR / "docs" / "screenshots"


@pytest.fixture
def screenshots(tmp_path) -> Path:
    """docs/screenshots/ when asked for (QUORUM_SCREENSHOTS=docs), else a temporary folder."""
    return DOCS_SCREENSHOTS if os.environ.get("QUORUM_SCREENSHOTS") == "docs" else tmp_path


def _shots(upcoming) -> list[tuple[str, str, str | None, str | None]]:
    """(stable name, address, who, what to scroll to) for each page the README shows."""
    reported_kpis = gate.structured_readable(gate.Reader.public(), PerformanceReportSnapshot).order_by("pk").first()
    send_plan = ActionPlan.objects.filter(published_at__isnull=False).order_by("pk").first()
    return [
        ("home", "/", None, None),
        ("meeting", demo_meeting("2018-06-27").get_absolute_url(), None, None),
        ("report", demo_report("Quarterly Corporate Performance").get_absolute_url(), None, None),
        ("committee", reverse("committee:committee-detail", args=[COMMITTEE_SLUG]), None, None),
        ("calendar", reverse("committee:calendar") + "?month=2018-06", None, None),
        ("search", reverse("committee:search") + "?q=youth+justice", None, None),
        # Where signing in lands a councillor: the upcoming meeting with its packs, new papers.
        ("your-meetings", reverse("committee:your-meetings"), "cllr.driver", None),
        ("admin-meeting", reverse("admin:committee_meeting_change", args=[upcoming.meeting_id]), "officer", None),
        ("kpi-table", reported_kpis.get_absolute_url(), None, "table.kpi"),
        ("send-plan", send_plan.get_absolute_url(), None, "nav.contents"),
        ("admin-dashboard", reverse("admin:index"), "officer", None),
        (
            "admin-minutes",
            reverse("admin:committee_meeting_minutes", args=[demo_meeting("2018-04-18").pk]),
            "officer",
            None,
        ),
    ]


def _png_size(path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_screenshots_of_the_main_pages(people, upcoming, upcoming_packs, screenshots):
    screenshots.mkdir(parents=True, exist_ok=True)
    saved = []
    for width_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        pages = {}
        for name, path, who, scroll_to in _shots(upcoming):
            if who not in pages:
                pages[who] = people(who, viewport=viewport)
            page = pages[who]
            response = page.goto(path)
            assert response.status == 200, path
            if scroll_to:
                # The part of a long page the picture is of, at the top of the screen.
                page.locator(scroll_to).first.evaluate("element => element.scrollIntoView()")
            target = screenshots / f"{name}-{width_name}.png"
            page.screenshot(path=str(target), animations="disabled", caret="hide")
            saved.append((target, viewport))
    for target, viewport in saved:
        # Device pixels equal CSS pixels here, so the picture is exactly the viewport.
        assert _png_size(target) == (viewport["width"], viewport["height"]), target
    # A page added here is shown in the README, and the README shows no picture left behind.
    shown = set(re.findall(r"\(docs/screenshots/([\w-]+\.png)\)", (BASE_DIR / "README.md").read_text()))
    assert shown == {target.name for target, _ in saved}

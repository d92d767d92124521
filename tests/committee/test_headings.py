"""Headings inside a paper's text sit below the heading they are printed under, on the page
and in the pack: an outline without jumps (WCAG 1.3.1, PDF/UA)."""

import re

import pytest
from django.core.management import call_command

from committee.models import Report
from core.richtext import level_headings

pytestmark = pytest.mark.django_db


def test_levels_close_up_below_the_given_top():
    assert level_headings("<h4>A</h4><p>x</p><h5>B</h5>", 3) == "<h3>A</h3><p>x</p><h4>B</h4>"
    assert level_headings("<h2>A</h2><h4>B</h4>", 3) == "<h3>A</h3><h4>B</h4>"
    assert level_headings("<p>No headings</p>", 3) == "<p>No headings</p>"
    assert level_headings("<h2>A</h2><h3>B</h3><h4>C</h4><h5>D</h5>", 5) == "<h5>A</h5><h6>B</h6><h6>C</h6><h6>D</h6>"


def _levels(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])\b", html)]


def test_no_heading_level_is_skipped_on_any_demo_report_page(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for report in Report.objects.filter(first_published_at__isnull=False):
        page = client.get(report.get_absolute_url()).content.decode()
        main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
        levels = _levels(main)
        jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        assert not jumps, f"{report.title}: heading levels jump {jumps}"


def test_the_filter_sanitises_text_that_was_not_stored_as_rich_text():
    from django.utils.safestring import mark_safe

    from core.templatetags.quorum import headings_from

    assert headings_from("<h4>A</h4><script>alert(1)</script>", 3) == "<h3>A</h3>"
    assert headings_from(mark_safe("<h4>A</h4>"), 3) == "<h3>A</h3>"

"""An officer attaches the corporate risk register and the quarterly KPI report to a report
of a published agenda, choosing each by the name officers know it by; the published packs
are built again by themselves, and the public report page shows both tables.

From the report's page in the admin to both appendices saved takes 9 actions: for each
appendix "Add another Appendix", its letter, title, kind and data to show (4 after the
first click), and one save."""

import pytest
from playwright.sync_api import expect

from committee import gate, services
from committee.models import AgendaItem, Report
from performance.models import PerformanceReportSnapshot
from performance.selectors import choice_label
from risks.models import RegisterSnapshot
from risks.selectors import snapshot_choice_label

from .admin import add_inline, save, success_message
from .data import draft_meeting, wait_for_packs

pytestmark = pytest.mark.browser

TITLE = "Corporate Performance and Risk: Quarter 4"


@pytest.fixture
def published_report(stack):
    meeting = draft_meeting(64)
    item = AgendaItem.objects.create(meeting=meeting, order=1, number="1", title=TITLE, kind="report")
    report = Report.objects.create(
        agenda_item=item,
        title=TITLE,
        report_of="Director of Corporate Services",
        executive_summary="<p>The register and the measures at the end of the quarter.</p>",
    )
    services.meeting_publish_agenda(meeting=meeting, by=None)
    first = wait_for_packs(meeting.pk)
    yield report, first
    meeting.delete()


def test_officer_attaches_the_risk_register_and_a_kpi_report_by_name(people, published_report):
    report, first = published_report
    public = gate.Reader.public()
    register = gate.structured_readable(public, RegisterSnapshot).order_by("pk").first()
    kpis = gate.structured_readable(public, PerformanceReportSnapshot).order_by("pk").first()

    page = people("officer")
    page.goto(f"/admin/committee/report/{report.pk}/change/")
    for letter, title, label in (
        ("A", "Corporate Risk and Opportunity Register", snapshot_choice_label(register)),
        ("B", "Quarterly Performance Report", choice_label(kpis)),
    ):
        appendix = add_inline(page, "appendices", "Add another Appendix")
        appendix.get_by_label("Letter:", exact=True).fill(letter)
        appendix.get_by_label("Title:", exact=True).fill(title)
        appendix.get_by_label("Kind:", exact=True).select_option(
            label="Structured data (register, performance report, action plan)"
        )
        appendix.get_by_label("Data to show").select_option(label=label)
    save(page, "Save")
    assert "was changed successfully" in success_message(page)

    # The packs of the published agenda are built again, with the tables in them.
    newer = wait_for_packs(report.agenda_item.meeting_id, newer_than=first["public"].number)
    assert newer["public"].pages > first["public"].pages

    resident = people()
    resident.goto(report.get_absolute_url())
    expect(resident.get_by_role("heading", name="Corporate Risk and Opportunity Register")).to_have_count(1)
    expect(resident.locator("table.kpi").first).to_be_visible()
    expect(resident.get_by_role("table").filter(has_text="Risk Identification Number")).not_to_have_count(0)

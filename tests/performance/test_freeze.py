"""A report reported to a meeting is frozen: corrections change later reports, not that one."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committee.models import Appendix
from performance import services
from performance.models import PerformanceReportSnapshot, Value
from tests.performance.factories import MeasureFactory, fy, presented_report, value

pytestmark = pytest.mark.django_db


@pytest.fixture
def measure():
    m = MeasureFactory(name="Percentage of contacts that led to a referral during the year")
    value(m, fy(2016), 32, 1)
    value(m, fy(2017), "32.2", 1, is_provisional=True)
    return m


def test_correcting_a_value_leaves_the_reported_report_unchanged(client, committee, officer, measure):
    snapshot, committee_report = presented_report(committee, officer, [measure])
    before_report_page = client.get(committee_report.get_absolute_url()).content.decode()
    assert "32.2%" in before_report_page

    services.value_record(
        measure=measure, period=fy(2017), value=Decimal("33.4"), decimal_places=1,
        by=officer, reason="Final published figure",
    )  # fmt: skip

    # The meeting's papers, the report page and the export still show what was reported.
    report_page = client.get(committee_report.get_absolute_url()).content.decode()
    assert "32.2%" in report_page and "33.4%" not in report_page
    snapshot_page = client.get(snapshot.get_absolute_url()).content.decode()
    assert "32.2%" in snapshot_page and "33.4%" not in snapshot_page
    export = client.get(reverse("performance:report-export", args=[snapshot.pk, "csv"])).content.decode()
    assert "32.2%" in export and "33.4%" not in export

    # The correction keeps the old figure in the value's history, with its reason.
    current = Value.objects.get(measure=measure, period=fy(2017))
    history = list(current.history.order_by("history_date"))
    assert [str(h.value.normalize()) for h in history] == ["32.2", "33.4"]
    assert history[-1].history_change_reason == "Final published figure"
    assert history[-1].history_user == officer

    # Reporting again makes a new frozen report with the corrected figure; the old one stays.
    again = services.performance_report_freeze(report=snapshot.report, by=officer)
    assert again.pk != snapshot.pk
    group = again.layout["sections"][0]["tables"][0]["groups"][0]
    assert group["rows"][0]["latest"]["value"] == "33.4"
    snapshot.refresh_from_db()
    assert snapshot.layout["sections"][0]["tables"][0]["groups"][0]["rows"][0]["latest"]["value"] == "32.2"


def test_recording_the_same_figure_again_adds_no_history(measure):
    current = Value.objects.get(measure=measure, period=fy(2016))
    services.value_record(measure=measure, period=fy(2016), value=current.value, decimal_places=1)
    assert current.history.count() == 1


def test_reported_reports_cannot_be_edited_or_deleted_in_the_admin(client, committee, officer, measure):
    snapshot, _ = presented_report(committee, officer, [measure])
    client.force_login(officer)
    change = reverse("admin:performance_performancereportsnapshot_change", args=[snapshot.pk])
    page = client.get(change)
    assert page.status_code == 200 and 'type="submit"' not in page.content.decode().split('id="content-main"')[1]
    assert client.post(change, {"title": "Changed"}).status_code == 403
    delete = reverse("admin:performance_performancereportsnapshot_delete", args=[snapshot.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert PerformanceReportSnapshot.objects.get(pk=snapshot.pk).title == snapshot.title


def test_the_report_sits_within_the_committee_report_without_a_letter(committee, officer, measure):
    snapshot, committee_report = presented_report(committee, officer, [measure])
    appendix = Appendix.objects.get(report=committee_report, kind="structured")
    assert appendix.placement == "within_report" and appendix.letter == "" and appendix.structured == snapshot
    # One performance report per committee report: a second is refused, nothing changes.
    with pytest.raises(ValidationError):
        services.performance_report_present(report=snapshot.report, committee_report=committee_report, by=officer)
    assert PerformanceReportSnapshot.objects.count() == 1


def test_report_to_meeting_from_the_admin(client, committee, officer, measure):
    from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory
    from tests.performance.factories import report_with

    report = report_with([measure])
    committee_report = ReportFactory(agenda_item=AgendaItemFactory(meeting=MeetingFactory(committee=committee)))
    client.force_login(officer)
    url = reverse("admin:performance_performancereport_report_to_meeting", args=[report.pk])
    assert "Freeze and report" in client.get(url).content.decode()
    response = client.post(url, {"committee_report": committee_report.pk})
    snapshot = PerformanceReportSnapshot.objects.get(report=report)
    assert response.status_code == 302 and response["Location"] == snapshot.get_absolute_url()
    assert snapshot.frozen_by == officer
    assert Appendix.objects.filter(report=committee_report, object_id=snapshot.pk, placement="within_report").exists()


def test_report_authors_cannot_report_to_a_meeting(client, author, measure):
    from tests.performance.factories import report_with

    report = report_with([measure])
    client.force_login(author)
    url = reverse("admin:performance_performancereport_report_to_meeting", args=[report.pk])
    assert client.get(url).status_code == 403

"""The officers' admin for performance monitoring: every page loads, edits keep history."""

import pytest
from django.contrib import admin
from django.urls import reverse

from performance.models import Measure, PerformanceReportSnapshot
from tests.performance.factories import MeasureFactory, fy, report_with, value

pytestmark = pytest.mark.django_db


def test_every_performance_admin_page_loads_for_an_officer(client, officer):
    measure = MeasureFactory()
    value(measure, fy(2017), "32.2", 1)
    report = report_with([measure])
    client.force_login(officer)
    for model in admin.site._registry:
        if model._meta.app_label != "performance":
            continue
        info = f"admin:performance_{model._meta.model_name}"
        assert client.get(reverse(f"{info}_changelist")).status_code == 200, model
        add = client.get(reverse(f"{info}_add")).status_code
        # Reported reports are made only by reporting to a meeting, never added by hand.
        assert add == (403 if model is PerformanceReportSnapshot else 200), model
        first = model.objects.first()
        if first is not None:
            assert client.get(reverse(f"{info}_change", args=[first.pk])).status_code == 200, model
    for name in ("value", "comparator"):
        assert client.get(reverse(f"admin:performance_{name}_import")).status_code == 200
    page = client.get(reverse("admin:performance_performancereport_change", args=[report.pk])).content.decode()
    assert "Report to a meeting" in page and "Preview" in page


def test_the_public_cannot_enter_the_performance_admin(client):
    response = client.get(reverse("admin:performance_measure_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_measure_edits_keep_history(client, officer):
    measure = MeasureFactory(name="Old name", code="old-name")
    client.force_login(officer)
    url = reverse("admin:performance_measure_change", args=[measure.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        name="Percentage of contacts that led to a referral during the year", service_area=measure.service_area_id
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    measure = Measure.objects.get(pk=measure.pk)
    assert measure.history.count() == 2 and measure.history.first().history_user == officer

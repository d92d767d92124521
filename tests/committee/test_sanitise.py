"""Rich text is stored harmless, whatever path writes it."""

import pytest

from committee.models import Report
from core.richtext import sanitise
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

ATTACK = '<p onclick="steal()">Summary</p><script>alert("x")</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">link</a>'


def test_sanitise_keeps_structure_and_drops_script():
    html = sanitise("<h3>Issues</h3><ul><li><strong>On-going</strong></li></ul>" + ATTACK)
    assert "<h3>Issues</h3><ul><li><strong>On-going</strong></li></ul>" in html
    for bad in ("<script", "onclick", "onerror", "javascript:", "<img"):
        assert bad not in html


def test_script_typed_into_a_report_is_stored_harmless():
    report = ReportFactory(executive_summary=ATTACK)
    stored = Report.objects.values_list("executive_summary", flat=True).get(pk=report.pk)
    assert "<script" not in stored and "onclick" not in stored and "javascript:" not in stored
    assert "Summary" in stored


def test_queryset_update_is_sanitised_too():
    report = ReportFactory()
    Report.objects.filter(pk=report.pk).update(recommendation=ATTACK)
    stored = Report.objects.values_list("recommendation", flat=True).get(pk=report.pk)
    assert "<script" not in stored


def test_officer_typing_a_script_in_the_admin_cannot_reach_the_public_page(client, officer):
    report = ReportFactory()
    client.force_login(officer)
    url = f"/admin/committee/report/{report.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: v if isinstance(v := form[name].value(), list) else v or "" for name in form.fields}
    data.update(
        {
            "agenda_item": report.agenda_item_id,
            "executive_summary": "<p>Plan</p><script>document.cookie</script>",
            "background_papers-TOTAL_FORMS": 0,
            "background_papers-INITIAL_FORMS": 0,
            "appendices-TOTAL_FORMS": 0,
            "appendices-INITIAL_FORMS": 0,
        }
    )
    data.pop("contact", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    report.refresh_from_db()
    assert report.executive_summary == "<p>Plan</p>"

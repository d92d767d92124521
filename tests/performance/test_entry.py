"""The officers' grid: a service area's figures for a period, saved all together or not at all."""

from decimal import Decimal

import pytest
from django.urls import reverse

from performance.models import Value
from tests.performance.factories import MeasureFactory, ServiceAreaFactory, fy, value

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    area = ServiceAreaFactory()
    contacts = MeasureFactory(
        service_area=area, code="contacts", name="Number of contacts", unit="count", order=1, decimal_places=0
    )
    referrals = MeasureFactory(
        service_area=area, code="referrals", name="Number and rate of referrals", unit="rate_10k",
        reports_count=True, order=2,
    )  # fmt: skip
    caseload = MeasureFactory(service_area=area, code="caseload", name="Average caseload", unit="number", order=3)
    value(contacts, fy(2017), 33000)
    return area, contacts, referrals, caseload


def grid_data(rows: list[dict]) -> dict:
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows))}
    for i, row in enumerate(rows):
        for key, val in row.items():
            data[f"form-{i}-{key}"] = val
    return data


def test_officer_enters_a_quarter_in_one_grid(client, officer, area):
    area, contacts, referrals, caseload = area
    client.force_login(officer)
    url = reverse("performance:entry-grid", args=[area.pk, fy(2017).pk])
    page = client.get(url).content.decode()
    assert "33,000" in page  # the current figure, ready to correct
    assert 'aria-label="Figure: Number and rate of referrals"' in page
    response = client.post(
        url,
        grid_data(
            [
                {"value": "33,353", "is_provisional": "on"},
                {"value": "419.4", "count": "10,337"},
                {"value": "22.0", "note": "Snapshot as at 31 March"},
            ]
        ),
    )
    assert response.status_code == 302
    assert Value.objects.get(measure=contacts).value == 33353
    assert Value.objects.get(measure=contacts).history.count() == 2  # the correction keeps the old figure
    r = Value.objects.get(measure=referrals)
    assert (r.value, r.decimal_places, r.count) == (Decimal("419.4"), 1, 10337)
    c = Value.objects.get(measure=caseload)
    assert (c.value, c.decimal_places, c.note) == (Decimal("22.0"), 1, "Snapshot as at 31 March")


def test_one_bad_row_saves_nothing(client, officer, area):
    area, contacts, referrals, caseload = area
    client.force_login(officer)
    url = reverse("performance:entry-grid", args=[area.pk, fy(2017).pk])
    response = client.post(
        url,
        grid_data([{"value": "34000"}, {"value": "419.4"}, {"value": "22.0"}]),  # the rate lacks its count
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Nothing was saved" in page
    assert "Number and rate of referrals: This measure reports its count as well" in page
    assert Value.objects.get(measure=contacts).value == 33000
    assert not Value.objects.filter(measure__in=[referrals, caseload]).exists()


def test_a_figure_that_is_not_a_number_is_refused_in_its_row(client, officer, area):
    area, *_ = area
    client.force_login(officer)
    url = reverse("performance:entry-grid", args=[area.pk, fy(2017).pk])
    page = client.post(url, grid_data([{"value": "about 34k"}, {}, {}])).content.decode()
    assert "Type a number, as it should be printed" in page
    assert Value.objects.count() == 1


def test_retired_measures_are_not_in_the_grid(client, officer, area):
    area, contacts, referrals, caseload = area
    caseload.retired = fy(2016).end
    caseload.save()
    client.force_login(officer)
    page = client.get(reverse("performance:entry-grid", args=[area.pk, fy(2017).pk])).content.decode()
    assert "Average caseload" not in page and "Number of contacts" in page


def test_choosing_the_grid(client, officer, area):
    area, *_ = area
    client.force_login(officer)
    response = client.get(reverse("performance:entry-choose"), {"service_area": area.pk, "period": fy(2017).pk})
    assert response["Location"] == reverse("performance:entry-grid", args=[area.pk, fy(2017).pk])
    page = client.get(reverse("performance:entry-choose")).content.decode()
    assert '<label for="id_service_area">' in page and '<label for="id_period">' in page


def test_a_grid_saved_from_a_stale_copy_is_refused_and_keeps_what_was_typed(client, officer, area, django_user_model):
    area, contacts, referrals, caseload = area
    url = reverse("performance:entry-grid", args=[area.pk, fy(2017).pk])
    client.force_login(officer)
    stale_page = client.get(url)
    seen = stale_page.context["version_seen"]
    colleague = django_user_model.objects.create_user("colleague", first_name="Carol", last_name="Cotton")
    value(contacts, fy(2017), 34000, by=colleague)  # saved by a colleague meanwhile

    stale = grid_data([{"value": "33,000"}, {"value": "419.4", "count": "10,337"}, {"value": "22.0"}])
    response = client.post(url, {**stale, "version_seen": seen})

    assert response.status_code == 200
    page = response.content.decode()
    assert "While you had this page open, Carol Cotton saved figures for Number of contacts." in page
    assert 'value="419.4"' in page  # what the officer typed is still in the grid
    assert Value.objects.get(measure=contacts).value == 34000
    assert not Value.objects.filter(measure=referrals).exists()

    again = {**stale, "version_seen": response.context["version_seen"]}
    assert client.post(url, again).status_code == 302  # saving again, having read the message, is deliberate
    assert Value.objects.get(measure=contacts).value == 33000


def test_an_untouched_grid_writes_nothing(client, officer, area):
    area, contacts, *_ = area
    url = reverse("performance:entry-grid", args=[area.pk, fy(2017).pk])
    client.force_login(officer)
    seen = client.get(url).context["version_seen"]
    rows = grid_data([{"value": "33,000"}, {"value": ""}, {"value": ""}])
    assert client.post(url, {**rows, "version_seen": seen}).status_code == 302
    assert Value.objects.get(measure=contacts).history.count() == 1

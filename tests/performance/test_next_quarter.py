"""Start the next quarter (performance.services.quarter_start_next), from the admin."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from performance import selectors, services
from performance.models import ReportingPeriod

pytestmark = pytest.mark.django_db

QUARTER = ReportingPeriod.Kind.QUARTER


def _quarter(label, start, end):
    return ReportingPeriod.objects.create(kind=QUARTER, label=label, start=start, end=end)


def test_the_quarter_after_q4_is_q1_of_the_next_financial_year():
    _quarter("Q3 2017/18", date(2017, 10, 1), date(2017, 12, 31))
    q4 = _quarter("Q4 2017/18", date(2018, 1, 1), date(2018, 3, 31))

    assert selectors.last_quarter() == q4
    period = services.quarter_start_after(quarter=q4)

    assert (period.label, period.start, period.end) == ("Q1 2018/19", date(2018, 4, 1), date(2018, 6, 30))


def test_the_quarter_after_q3_crosses_the_calendar_year():
    q3 = _quarter("Q3 2017/18", date(2017, 10, 1), date(2017, 12, 31))

    assert selectors.quarter_after(q3) == {"label": "Q4 2017/18", "start": date(2018, 1, 1), "end": date(2018, 3, 31)}


def test_starting_a_quarter_that_exists_is_refused_and_changes_nothing():
    q4 = _quarter("Q4 2017/18", date(2018, 1, 1), date(2018, 3, 31))
    services.quarter_start_after(quarter=q4)
    before = ReportingPeriod.objects.count()

    with pytest.raises(ValidationError, match="already been started"):
        services.quarter_start_after(quarter=q4)
    assert ReportingPeriod.objects.count() == before


def test_the_officer_starts_the_next_quarter_from_the_admin(client, officer):
    _quarter("Q4 2017/18", date(2018, 1, 1), date(2018, 3, 31))
    client.force_login(officer)
    url = reverse("admin:performance_reportingperiod_next_quarter")

    assert url in client.get(reverse("admin:performance_reportingperiod_changelist")).content.decode()
    assert "Q1 2018/19" in client.get(url).content.decode()
    response = client.post(url, {"after": selectors.last_quarter().pk})

    assert response.status_code == 302
    assert ReportingPeriod.objects.filter(label="Q1 2018/19", kind=QUARTER).exists()


def test_a_confirmation_after_a_colleague_started_it_answers_with_the_page_and_the_reason_not_a_500(client, officer):
    q4 = _quarter("Q4 2017/18", date(2018, 1, 1), date(2018, 3, 31))
    client.force_login(officer)
    url = reverse("admin:performance_reportingperiod_next_quarter")
    client.get(url)  # the page proposes Q1 2018/19 ...
    services.quarter_start_after(quarter=q4)  # ... which a colleague starts meanwhile

    response = client.post(url, {"after": q4.pk})

    assert response.status_code == 200
    assert "Q1 2018/19 has already been started" in response.content.decode()
    assert ReportingPeriod.objects.filter(kind=QUARTER).count() == 2

"""Query counts do not grow with the number of measures in a report."""

import pytest
from django.urls import reverse

from performance import selectors
from tests.performance.factories import MeasureFactory, england, fy, presented_report, report_with, value

pytestmark = pytest.mark.django_db


def measures(n: int):
    made = []
    for i in range(n):
        m = MeasureFactory(unit="rate_10k", reports_count=True) if i % 2 else MeasureFactory()
        value(m, fy(2016), "10.5", 1, count=100 if i % 2 else None)
        value(m, fy(2017), "11.5", 1, count=120 if i % 2 else None)
        england(m, fy(2017), "12.0", 1)
        made.append(m)
    return made


@pytest.mark.parametrize("n", [3, 12])
def test_report_layout_queries_are_constant(django_assert_num_queries, n):
    report = report_with(measures(n))
    # sections, tables, groups, rows with measures, commentary, values, comparators, targets
    with django_assert_num_queries(8):
        layout = selectors.report_layout(report)
    assert len(layout["sections"][0]["tables"][0]["groups"][0]["rows"]) == n


@pytest.mark.parametrize("n", [3, 12])
def test_public_report_page_queries_are_constant(client, committee, officer, django_assert_num_queries, n):
    snapshot, _ = presented_report(committee, officer, measures(n))
    url = snapshot.get_absolute_url()
    client.get(url)  # the content type is cached after the first look-up
    # 1. the reported report, through the gate (its readable appendix as a subquery)
    # 2. the committee reports it was presented in (with meeting and committee)
    with django_assert_num_queries(2):
        page = client.get(url)
    assert page.content.decode().count('<th scope="row"') == n


@pytest.mark.parametrize("n", [3, 12])
def test_export_queries_are_constant(client, committee, officer, django_assert_num_queries, n):
    snapshot, _ = presented_report(committee, officer, measures(n))
    url = reverse("performance:report-export", args=[snapshot.pk, "xlsx"])
    client.get(url)
    # 1. the reported report, through the gate
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [3, 12])
def test_committee_report_page_adds_no_query_per_measure(client, committee, officer, django_assert_num_queries, n):
    snapshot, committee_report = presented_report(committee, officer, measures(n))
    url = committee_report.get_absolute_url()
    client.get(url)
    # committee/: the report, its background papers and readable appendices (3);
    # the structured appendix's row (1). performance/ adds none: its context is the frozen layout.
    with django_assert_num_queries(4):
        page = client.get(url)
    assert page.content.decode().count('<th scope="row"') == n


@pytest.mark.parametrize("n", [3, 12])
def test_public_measure_page_queries_are_constant(client, committee, officer, django_assert_num_queries, n):
    made = measures(n)
    presented_report(committee, officer, made)
    url = reverse("performance:measure-detail", args=[made[0].pk])
    client.get(url)
    # 1. the measure (with service area and directorate)  2. the readable reported reports
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [3, 12])
def test_entry_grid_queries_are_constant(client, officer, django_assert_num_queries, n):
    made = measures(n)
    client.force_login(officer)
    url = reverse("performance:entry-grid", args=[made[0].service_area_id, fy(2017).pk])
    client.get(url)
    # session, user, the user's own and their groups' permissions (2), service area,
    # period, measures, their values for the period
    with django_assert_num_queries(8):
        page = client.get(url)
    assert page.content.decode().count('<th scope="row"') == n

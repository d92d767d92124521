"""RAG status and direction of travel, from each measure's polarity."""

from decimal import Decimal as D

import pytest

from performance import selectors
from performance.figures import direction_of_travel, rag_status
from performance.models import Measure, Target
from tests.performance.factories import MeasureFactory, england, fy, presented_report, report_with, value


@pytest.mark.parametrize(
    ("polarity", "value", "benchmark", "margin", "expected"),
    [
        ("high", D("90"), D("89"), None, "green"),
        ("high", D("89"), D("89"), None, "green"),  # meeting the benchmark is on track
        ("high", D("88"), D("89"), None, "red"),
        ("high", D("88"), D("89"), D("2"), "amber"),
        ("high", D("86"), D("89"), D("2"), "red"),
        ("low", D("17.1"), D("25.0"), None, "green"),
        ("low", D("25.0"), D("17.1"), None, "red"),
        ("low", D("18"), D("17.1"), D("1"), "amber"),
        ("neither", D("33353"), D("1"), None, None),
        ("high", D("1"), None, None, None),
    ],
)
def test_rag_from_polarity_and_benchmark(polarity, value, benchmark, margin, expected):
    assert rag_status(polarity, value, benchmark, margin) == expected


@pytest.mark.parametrize(
    ("polarity", "previous", "latest", "expected"),
    [
        ("high", D("32.0"), D("32.2"), "improving_up"),
        ("high", D("97"), D("64"), "worsening_down"),
        ("low", D("26.9"), D("25.0"), "improving_down"),
        ("low", D("403.9"), D("419.4"), "worsening_up"),
        ("low", D("19.0"), D("19.0"), "no_change"),
        ("neither", D("31873"), D("33353"), "up"),
        ("neither", D("2"), D("1"), "down"),
        ("high", None, D("26.0"), None),  # a new measure has no direction yet
    ],
)
def test_direction_of_travel_from_polarity(polarity, previous, latest, expected):
    assert direction_of_travel(polarity, previous, latest) == expected


@pytest.mark.django_db
def test_rag_computed_against_england_average_when_configured(client, committee, officer):
    better = MeasureFactory(name="Carers receiving direct payments", rag_basis=Measure.RagBasis.ENGLAND)
    worse = MeasureFactory(
        name="Assessments over 45 days", polarity="low", rag_basis=Measure.RagBasis.ENGLAND, amber_margin=D("10")
    )
    uncomputed = MeasureFactory(name="Children in need")
    for m, (prev, latest, avg) in {
        better: (98.3, 98.6, 74.3),
        worse: (26.9, 25.0, 17.1),
        uncomputed: (7, 8, 9),
    }.items():
        value(m, fy(2016), prev, 1)
        value(m, fy(2017), latest, 1)
        england(m, fy(2017), avg, 1)
    snapshot, _ = presented_report(committee, officer, [better, worse, uncomputed])
    page = client.get(snapshot.get_absolute_url()).content.decode()
    assert "RAG computed against England average" in page
    rows = {row["label"]: row for row in snapshot.layout["sections"][0]["tables"][0]["groups"][0]["rows"]}
    assert rows[better.name]["rag"] == "green"
    assert rows[worse.name]["rag"] == "amber"  # 7.9 points above the average, within the 10-point margin
    assert rows[uncomputed.name]["rag"] is None  # no rule and no officer status: the report gives none
    # Status in words as well as colour.
    assert "On track/good" in page and "Slightly below desired level" in page and "Not rated" in page
    # Direction from polarity: 26.9% -> 25.0% with low good is an improvement, shown in words.
    assert rows[worse.name]["direction"] == "improving_down"
    assert "Improving" in page


@pytest.mark.django_db
def test_rag_against_target_and_set_by_officer():
    against_target = MeasureFactory(rag_basis=Measure.RagBasis.TARGET)
    by_officer = MeasureFactory()
    value(against_target, fy(2017), 60, 0)
    Target.objects.create(measure=against_target, period=fy(2017), value=D("70"))
    value(by_officer, fy(2017), 60, 0, rag="amber")
    layout = selectors.report_layout(report_with([against_target, by_officer]))
    rows = layout["sections"][0]["tables"][0]["groups"][0]["rows"]
    assert [row["rag"] for row in rows] == ["red", "amber"]
    assert layout["sections"][0]["tables"][0]["rag_notes"] == ["RAG computed against target"]


@pytest.mark.django_db
def test_without_rag_the_tables_have_no_status_column(client, committee, officer):
    m = MeasureFactory()
    value(m, fy(2017), 50, 0)
    snapshot, report = presented_report(committee, officer, [m])
    page = client.get(report.get_absolute_url()).content.decode()
    assert '<th scope="col">Status</th>' not in page
    assert "Key for performance:" in page  # the key is printed, as in the seed

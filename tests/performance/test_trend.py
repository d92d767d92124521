"""Trend charts: inline SVG drawn on the server, with a title, a description and a table,
readable in the browser and in a PDF."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from performance.figures import trend_chart
from tests.performance.factories import MeasureFactory, PeriodFactory, fy, presented_report, value

pytestmark = pytest.mark.django_db


def test_chart_geometry_runs_left_to_right_and_high_is_up():
    chart = trend_chart(
        [("2015/16", Decimal("40"), "40%"), ("2016/17", Decimal("46"), "46%"), ("2017/18", Decimal("43"), "43%")]
    )
    xs = [p.x for p in chart.points]
    assert xs == sorted(xs) and xs[0] == chart.plot_left and xs[-1] == chart.plot_right
    assert chart.points[1].y == chart.plot_top  # the highest figure at the top
    assert chart.top_text == "46%" and chart.bottom_text == "0"  # the scale starts at zero
    assert trend_chart([]) is None


@pytest.fixture
def measure():
    m = MeasureFactory(name="% of recycling, re-use and composting", unit="percentage", decimal_places=0)
    value(m, PeriodFactory(label="2015/16", short_label="15/16", start="2015-04-01", end="2016-03-31"), 45)
    value(m, fy(2016), 46)
    value(m, fy(2017), 43, is_forecast=True)
    # A figure for a later period, not reported yet.
    value(m, PeriodFactory(label="2018/19", short_label="18/19", start="2018-04-01", end="2019-03-31"), 99)
    return m


def test_public_trend_shows_the_reported_figures_only(client, committee, officer, measure):
    presented_report(committee, officer, [measure])
    page = client.get(reverse("performance:measure-detail", args=[measure.pk])).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="trend-title trend-desc"' in page
    assert '<title id="trend-title">Trend of % of recycling, re-use and composting</title>' in page
    assert '<desc id="trend-desc">2015/16: 45%; 2016/17: 46%; 2017/18: 43% 17/18 forecast</desc>' in page
    assert "<td>Forecast</td>" in page
    assert "99%" not in page and "2018/19" not in page


@pytest.mark.pdf
def test_the_chart_reads_in_a_pdf(client, committee, officer, measure):
    from weasyprint import HTML

    presented_report(committee, officer, [measure])
    page = client.get(reverse("performance:measure-detail", args=[measure.pk])).content.decode()
    pdf = HTML(string=page, base_url="http://localhost/").write_pdf()
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    # The axis labels are drawn from the SVG's text, and the table follows it.
    assert "2015/16" in text and "2017/18" in text and "46%" in text

"""The demo reproduces every KPI table of the seed's Q4 2017/18 report, in the portal and
in the pack, written from numbers stored as numbers."""

import io
import re
import tomllib
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from committee import demo as committee_demo
from committee.models import Appendix
from performance import demo
from performance.models import Measure, PerformanceReportSnapshot, ReportingPeriod, Value

pytestmark = pytest.mark.django_db

SEED = tomllib.loads(demo.DEMO_FILE.read_text(encoding="utf-8"))
TITLE = "Quarterly Corporate Performance Monitoring Report"


def seed_rows():
    """(table, row) for every row of the seed's KPI tables, as transcribed."""
    return [
        (table, row)
        for section in SEED["sections"]
        for table in section["tables"]
        for group in table["groups"]
        for row in group["rows"]
    ]


def expected_cells(table, row) -> list[str]:
    cells = [row.get("label", row["name"])]
    if table["polarity_header"]:
        cells.append(row["good"])
    cells += [row["previous"], row["latest"]]
    if table["comparator_header"]:
        cells.append(row["england"])
    return cells


class TableRows(HTMLParser):
    """The text of every table row of a page, cell by cell."""

    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def rows_of(html: str) -> dict[str, list[str]]:
    parser = TableRows()
    parser.feed(html)
    return {row[0]: row for row in parser.rows if row}


@pytest.fixture
def loaded():
    committee_demo.load()
    assert demo.load() is True
    return committee_demo.demo_report(TITLE)


def test_the_seed_has_every_table(loaded):
    assert len(seed_rows()) == 56
    assert Measure.objects.count() == 56


def test_every_seed_cell_is_written_back_as_the_seed_writes_it(client, loaded):
    page = client.get(loaded.get_absolute_url()).content.decode()
    rows = rows_of(page)
    for table, row in seed_rows():
        expected = expected_cells(table, row)
        assert rows.get(expected[0]) == expected, expected[0]


def test_numbers_are_stored_as_numbers(loaded):
    fy2016 = ReportingPeriod.objects.get(kind="financial_year", label="2016/17")
    referrals = Value.objects.get(measure__code="csc-referrals", period=fy2016)
    assert (referrals.value, referrals.count, referrals.decimal_places) == (Decimal("403.9"), 9907, 1)
    seven = Value.objects.get(measure__code="street-lighting-repair-days", period__label="2017/18")
    seven_days = Value.objects.get(measure__code="street-lighting-fault-days-all", period__label="2017/18")
    assert seven.value == seven_days.value == 7 and (seven.decimal_places, seven_days.decimal_places) == (0, 1)
    forecast = Value.objects.get(measure__code="waste-recycling", period__label="2017/18")
    assert forecast.value == 43 and forecast.is_forecast
    q4 = Value.objects.get(measure__code="planning-minerals-waste-13-weeks", period__label="Q4 2016/17")
    assert (q4.value, q4.qualifier) == (50, "Q4")
    assert Value.objects.filter(period__label="2017/18", is_provisional=True).count() == 28  # the two noted tables
    absence = Value.objects.get(measure__code="school-absence", period__kind="academic_year", period__label="2016/17")
    assert absence.value == Decimal("4.3")


def test_headers_notes_quirks_and_commentary(client, loaded):
    page = client.get(loaded.get_absolute_url()).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split()).replace("&#x27;", "'").replace("&amp;", "&")
    for fragment in [
        "Performance Summary Education and Children's Services",
        "Key for performance: On track/good Slightly below desired level Requires improvement",
        "Performance Measure Good is High or Low 2016/17 2017/18 England Average",
        "Performance Measure Good is High or Low Previous Period Latest Available England Average",
        "Performance Measure Good is High or Low 2016/17 2017/18 Street lighting and highways",  # no England column
        "Fault Category 2016/17 2017/18 All Faults 4.6 days 7.0 days",
        "Performance Indicator Good is: H/L 2016/17 2017/18 England Average",
        "Troubled Families Unit Good is High or Low 2016/17 17/18 year to date England Average",
        "Note: The figures for 2017/18 are not the final, published figures and should be treated as estimates.",
        "Note: ASCOF refers to the Adult Social Care Outcomes Framework which is a suite of national performance indicators.",
        "Each of these 10 cases have a draft Education, Health and Care plan which was issued",
        "The aim is to achieve as close as possible to 2,500 payment by results claims by 30 June 2018.",
    ]:
        assert fragment in text, fragment
    assert text.count("should be treated as estimates") == 2
    # The KPI tables sit between the Recommendation and Consultations, as in the seed (read
    # after the page's contents list, which names them in the same order).
    body = text[text.index("Back to contents") :]
    assert body.index("Recommendation") < body.index("Performance Summary") < body.index("Consultations")


def test_it_sits_within_the_report_and_leaves_the_lettered_appendices_alone(loaded):
    snapshot = PerformanceReportSnapshot.objects.get()
    appendix = Appendix.objects.get(report=loaded, kind="structured", object_id=snapshot.pk)
    assert appendix.placement == "within_report" and appendix.letter == ""
    assert sorted(a.letter for a in loaded.appendices.exclude(pk=appendix.pk)) == ["A", "C"]
    assert snapshot.report.period.label == "Q4 2017/18"


def test_loading_again_changes_nothing(loaded):
    counts = (Value.objects.count(), PerformanceReportSnapshot.objects.count(), Appendix.objects.count())
    assert demo.load() is False
    assert counts == (Value.objects.count(), PerformanceReportSnapshot.objects.count(), Appendix.objects.count())


def test_no_rag_status_is_invented(loaded):
    layout = PerformanceReportSnapshot.objects.get().layout
    assert not [r for s in layout["sections"] for t in s["tables"] for g in t["groups"] for r in g["rows"] if r["rag"]]


@pytest.mark.pdf
def test_every_seed_cell_is_in_the_pack(loaded):
    """The pack renders the same template with medium "pdf" through WeasyPrint."""
    from weasyprint import HTML

    from committee.templatetags.papers import structured_appendix

    appendix = Appendix.objects.get(report=loaded, kind="structured")
    body = structured_appendix({"request": None}, appendix, medium="pdf")
    pdf = HTML(string=f"<!DOCTYPE html><html lang='en'><body>{body}</body></html>").write_pdf()
    text = "".join("".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages).split())
    missing = [
        cell
        for table, row in seed_rows()
        for cell in expected_cells(table, row)[1:]
        if "".join(cell.split()) not in text
    ]
    assert missing == []
    assert "Averagecaseloadpersocialworker(snapshotasat31March)" in text
    assert "These tables with status" not in body  # the web page's link is not in the pack


def test_every_scrolling_table_is_named_apart(client, loaded):
    """A screen reader lists the page's regions by name: each KPI table's scroll box is named
    by its own caption, not all "Performance measures" (axe: landmark-unique)."""
    snapshot = PerformanceReportSnapshot.objects.get()
    for url in (loaded.get_absolute_url(), snapshot.get_absolute_url()):
        page = client.get(url).content.decode()
        labels = re.findall(r'role="region" aria-label="([^"]*)"', page)
        assert len(labels) > 5, url
        assert len(labels) == len(set(labels)), labels

"""The public register pages: the gate, the table (filters, sorting, exports), the heat map,
the entry page and its chart, and the queries they make."""

import csv
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from openpyxl import load_workbook

from committee.models import Appendix
from risks import services
from risks.models import RegisterSnapshot
from tests.factories import ReportFactory, exempt

from .conftest import make_entry

pytestmark = pytest.mark.django_db


def _rows(response) -> list[str]:
    """The references of the table rows, in order."""
    html = response.content.decode()
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    return [part.split("/")[0] for part in table.split("entries/")[1:]]


# The gate ---------------------------------------------------------------------------------


def test_a_reported_snapshot_is_public(client, reported):
    response = client.get(reported.get_absolute_url())
    assert response.status_code == 200
    assert "Corporate Risk and Opportunity Register Q1 2018/19" in response.content.decode()
    assert client.get("/risks/").content.decode().count(reported.get_absolute_url()) == 1


def test_a_snapshot_not_yet_reported_is_hidden_from_the_public_but_not_officers(client, register, entries, officer):
    snapshot = services.snapshot_take(register=register, period_label="Q1 2018/19", by=officer)
    assert client.get(snapshot.get_absolute_url()).status_code == 404
    assert client.get(snapshot.get_absolute_url() + "entries/CR1/").status_code == 404
    assert snapshot.get_absolute_url() not in client.get("/risks/").content.decode()
    client.force_login(officer)
    assert client.get(snapshot.get_absolute_url()).status_code == 200


def test_a_snapshot_on_an_unpublished_agenda_is_hidden(client, register, entries, officer):
    snapshot = services.snapshot_take(register=register, period_label="Q1 2018/19", by=officer, lock=True)
    services.snapshot_attach(snapshot=snapshot, report=ReportFactory(), by=officer)
    assert client.get(snapshot.get_absolute_url()).status_code == 404


def test_a_snapshot_in_a_part_ii_report_is_for_the_committee_only(
    client, register, entries, officer, committee, councillor, other_councillor
):
    report = ReportFactory(agenda_item__meeting__committee=committee)
    exempt(report.agenda_item, 3)
    from committee import services as committee_services

    committee_services.meeting_publish_agenda(meeting=report.agenda_item.meeting, by=officer)
    snapshot = services.snapshot_take(register=register, period_label="Q1 2018/19", by=officer, lock=True)
    services.snapshot_attach(snapshot=snapshot, report=report, by=officer)
    assert client.get(snapshot.get_absolute_url()).status_code == 404
    client.force_login(other_councillor)
    assert client.get(snapshot.get_absolute_url()).status_code == 404
    client.force_login(councillor)
    assert client.get(snapshot.get_absolute_url()).status_code == 200


# The table ----------------------------------------------------------------------------------


def test_the_table_lists_every_entry_with_its_scores_and_bands(client, reported):
    response = client.get(reported.get_absolute_url())
    html = response.content.decode()
    assert _rows(response) == ["CR1", "CR2", "CR5", "CR10", "CO2"]
    assert "16 High" in html and "8 Medium" in html  # CR10's residual 2 x 4
    assert '<th scope="row"><a href="/risks/snapshots/' in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kind=opportunity", ["CO2"]),
        ("kind=risk", ["CR1", "CR2", "CR5", "CR10"]),
        ("risk_type=Social", ["CR2", "CR10"]),
        ("owner=CMT", ["CR5", "CR10"]),
        ("min_residual=15", ["CR1", "CR2", "CO2"]),
        ("kind=risk&min_residual=12&owner=CMT", ["CR5"]),
        ("sort=-residual_score", ["CR1", "CR2", "CO2", "CR5", "CR10"]),
        ("sort=reference", ["CR1", "CR2", "CR5", "CR10", "CO2"]),
    ],
)
def test_filters_and_sorting(client, reported, query, expected):
    response = client.get(f"{reported.get_absolute_url()}?{query}")
    rows = _rows(response)
    if query.startswith("sort=-residual"):
        assert rows[:3] in (["CR1", "CR2", "CO2"], ["CR2", "CR1", "CO2"])  # 16, 16, then 15
        assert rows[3:] == ["CR5", "CR10"]
    else:
        assert rows == expected


def test_bad_filter_values_are_explained_not_fatal(client, reported):
    response = client.get(f"{reported.get_absolute_url()}?min_residual=lots&owner=Nobody")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a number." in html and "Select a valid choice." in html
    assert _rows(response) == ["CR1", "CR2", "CR5", "CR10", "CO2"]


def test_csv_export_has_every_column_in_plain_text(client, reported):
    response = client.get(f"{reported.get_absolute_url()}?_export=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "corporate-risk-and-opportunity-register-q1-201819.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["Reference"] for row in rows] == ["CR1", "CR2", "CR5", "CR10", "CO2"]
    cr10 = rows[3]
    assert cr10["Residual score"] == "8" and cr10["Band (residual)"] == "Medium"
    assert cr10["Likelihood (residual)"] == "2" and cr10["Impact (residual)"] == "4"
    assert cr10["Mitigating or maximising actions"] == "• Action of CR10"
    assert cr10["Type"] == "Organisational/Social"


def test_export_follows_the_filters(client, reported):
    response = client.get(f"{reported.get_absolute_url()}?kind=opportunity&_export=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["Reference"] for row in rows] == ["CO2"]


def test_xlsx_export_opens_as_a_workbook(client, reported):
    response = client.get(f"{reported.get_absolute_url()}?_export=xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    header = values[0]
    assert header[0] == "Reference" and "Residual score" in header
    assert [row[0] for row in values[1:]] == ["CR1", "CR2", "CR5", "CR10", "CO2"]
    assert values[4][header.index("Residual score")] == 8


def test_exports_do_not_carry_spreadsheet_formulas(client, register, published_report, officer):
    make_entry(register, "CR1", title='=HYPERLINK("http://example.com")', owner="+CMT")
    snapshot = services.snapshot_take(register=register, period_label="Q1", by=officer, lock=True)
    services.snapshot_attach(snapshot=snapshot, report=published_report, by=officer)
    row = next(csv.DictReader(io.StringIO(client.get(f"{snapshot.get_absolute_url()}?_export=csv").content.decode())))
    assert row["Description"].startswith("'=") and row["Owner"] == "'+CMT"
    sheet = load_workbook(io.BytesIO(client.get(f"{snapshot.get_absolute_url()}?_export=xlsx").content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


# Heat map and key ---------------------------------------------------------------------------


def test_heat_map_places_rated_entries_and_lists_score_only_entries(client, reported):
    html = client.get(reported.get_absolute_url()).content.decode()
    heat_map = html[html.index('id="heat-map"') : html.index('id="key"')]
    # CR10 is rated 2 x 4: it sits in the cell of likelihood 2 (Unlikely), impact 4 (Major).
    major_row = heat_map[heat_map.index("4 Major") : heat_map.index("3 Moderate")]
    cells = major_row.split("<td")[1:]
    assert "CR10" in cells[1] and "<strong>8</strong> Medium" in cells[1]
    # The others have only scores: listed by score, not placed.
    listed = heat_map[heat_map.index("Score known, likelihood and impact not recorded") :]
    assert "16 High" in listed and "CR1</a>, " in listed and "CR2</a>" in listed
    assert "15 High" in listed and "CO2" in listed
    assert "12 High" in listed and "CR5" in listed and "CR10" not in listed


def test_key_to_scores_reads_without_colour(client, reported):
    html = client.get(reported.get_absolute_url()).content.decode()
    key = html[html.index('id="key"') :]
    assert "5 Catastrophic (for risk) / Outstanding (for opportunity)" in key
    assert "1 Rare" in key and "5 Certain" in key
    assert "<strong>25</strong> High" in key and "<strong>1</strong> Low" in key and "<strong>6</strong> Medium" in key


# Entry page ---------------------------------------------------------------------------------


def test_entry_page_shows_the_entry_as_reported_with_its_scores_across_quarters(client, register, entries, officer):
    report_q1 = ReportFactory()
    report_q2 = ReportFactory(agenda_item__meeting=report_q1.agenda_item.meeting)
    from committee import services as committee_services

    committee_services.meeting_publish_agenda(meeting=report_q1.agenda_item.meeting, by=officer)
    q1 = services.snapshot_take(register=register, period_label="Q1 2018/19", by=officer, lock=True)
    services.snapshot_attach(snapshot=q1, report=report_q1, by=officer)
    cr1 = entries[0]
    cr1.residual_score = 20
    services.entry_save(entry=cr1)
    q2 = services.snapshot_take(register=register, period_label="Q2 2018/19", by=officer, lock=True)
    services.snapshot_attach(snapshot=q2, report=report_q2, by=officer)

    html = client.get(f"{q2.get_absolute_url()}entries/CR1/").content.decode()
    assert "<h1>CR1: Entry CR1</h1>" in html
    assert "likelihood and impact not recorded" in html
    assert "Up: the risk has increased" in html and "(was 16)" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    assert "Q1 2018/19: risk score 20, residual score 16. Q2 2018/19: risk score 20, residual score 20." in html
    table = html[html.index("scores by quarter") :]
    assert table.index("Q1 2018/19") < table.index("Q2 2018/19 (this snapshot)")
    assert client.get(f"{q2.get_absolute_url()}entries/CR99/").status_code == 404


def test_entry_page_only_charts_quarters_the_reader_may_see(client, register, entries, officer, published_report):
    services.snapshot_take(register=register, period_label="Q4 2017/18", by=officer, lock=True)  # never reported
    q1 = services.snapshot_take(register=register, period_label="Q1 2018/19", by=officer, lock=True)
    services.snapshot_attach(snapshot=q1, report=published_report, by=officer)
    html = client.get(f"{q1.get_absolute_url()}entries/CR1/").content.decode()
    assert "Q4 2017/18" not in html


# Queries ----------------------------------------------------------------------------------


def _report_register(register, officer, report, count: int) -> RegisterSnapshot:
    for n in range(1, count + 1):
        make_entry(register, f"CR{n}", types=("Economic", "Social"), owner=f"Owner {n % 3}")
    snapshot = services.snapshot_take(register=register, period_label=f"Q{count}", by=officer, lock=True)
    services.snapshot_attach(snapshot=snapshot, report=report, by=officer)
    return snapshot


@pytest.mark.parametrize("count", [3, 15])
def test_register_page_queries_do_not_grow_with_the_entries(
    client, register, officer, published_report, django_assert_num_queries, count
):
    snapshot = _report_register(register, officer, published_report, count)
    ContentType.objects.get_for_model(RegisterSnapshot)  # the content type cache is warm in a running site
    ContentType.objects.get_for_model(Appendix)
    # 1 the snapshot, through the gate (appendix subquery) with its register and previous
    # 2-3 every entry and their types (heat map, filter choices, counts)
    # 4-5 the entries the filters leave and their types (the table)
    # 6 the report appendices that carry the snapshot (the "Reported to" list)
    with django_assert_num_queries(6):
        response = client.get(f"{snapshot.get_absolute_url()}?risk_type=Social&sort=-residual_score")
    assert response.status_code == 200
    assert len(_rows(response)) == count


@pytest.mark.parametrize("count", [3, 15])
def test_export_and_entry_page_queries_do_not_grow(
    client, register, officer, published_report, django_assert_num_queries, count
):
    snapshot = _report_register(register, officer, published_report, count)
    ContentType.objects.get_for_model(RegisterSnapshot)
    # snapshot; all entries + types; filtered entries + types
    with django_assert_num_queries(5):
        client.get(f"{snapshot.get_absolute_url()}?_export=xlsx")
    # snapshot; the entry + its types; the entry in every readable snapshot (gate subquery);
    # the readable snapshots of the register in order, to work each row's direction of travel
    # out against the one before it that this reader may read (derived figures follow the gate)
    with django_assert_num_queries(5):
        client.get(f"{snapshot.get_absolute_url()}entries/CR2/")

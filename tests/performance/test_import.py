"""Imports from CSV and XLSX: previewed, row-level errors, and all or nothing."""

import io
from decimal import Decimal

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from performance.models import ReportingPeriod, Value
from performance.resources import ValueResource
from tests.performance.factories import MeasureFactory, PeriodFactory, fy, value

pytestmark = pytest.mark.django_db

HEADERS = ["measure", "period", "value", "count", "is_provisional"]


@pytest.fixture
def measures():
    referrals = MeasureFactory(code="csc-referrals", unit="rate_10k", reports_count=True, polarity="low")
    contacts = MeasureFactory(code="csc-contacts", unit="count", polarity="neither", decimal_places=0)
    value(contacts, fy(2016), 31873)
    return referrals, contacts


def _errors(result) -> str:
    """Every row's error messages: exceptions and validation errors alike."""
    return " ".join(
        [str(e.error) for _, row_errors in result.row_errors() for e in row_errors]
        + [" ".join(m for ms in row.error_dict.values() for m in ms) for row in result.invalid_rows]
    )


def snapshot_of_values():
    return sorted(Value.objects.values_list("measure__code", "period__label", "value", "decimal_places", "count"))


def test_a_good_file_imports_with_its_decimal_places(measures):
    referrals, contacts = measures
    fy(2017)
    data = tablib.Dataset(
        ["csc-referrals", "2017/18", "419.4", "10337", "yes"],
        ["csc-contacts", "2017/18", "33,353", "", ""],
        ["csc-contacts", "2016/17", "31873", "", ""],  # unchanged: skipped
        headers=HEADERS,
    )
    result = ValueResource().import_data(data, dry_run=False, raise_errors=False)
    assert not result.has_errors() and not result.has_validation_errors()
    referral = Value.objects.get(measure=referrals, period__label="2017/18")
    assert (referral.value, referral.decimal_places, referral.count, referral.is_provisional) == (
        Decimal("419.4"), 1, 10337, True,
    )  # fmt: skip
    assert Value.objects.get(measure=contacts, period__label="2017/18").value == 33353
    assert referral.history.first().history_change_reason == "Imported from a file"


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (["csc-nonsense", "2017/18", "12", "", ""], "No measure has the code 'csc-nonsense'"),
        (["csc-contacts", "2017/18", "lots", "", ""], "'lots' is not a number"),
        (["csc-contacts", "2017/18", "12.5", "", ""], "A count is a whole number"),
        (["csc-referrals", "2017/18", "419.4", "", ""], "give the count"),
        (["csc-contacts", "Q9 2017/18", "12", "", ""], "No period is labelled 'Q9 2017/18'"),
    ],
)
def test_a_file_with_one_bad_row_changes_nothing(measures, bad_row, message):
    fy(2017)
    before = snapshot_of_values()
    data = tablib.Dataset(
        ["csc-contacts", "2017/18", "33353", "", ""],  # a good row first: it must not be kept
        bad_row,
        ["csc-contacts", "2016/17", "99999", "", ""],  # a correction: it must not be kept either
        headers=HEADERS,
    )
    result = ValueResource().import_data(data, dry_run=False, raise_errors=False)
    assert result.has_errors() or result.has_validation_errors()
    assert message in _errors(result)
    assert snapshot_of_values() == before


def test_an_ambiguous_period_label_needs_its_kind(measures):
    _, contacts = measures
    PeriodFactory(kind=ReportingPeriod.Kind.ACADEMIC_YEAR, label="2016/17", start="2016-09-01", end="2017-08-31")
    data = tablib.Dataset(["csc-contacts", "2016/17", "5", ""], headers=["measure", "period", "value", "period_kind"])
    result = ValueResource().import_data(data, dry_run=False)
    assert "names more than one period" in _errors(result)
    assert not Value.objects.filter(value=5).exists()
    data = tablib.Dataset(
        ["csc-contacts", "2016/17", "5", "academic_year"], headers=["measure", "period", "value", "period_kind"]
    )
    result = ValueResource().import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Value.objects.get(measure=contacts, period__kind="academic_year").value == 5


def test_an_export_imports_again_unchanged_where_labels_name_two_periods(measures):
    _, contacts = measures  # a value for the financial year 2016/17
    school_year = PeriodFactory(
        kind=ReportingPeriod.Kind.ACADEMIC_YEAR, label="2016/17", start="2016-09-01", end="2017-08-31"
    )
    Value.objects.create(measure=contacts, period=school_year, value=5, decimal_places=0)
    history = Value.history.count()
    result = ValueResource().import_data(ValueResource().export(Value.objects.all()), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), _errors(result)
    assert result.totals["skip"] == 2
    assert Value.history.count() == history


def _xlsx(rows, *, hidden_sheet=False, hidden_row=False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if hidden_row:
        sheet.row_dimensions[3].hidden = True
    if hidden_sheet:
        book.create_sheet("Workings").sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _admin_import(client, content: bytes, name: str, fmt: int):
    return client.post(
        reverse("admin:performance_value_import"),
        {"format": fmt, "import_file": SimpleUploadedFile(name, content), "resource": 0},
    )


def test_admin_previews_an_xlsx_import_then_confirms_it(client, officer, measures):
    fy(2017)
    client.force_login(officer)
    content = _xlsx([HEADERS, ["csc-contacts", "2017/18", 33353, None, None]])
    preview = _admin_import(client, content, "values.xlsx", 1)
    page = preview.content.decode()
    assert preview.status_code == 200 and "Confirm import" in page and "33353" in page
    assert not Value.objects.filter(period__label="2017/18").exists()  # a preview changes nothing
    confirm = preview.context["confirm_form"]
    response = client.post(reverse("admin:performance_value_process_import"), confirm.initial)
    assert response.status_code == 302
    assert Value.objects.get(period__label="2017/18").value == 33353


def test_admin_shows_row_errors_and_offers_no_confirmation(client, officer, measures):
    fy(2017)
    client.force_login(officer)
    csv = b"measure,period,value\ncsc-contacts,2017/18,33353\ncsc-contacts,2017/18,lots\n"
    page = _admin_import(client, csv, "values.csv", 0).content.decode()
    assert "is not a number" in page and "Confirm import" not in page
    assert not Value.objects.filter(period__label="2017/18").exists()


@pytest.mark.parametrize("hidden", [{"hidden_sheet": True}, {"hidden_row": True}])
def test_workbooks_with_hidden_data_are_refused(client, officer, measures, hidden):
    fy(2017)
    client.force_login(officer)
    content = _xlsx(
        [HEADERS, ["csc-contacts", "2017/18", 1, None, None], ["csc-contacts", "2016/17", 2, None, None]], **hidden
    )
    page = _admin_import(client, content, "values.xlsx", 1).content.decode()
    assert "hidden" in page and "Confirm import" not in page
    assert snapshot_of_values() == [("csc-contacts", "2016/17", Decimal("31873"), 0, None)]

"""No export can carry a live formula: text typed as =HYPERLINK(...), +1, -2+3 or @SUM(A1)
comes out of every CSV and XLSX (and every other format the admin offers) as text that
starts with an apostrophe, and numbers stay numbers, negative ones too."""

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import tablib
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from core.exports import SafeExportResource, safe_cell, spreadsheet_dataset
from performance import services as performance_services
from performance.models import Comparator, Value
from risks import services as risk_services
from risks.models import Entry
from send_actions.models import KeyTask
from tests.performance.factories import MeasureFactory, england, fy, presented_report, value
from tests.risks.conftest import make_entry, published_report, register  # noqa: F401 - fixtures
from tests.send_actions.plans import make_plan

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]

pytestmark = pytest.mark.django_db


def test_text_that_starts_like_a_formula_is_quoted_and_nothing_else_changes():
    for payload in PAYLOADS:
        assert safe_cell(payload) == "'" + payload
    assert safe_cell("Director of Children's Services") == "Director of Children's Services"
    assert safe_cell("A-1 = 2") == "A-1 = 2"
    # A negative number written out is read as that number: it stays as written.
    for figure in ("-2.5", "-1,250", "-3.0%"):
        assert safe_cell(figure) == figure
    for formula in ("-2+3", "-1+cmd|' /C calc'!A0", "-2.5 ", "-A1", "--1", "-1e3"):
        assert safe_cell(formula) == "'" + formula
    for number in (16, -2, -2.5, Decimal("-0.5"), date(2018, 4, 1), True, None):
        assert safe_cell(number) == number


def test_a_dataset_of_safe_cells():
    dataset = spreadsheet_dataset(["=Heading", "Figure"], [["=1+1", -3], ["plain", Decimal("-2.5")]], title="Sheet")
    assert dataset.headers == ["'=Heading", "Figure"]
    assert list(dataset) == [("'=1+1", -3), ("plain", Decimal("-2.5"))]


# What every export is checked against ------------------------------------------------------


def _cells_csv(content: bytes, delimiter: str = ",") -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for cell in row]


def _assert_csv_safe(content: bytes, payloads=PAYLOADS, delimiter: str = ","):
    cells = _cells_csv(content, delimiter)
    for payload in payloads:
        assert "'" + payload in cells, (payload, cells)
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@", "\t", "\r")) or cell.startswith("-2+3")]
    return cells


def _assert_xlsx_safe(content: bytes, payloads=PAYLOADS):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.value for cell in cells if cell.data_type == "f"] == []
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    for payload in payloads:
        # Excel and openpyxl keep a lone carriage return as a line feed.
        assert "'" + payload in texts or "'" + payload.replace("\r", "\n") in texts, (payload, texts)
    return cells


def _numbers(cells) -> list:
    return [cell.value for cell in cells if cell.data_type == "n" and cell.value is not None]


# The public exports ---------------------------------------------------------------------------


def test_key_task_exports_of_a_send_plan(client):
    plan = make_plan(tasks_per_action=len(PAYLOADS))
    for n, payload in enumerate(PAYLOADS, start=1):
        KeyTask.objects.filter(plan=plan, code=f"A{n}").update(description=payload, expected_outcome=payload)
    _assert_csv_safe(client.get(reverse("send_actions:plan-export", args=[plan.slug, "csv"])).content)
    _assert_xlsx_safe(client.get(reverse("send_actions:plan-export", args=[plan.slug, "xlsx"])).content)


@pytest.fixture
def kpi_report(committee, officer):
    measures = [
        MeasureFactory(code=f"payload-{n}", name=payload, unit="number", polarity="high", decimal_places=1)
        for n, payload in enumerate(PAYLOADS)
    ]
    for measure in measures:
        value(measure, fy(2016), "-2.5", 1)
        value(measure, fy(2017), "7.5", 1)
        england(measure, fy(2017), "-1.5", 1)
    snapshot, _ = presented_report(committee, officer, measures)
    return snapshot


def test_kpi_report_exports(client, kpi_report):
    cells = _assert_csv_safe(client.get(reverse("performance:report-export", args=[kpi_report.pk, "csv"])).content)
    assert "-2.5" in cells and "-1.5" in cells  # the figures as printed, and the numbers
    cells = _assert_xlsx_safe(client.get(reverse("performance:report-export", args=[kpi_report.pk, "xlsx"])).content)
    assert Decimal("-2.5") in _numbers(cells) and Decimal("-1.5") in _numbers(cells)


def test_risk_register_exports(client, register, published_report, officer):  # noqa: F811 - fixtures
    for n, payload in enumerate(PAYLOADS, start=1):
        make_entry(register, f"CR{n}", title=payload, owner=payload, score=(20, 16))
    snapshot = risk_services.snapshot_take(register=register, period_label="Q1 2018/19", by=officer, lock=True)
    risk_services.snapshot_attach(snapshot=snapshot, report=published_report, summary_threshold=12, by=officer)
    url = snapshot.get_absolute_url()
    _assert_csv_safe(client.get(url, {"_export": "csv"}).content)
    cells = _assert_xlsx_safe(client.get(url, {"_export": "xlsx"}).content)
    assert 16 in _numbers(cells) and 20 in _numbers(cells)


# The admin's exports (django-import-export), in every format each admin offers --------------


def _admin_export(client, model, fmt_index: int) -> bytes:
    model_admin = admin.site._registry[model]
    resource = model_admin.get_export_resource_classes(None)[0]
    fields = {f"{resource.__name__.lower()}_{name}": "on" for name in resource().get_export_order()}
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export")
    response = client.post(url, {"format": fmt_index, "resource": 0, **fields})
    assert response.status_code == 200 and response.get("Content-Disposition", "").startswith("attachment"), (
        response.status_code,
        response.content[:2000],
    )
    return response.content


def _assert_admin_exports_safe(client, model, numbers=()):
    formats = admin.site._registry[model].get_export_formats()
    assert formats
    for index, fmt in enumerate(formats):
        file_format = fmt()
        content = _admin_export(client, model, index)
        extension = file_format.get_extension()
        if extension == "xlsx":
            cells = _assert_xlsx_safe(content)
            for number in numbers:
                assert number in _numbers(cells), (number, _numbers(cells))
        elif extension in ("csv", "tsv"):
            cells = _assert_csv_safe(content, delimiter="," if extension == "csv" else "\t")
            for number in numbers:
                assert str(number) in cells
        else:
            dataset = tablib.Dataset().load(content if file_format.is_binary() else content.decode(), format=extension)
            values = [cell for row in dataset for cell in row]
            for payload in PAYLOADS:
                assert "'" + payload in values or "'" + payload.replace("\r", "\n") in values, (extension, payload)
            assert not [v for v in values if isinstance(v, str) and v.startswith(("=", "+", "@"))], extension
    return formats


def test_admin_exports_of_register_entries(client, admin_user, register):  # noqa: F811 - fixture
    for n, payload in enumerate(PAYLOADS, start=1):
        make_entry(register, f"CR{n}", title=payload, owner=payload, direction_note=payload)
    client.force_login(admin_user)
    formats = _assert_admin_exports_safe(client, Entry)
    assert {fmt().get_extension() for fmt in formats} >= {"csv", "xlsx"}
    assert Entry.objects.filter(title__in=PAYLOADS).count() == len(PAYLOADS)  # exporting changes nothing


@pytest.mark.parametrize("fmt_index, extension", [(0, "csv"), (1, "xlsx")])
def test_an_export_imports_again_with_its_quoted_text(client, admin_user, register, fmt_index, extension):  # noqa: F811
    # The apostrophe the export put in front is the export's, not the officer's: the import
    # takes it off again, so the file changes nothing (and no history row is written).
    from risks.resources import EntryResource

    for n, payload in enumerate(PAYLOADS, start=1):
        make_entry(register, f"CR{n}", title=payload.strip(), owner=payload.strip(), direction_note=payload.strip())
    before = sorted(Entry.objects.values_list("title", "owner", "direction_note"))
    history = Entry.history.count()
    client.force_login(admin_user)
    content = _admin_export(client, Entry, fmt_index)
    dataset = tablib.Dataset().load(content if extension == "xlsx" else content.decode(), format=extension)
    result = EntryResource().import_data(dataset, dry_run=False, raise_errors=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert sorted(Entry.objects.values_list("title", "owner", "direction_note")) == before
    assert Entry.history.count() == history


def test_admin_exports_of_figures_keep_negative_numbers(client, admin_user):
    for n, payload in enumerate(PAYLOADS):
        measure = MeasureFactory(code=f"payload-{n}", unit="number", decimal_places=1)
        performance_services.value_record(
            measure=measure, period=fy(2017), value=Decimal("-2.5"), decimal_places=1, note=payload
        )
        Comparator.objects.create(
            measure=measure, period=fy(2017), kind="england", value=Decimal("-1.5"), decimal_places=1, note=payload
        )
    client.force_login(admin_user)
    # The figure is written as the officer typed it ("-2.5"), as text in CSV: it must stay
    # as it is, so that the file imports again.
    _assert_admin_exports_safe(client, Value)
    _assert_admin_exports_safe(client, Comparator)
    cells = _cells_csv(_admin_export(client, Value, 0))
    assert "-2.5" in cells and "'-2.5" not in cells


# Every export goes through the one writer --------------------------------------------------


def test_every_admin_that_exports_writes_safe_cells():
    exporting = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if hasattr(model_admin, "get_export_resource_classes")
    }
    assert {Entry, Value, Comparator} <= set(exporting)
    for model, model_admin in exporting.items():
        for resource in model_admin.get_export_resource_classes(None):
            assert issubclass(resource, SafeExportResource), (model, resource)


def test_every_table_download_writes_safe_cells():
    root = Path(settings.BASE_DIR)
    plain = [
        str(path.relative_to(root))
        for app in ("committee", "core", "performance", "risks", "send_actions", "accounts")
        for path in (root / app).rglob("*.py")
        if re.search(r"(?<!Safe)TableExport\(", path.read_text(encoding="utf-8"))
    ]
    assert plain == []

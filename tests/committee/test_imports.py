"""The shared import rules: hidden spreadsheet data is refused for every import."""

from io import BytesIO

import openpyxl
import pytest
from django.contrib import admin

from core.imports import IMPORT_FORMATS, CheckedXLSX


def _workbook(*, hide_sheet=False, hide_row=False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["reference", "title"])
    sheet.append(["CR1", "Delivering the Operational Plan"])
    if hide_row:
        sheet.row_dimensions[2].hidden = True
    if hide_sheet:
        book.create_sheet("workings").sheet_state = "hidden"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_plain_workbook_is_read():
    dataset = CheckedXLSX().create_dataset(_workbook())
    assert dataset.headers == ["reference", "title"] and dataset[0][0] == "CR1"


@pytest.mark.parametrize("hidden", [{"hide_sheet": True}, {"hide_row": True}])
def test_hidden_sheets_rows_or_columns_are_refused(hidden):
    with pytest.raises(ValueError, match="hidden"):
        CheckedXLSX().create_dataset(_workbook(**hidden))


def test_every_import_in_the_admin_uses_the_checked_formats():
    importers = [m for m in admin.site._registry.values() if hasattr(m, "get_import_formats")]
    assert len(importers) >= 3  # risk entries, performance values and comparators, SEND progress
    for model_admin in importers:
        assert list(model_admin.get_import_formats()) == IMPORT_FORMATS, model_admin

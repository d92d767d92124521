"""Every CSV and XLSX the project writes goes through here, so that no cell can be run as a
formula when a council officer or a resident opens the file in a spreadsheet (CSV or
"formula" injection).

The rule, after OWASP's advice on CSV injection: a text cell that starts with a character a
spreadsheet reads as the start of a formula (=, +, -, @, tab, carriage return) is written
with an apostrophe before it, so it stays text. Numbers, dates and booleans are written as
they are (a negative figure stays a number); only text is neutralised. One kind of text is
left alone: a negative number written out ("-2.5", "-1,250", "-3.0%", a figure as printed),
which a spreadsheet reads as that number and nothing else; "-2+3" is a formula and is quoted.

The three ways the project exports:
- public tables (django-tables2): `SafeTableExport` instead of `TableExport`;
- the admin's exports (django-import-export): every resource derives from
  `SafeExportResource` (through `core.imports.AllOrNothingResource`), whatever the format;
- anything else: `spreadsheet_dataset(headers, rows)`.
"""

import re
from collections.abc import Iterable, Sequence
from datetime import date, time, timedelta
from decimal import Decimal

import tablib
from django_tables2.export import TableExport
from import_export import resources

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEGATIVE_NUMBER = re.compile(r"-\d[\d,]*(\.\d+)?%?")

# Values a spreadsheet stores as what they are; bool is an int, datetime a date.
NATIVE_TYPES = (int, float, Decimal, date, time, timedelta)


def safe_cell(value):
    """The value as a spreadsheet cell that cannot run: text starting like a formula gets an
    apostrophe in front; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not NEGATIVE_NUMBER.fullmatch(value):
        return "'" + value
    return value


def typed_cell(value):
    """A cell of a file the project exported, as the officer typed it: the apostrophe that
    safe_cell put in front comes off again (and only that one), so that an export imports
    again unchanged."""
    if isinstance(value, str) and value.startswith("'") and safe_cell(value[1:]) == value:
        return value[1:]
    return value


def spreadsheet_dataset(headers: Sequence | None, rows: Iterable[Sequence], *, title: str | None = None):
    """A tablib Dataset of safe cells, ready to export as CSV or XLSX."""
    dataset = tablib.Dataset(title=title)
    if headers:
        dataset.headers = [safe_cell(header) for header in headers]
    for row in rows:
        dataset.append([safe_cell(value) for value in row])
    return dataset


class SafeTableExport(TableExport):
    """django-tables2's TableExport, writing safe cells."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        return spreadsheet_dataset(dataset.headers, (list(row) for row in dataset), title=dataset.title)


class SafeExportResource(resources.ModelResource):
    """A django-import-export resource whose exports hold safe cells, in every format.

    Whether a cell is text is decided by what the record holds, not by how the widget writes
    it: a widget may write a number as text ("-2.5"), which must stay as it is so that the
    file imports again."""

    def export_resource(self, instance, selected_fields=None, **kwargs):
        fields = self.get_export_fields(selected_fields)
        values = super().export_resource(instance, selected_fields=selected_fields, **kwargs)
        return [
            value if isinstance(field.get_value(instance), NATIVE_TYPES) else safe_cell(value)
            for field, value in zip(fields, values, strict=True)
        ]

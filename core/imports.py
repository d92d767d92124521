"""Imports from CSV and XLSX (django-import-export), shared by the registers, the
performance figures and the action plans.

Two rules hold for every import:
- all or nothing: a row refused by validation rolls back the whole file, as an exception
  does (django-import-export would otherwise keep the valid rows);
- a workbook with hidden sheets, rows or columns is refused: hidden data must not slip in
  unseen (domain rules: hidden spreadsheet data).
A file the project exported imports again unchanged: the apostrophe its export put before
text that starts like a formula (core.exports) comes off.
A file exported before someone saved a record does not undo their change: the export's
`version` column is checked, as a stale form is (core.forms).
"""

from io import BytesIO

from django.core.exceptions import ValidationError
from import_export import widgets
from import_export.formats import base_formats

from .exports import SafeExportResource, typed_cell
from .forms import latest_editor, version_hash


class AllOrNothingResource(SafeExportResource):
    def import_data(self, dataset, **kwargs):
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    # The export writes each record's version (core.forms.version_hash) in this column; a
    # row that would change a record saved since then is refused, as a stale form is.
    VERSION_COLUMN = "version"

    def _checks_versions(self) -> bool:
        # Rows found by a key, and a row that changes nothing skipped (skip_row): only then
        # can "would change" be told from "the same file again".
        return bool(self._meta.import_id_fields) and self._meta.skip_unchanged

    def get_export_headers(self, selected_fields=None):
        headers = super().get_export_headers(selected_fields)
        return [*headers, self.VERSION_COLUMN] if self._checks_versions() else headers

    def export_resource(self, instance, selected_fields=None, **kwargs):
        values = super().export_resource(instance, selected_fields=selected_fields, **kwargs)
        return [*values, version_hash([instance])] if self._checks_versions() else values

    def import_instance(self, instance, row, **kwargs):
        # The record as saved, before the row is read into it: what the file's version is of.
        instance._version_saved = version_hash([instance]) if instance.pk else None
        super().import_instance(instance, row, **kwargs)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row that changes nothing is skipped (the same file imported twice, an untouched
        row); one that would change a record saved since the file was exported is refused.
        Asked here, once every resource has read the row into the record (stored text put
        back where the words are the same) and with its many-to-many values (the entry's
        types), which are only saved after."""
        if super().skip_row(instance, original, row, import_validation_errors):
            return True
        seen = str(row.get(self.VERSION_COLUMN) or "").strip()
        saved = getattr(instance, "_version_saved", None)
        if self._checks_versions() and seen and saved and seen != saved and not import_validation_errors:
            raise ValidationError(
                f"Changed in Quorum since this file was exported (last by {latest_editor(instance)}): export "
                "again, make your changes in that file, and import it.",
                code="stale",
            )
        return False

    def import_row(self, row, instance_loader, **kwargs):
        # Text the export quoted ("'=…") is read as it was before the export quoted it.
        for column, cell in row.items():
            row[column] = typed_cell(cell)
        return super().import_row(row, instance_loader, **kwargs)


class KeyWidget(widgets.ForeignKeyWidget):
    """A related row named in a column by the key officers use for it (a register's short
    name, a measure's code, a key task's code), with a message an officer can act on when
    the cell is empty or names nothing. `asks` says what to give; `missing` is formatted
    with the key and the widget (so that a narrower queryset can name its scope)."""

    def __init__(self, model, field: str, *, asks: str, missing: str, upper: bool = False):
        super().__init__(model, field)
        self.asks, self.missing, self.upper = asks, missing, upper

    def clean(self, value, row=None, **kwargs):
        key = str(value or "").strip()
        key = key.upper() if self.upper else key
        if not key:
            raise ValueError(self.asks)
        try:
            return self.get_queryset(value, row, **kwargs).get(**{self.field: key})
        except self.model.DoesNotExist:
            raise ValueError(self.missing.format(key=key, widget=self)) from None


class CheckedXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        import openpyxl

        book = openpyxl.load_workbook(BytesIO(in_stream), data_only=True)
        for sheet in book.worksheets:
            if sheet.sheet_state != "visible":
                raise ValueError(f"The workbook has a hidden sheet ({sheet.title}). Remove it, or unhide it, first.")
        sheet = book.active
        if any(dim.hidden for dim in sheet.row_dimensions.values()) or any(
            dim.hidden for dim in sheet.column_dimensions.values()
        ):
            raise ValueError("The sheet has hidden rows or columns. Unhide or remove them first.")
        return super().create_dataset(in_stream)


# What officers may import from: CSV, or a workbook with nothing hidden.
IMPORT_FORMATS = [base_formats.CSV, CheckedXLSX]

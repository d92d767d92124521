"""Import (and export) of live register entries from CSV or XLSX, through the officers'
admin (django-import-export: a preview with row-level errors first).

One row per entry, keyed by register and reference: a row for an existing reference updates
that entry. A file with any bad row changes nothing: the whole import runs in one
transaction that is rolled back on any error or invalid row.
"""

import re

from django.core.exceptions import ValidationError
from import_export import fields, widgets

from core.imports import AllOrNothingResource, KeyWidget

from . import services
from .models import Entry, Kind, Register, RiskType
from .text import html_to_text, text_to_html

COLUMNS = (
    "register",
    "reference",
    "kind",
    "title",
    "description",
    "types",
    "consequences",
    "controls",
    "actions",
    "owner",
    *Entry.SCORE_FIELDS,
    "direction_note",
    "committee_summary",
    "is_open",
)


# The long cells: rich text here, plain text in the spreadsheet (RichTextWidget).
RICH_TEXT_FIELDS = ("description", "consequences", "controls", "actions")


class KindWidget(widgets.Widget):
    """ "Risk" or "Opportunity" in any case."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().lower()
        if text not in Kind.values:
            raise ValueError("Kind is Risk or Opportunity (or leave it blank to follow the reference's prefix).")
        return text

    def render(self, value, obj=None, **kwargs):
        return Kind(value).label if value in Kind.values else ""


class RichTextWidget(widgets.Widget):
    """Plain text in the spreadsheet (lines starting "•" or "- " are bullets); rich text here."""

    def clean(self, value, row=None, **kwargs):
        return text_to_html("" if value is None else str(value))

    def render(self, value, obj=None, **kwargs):
        return html_to_text(value)


class PlainTextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return "" if value is None else str(value).strip()


class RiskTypesWidget(widgets.ManyToManyWidget):
    """Types by name, separated by "/" as the seed writes them ("Legal/Political"), or by
    commas or semicolons. An unknown name is a row error, not silently dropped."""

    def clean(self, value, row=None, **kwargs):
        names = re.split(r"[/,;]", str(value or ""))
        try:
            return services.risk_types_named(names)
        except ValidationError as exc:
            raise ValueError(" ".join(exc.messages)) from exc

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "/".join(t.name for t in value.all())


class EntryResource(AllOrNothingResource):
    register = fields.Field(
        attribute="register",
        column_name="register",
        widget=KeyWidget(
            Register,
            "slug",
            asks="Give the register's short name (its slug), e.g. corporate.",
            missing="There is no register with the short name '{key}'.",
        ),
    )
    kind = fields.Field(attribute="kind", column_name="kind", widget=KindWidget())
    title = fields.Field(attribute="title", column_name="title", widget=PlainTextWidget())
    owner = fields.Field(attribute="owner", column_name="owner", widget=PlainTextWidget())
    description = fields.Field(attribute="description", column_name="description", widget=RichTextWidget())
    consequences = fields.Field(attribute="consequences", column_name="consequences", widget=RichTextWidget())
    controls = fields.Field(attribute="controls", column_name="controls", widget=RichTextWidget())
    actions = fields.Field(attribute="actions", column_name="actions", widget=RichTextWidget())
    risk_types = fields.Field(
        attribute="risk_types", column_name="types", widget=RiskTypesWidget(RiskType, field="name")
    )
    direction_note = fields.Field(attribute="direction_note", column_name="direction_note", widget=PlainTextWidget())
    committee_summary = fields.Field(
        attribute="committee_summary", column_name="committee_summary", widget=PlainTextWidget()
    )

    class Meta:
        model = Entry
        import_id_fields = ("register", "reference")
        fields = (*COLUMNS[:5], "risk_types", *COLUMNS[6:])
        export_order = (*COLUMNS[:5], "risk_types", *COLUMNS[6:])
        clean_model_instances = True
        skip_unchanged = True  # a row that changes nothing is not written (no history row)

    def before_import_row(self, row, **kwargs):
        # The reference identifies the row: normalise it before the existing entry is looked
        # up, and let a blank kind follow the reference's prefix (CR.. risk, CO.. opportunity).
        reference = str(row.get("reference") or "").strip().upper()
        row["reference"] = reference
        if not str(row.get("kind") or "").strip():
            register = Register.objects.filter(slug=str(row.get("register") or "").strip()).first()
            if register and reference.startswith(register.opportunity_prefix):
                row["kind"] = Kind.OPPORTUNITY
            else:
                row["kind"] = Kind.RISK
        if "is_open" in row and str(row.get("is_open") or "").strip() == "":
            row["is_open"] = "1"

    def import_instance(self, instance, row, **kwargs):
        # A long cell reads in the spreadsheet as the export wrote it: the entry's own text, kept
        # as stored, numbered lists and bold included (read back from plain text it would lose
        # them), so that a file exported and imported again changes nothing (skip_unchanged).
        stored = {name: getattr(instance, name) for name in RICH_TEXT_FIELDS} if instance.pk else {}
        # Types are set after the row is saved; check their names now, so that an unknown
        # type shows as this row's error in the preview.
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name, html in stored.items():
            if html_to_text(getattr(instance, name)) == html_to_text(html):
                setattr(instance, name, html)
        if "types" in row:
            try:
                self.fields["risk_types"].clean(row)
            except ValueError as exc:
                errors["risk_types"] = ValidationError(str(exc), code="invalid")
        if errors:
            raise ValidationError(errors)

"""Imports of values and comparators from CSV or XLSX (django-import-export).

A file is imported all or nothing: any row with an error (an unknown measure or period, a
figure that is not a number, a count with decimals) stops the whole file, and the preview
lists each bad row with what is wrong (settings.IMPORT_EXPORT_USE_TRANSACTIONS, and
rollback on validation errors, forced here). Figures are typed as they should be printed:
"32.0" keeps one decimal place unless a decimal_places column says otherwise.
"""

from import_export import fields, widgets

from core.history import recorded_by
from core.imports import AllOrNothingResource, KeyWidget

from . import figures
from .models import Comparator, Measure, ReportingPeriod, Value


class PeriodWidget(widgets.ForeignKeyWidget):
    """A period by its label ("2017/18"); where a label names two periods (a financial and
    an academic year), a period_kind column says which."""

    def __init__(self):
        super().__init__(ReportingPeriod, "label")

    def clean(self, value, row=None, **kwargs):
        label = str(value or "").strip()
        if not label:
            raise ValueError("Give the period, as labelled: 2017/18, Q4 2017/18.")
        matches = ReportingPeriod.objects.filter(label=label)
        kind = str((row or {}).get("period_kind") or "").strip()
        if kind:
            matches = matches.filter(kind=kind)
        found = list(matches[:2])
        if not found:
            raise ValueError(f"No period is labelled {label!r}{f' of kind {kind}' if kind else ''}.")
        if len(found) > 1:
            kinds = ", ".join(sorted(ReportingPeriod.objects.filter(label=label).values_list("kind", flat=True)))
            raise ValueError(f"{label!r} names more than one period ({kinds}): add a period_kind column.")
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return value.label if value else ""


class FigureWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            raise ValueError("Give the figure.")
        try:
            return figures.parse_number(str(value))[0]
        except ValueError:
            raise ValueError(f"{value!r} is not a number.") from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        places = getattr(obj, "decimal_places", 0) if obj is not None else 0
        return figures.format_number(value, places).replace(",", "")


class YesNoWidget(widgets.BooleanWidget):
    """Yes/no as people type it in a spreadsheet, as well as true/false and 1/0."""

    TRUE_VALUES = [*widgets.BooleanWidget.TRUE_VALUES, "yes", "Yes", "YES", "y", "Y"]
    FALSE_VALUES = [*widgets.BooleanWidget.FALSE_VALUES, "no", "No", "NO", "n", "N"]


class _FigureResource(AllOrNothingResource):
    measure = fields.Field(
        attribute="measure",
        column_name="measure",
        widget=KeyWidget(Measure, "code", asks="Give the measure's code.", missing="No measure has the code {key!r}."),
    )
    period = fields.Field(attribute="period", column_name="period", widget=PeriodWidget())
    # Written so that an export imports again where a label names two periods (PeriodWidget).
    period_kind = fields.Field(attribute="period__kind", column_name="period_kind", readonly=True)
    value = fields.Field(attribute="value", column_name="value", widget=FigureWidget())

    def dehydrate_value(self, figure):
        # django-import-export does not give the widget the row, so it would write every
        # figure with no decimal places ("-2.5" as "-3"): export it with its own.
        return self.fields["value"].widget.render(figure.value, obj=figure)

    def before_import_row(self, row, **kwargs):
        # "32.0" means one decimal place: keep it unless the file gives decimal_places.
        if str(row.get("decimal_places") or "").strip() == "" and row.get("value") not in (None, ""):
            try:
                row["decimal_places"] = figures.parse_number(str(row["value"]))[1]
            except ValueError:
                row["decimal_places"] = 0  # the value's own error is reported

    def before_save_instance(self, instance, row, **kwargs):
        recorded_by(instance, reason="Imported from a file")


class ValueResource(_FigureResource):
    is_provisional = fields.Field(
        attribute="is_provisional", column_name="is_provisional", widget=YesNoWidget(), default=False
    )
    is_forecast = fields.Field(attribute="is_forecast", column_name="is_forecast", widget=YesNoWidget(), default=False)

    class Meta:
        model = Value
        fields = (
            "measure",
            "period",
            "period_kind",
            "value",
            "decimal_places",
            "count",
            "is_provisional",
            "is_forecast",
            "qualifier",
            "rag",
            "note",
        )
        import_id_fields = ("measure", "period")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class ComparatorResource(_FigureResource):
    class Meta:
        model = Comparator
        fields = ("measure", "period", "period_kind", "kind", "value", "decimal_places", "note")
        import_id_fields = ("measure", "period", "kind")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

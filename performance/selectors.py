"""Reads for the report pages, the pack, the trend pages and the officers' entry grid.

A report is read in two steps. `report_layout` gathers a PerformanceReport with every
figure it shows into a plain, JSON-ready layout (a fixed number of queries, whatever the
number of measures); freezing stores that layout on a PerformanceReportSnapshot. Then
`present_layout` turns any layout into what readers see, writing every cell with
figures.cell_text (which suppresses small counts). Who may see a reported report is
decided by committee.gate.structured_readable, the one gate.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from committee import gate
from committee.models import Appendix
from core.dates import FinancialQuarter
from core.richtext import sanitise
from core.text import join_and, told_apart

from . import figures
from .models import (
    POLARITY_LETTERS,
    Comparator,
    ComparatorKind,
    Measure,
    PerformanceReport,
    PerformanceReportSnapshot,
    Polarity,
    RagStatus,
    ReportCommentary,
    ReportGroup,
    ReportingPeriod,
    ReportRow,
    ReportSection,
    ReportTable,
    ServiceArea,
    Target,
    Unit,
    Value,
)

LAYOUT_VERSION = 1
PROVISIONAL_NOTE = (
    "Note: The figures for {periods} are not the final, published figures and should be treated as estimates."
)
ASCOF_NOTE = "Note: ASCOF refers to the Adult Social Care Outcomes Framework which is a suite of national performance indicators."
RAG_BASIS_NOTES = {
    Measure.RagBasis.TARGET: "RAG computed against target",
    Measure.RagBasis.ENGLAND: "RAG computed against England average",
}


def _number(value: Decimal) -> str:
    # Plain notation ("100", not "1E+2"), without the storage's trailing zeros: the
    # printed decimal places are kept beside it.
    return format(value.normalize(), "f")


# Gathering a report ---------------------------------------------------------------------------


def report_for_layout(pk: int) -> PerformanceReport:
    try:
        return PerformanceReport.objects.select_related("period").get(pk=pk)
    except PerformanceReport.DoesNotExist as exc:
        raise Http404("No such performance report") from exc


def report_layout(report: PerformanceReport) -> dict:
    """Everything the report shows, as a JSON-ready dict (see the module docstring).

    Queries, whatever the number of measures: sections, tables, groups, rows with their
    measures, commentary, values, comparators, targets (8)."""
    sections = list(ReportSection.objects.filter(report=report).select_related("directorate").order_by("order"))
    tables = list(
        ReportTable.objects.filter(section__report=report)
        .select_related("previous_period", "latest_period")
        .order_by("section__order", "order")
    )
    groups = list(
        ReportGroup.objects.filter(table__section__report=report).select_related("service_area").order_by("order")
    )
    rows = list(
        ReportRow.objects.filter(group__table__section__report=report)
        .select_related("measure", "previous_period", "latest_period")
        .order_by("order")
    )
    commentary = list(
        ReportCommentary.objects.filter(table__section__report=report).select_related("service_area").order_by("order")
    )
    rows_by_group = _grouped(rows, "group_id")
    groups_by_table = _grouped(groups, "table_id")
    commentary_by_table = _grouped(commentary, "table_id")
    tables_by_section = _grouped(tables, "section_id")

    context = _figures_of({row.measure_id for row in rows})
    return {
        "version": LAYOUT_VERSION,
        "title": report.title,
        "period": report.period.label,
        "show_rag_key": report.show_rag_key,
        "sections": [
            {
                "heading": section.heading,
                "directorate": section.directorate.name if section.directorate else "",
                "tables": [
                    _table_layout(
                        table, groups_by_table[table.pk], rows_by_group, commentary_by_table[table.pk], context
                    )
                    for table in tables_by_section[section.pk]
                ],
            }
            for section in sections
        ],
    }


def _grouped(rows: list, key: str) -> dict[int, list]:
    """Rows by the id they belong to, each list in the rows' order."""
    grouped = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


@dataclass
class _Context:
    """Every figure of the report's measures, indexed for the rows: values by measure,
    comparators by measure and kind, targets by measure and period."""

    values: dict
    comparators: dict
    targets: dict


def _figures_of(measure_ids: set[int]) -> _Context:
    """Three queries, whatever the number of measures."""
    values: dict[int, list[Value]] = defaultdict(list)
    for value in Value.objects.filter(measure_id__in=measure_ids).select_related("period"):
        values[value.measure_id].append(value)
    comparators: dict[tuple[int, str], list[Comparator]] = defaultdict(list)
    for comparator in Comparator.objects.filter(measure_id__in=measure_ids).select_related("period"):
        comparators[(comparator.measure_id, comparator.kind)].append(comparator)
    targets = {
        (t.measure_id, t.period_id): t
        for t in Target.objects.filter(measure_id__in=measure_ids).select_related("period")
    }
    return _Context(values=values, comparators=comparators, targets=targets)


def _table_layout(table: ReportTable, groups, rows_by_group, commentary, context: _Context) -> dict:
    layout_groups = []
    provisional_periods: dict[str, str] = {}
    ascof = False
    bases = set()
    for group in groups:
        layout_rows = []
        for row in rows_by_group[group.pk]:
            layout_row = _row_layout(table, row, context)
            layout_rows.append(layout_row)
            ascof = ascof or row.measure.is_ascof
            if layout_row["rag_basis"] in RAG_BASIS_NOTES:
                bases.add(layout_row["rag_basis"])
            for cell in (layout_row["previous"], layout_row["latest"]):
                if cell.get("provisional"):
                    provisional_periods[cell["period_end"] + cell["period"]] = cell["period"]
        subheader = None
        if group.subheader_previous or group.subheader_latest:
            subheader = {
                "previous": group.subheader_previous or table.previous_header,
                "latest": group.subheader_latest or table.latest_header,
            }
        layout_groups.append(
            {
                "label": group.label,
                "service_area": group.service_area.name if group.service_area else "",
                "subheader": subheader,
                "rows": layout_rows,
            }
        )
    notes_after = []
    if provisional_periods:
        labels = [provisional_periods[key] for key in sorted(provisional_periods)]
        notes_after.append(PROVISIONAL_NOTE.format(periods=join_and(labels)))
    return {
        "caption": table.caption,
        "headers": {
            "measure": table.measure_header,
            "polarity": table.polarity_header,
            "previous": table.previous_header,
            "latest": table.latest_header,
            "comparator": table.comparator_header,
        },
        "comparator_kind": table.comparator_kind,
        "unit_words": table.unit_words,
        "notes_before": [ASCOF_NOTE] if ascof else [],
        "notes_after": notes_after,
        "footnote": table.footnote,
        "rag_notes": [RAG_BASIS_NOTES[b] for b in sorted(bases)],
        "groups": layout_groups,
        "commentary": [
            {
                "heading": c.heading,
                "service_area": c.service_area.name if c.service_area else "",
                # Sanitised again as it is frozen: the pack renders it as HTML.
                "body": sanitise(str(c.body)),
            }
            for c in commentary
        ],
    }


def _value_cell(measure: Measure, value: Value | None, period: ReportingPeriod | None, column_period) -> dict:
    if period is None:
        return {"value": None, "placeholder": "-"}
    if value is None:
        new = measure.introduced is not None and period.end < measure.introduced
        return {"value": None, "placeholder": "New measure" if new else "-", "period": period.label}
    bracket = value.qualifier or ("" if column_period is not None and period.pk == column_period.pk else period.label)
    return {
        "value": _number(value.value),
        "count": value.count,
        "dp": value.decimal_places,
        "unit": measure.unit,
        "period": period.label,
        "period_end": period.end.isoformat(),
        "bracket": bracket,
        "forecast": value.is_forecast,
        "forecast_label": period.short,
        "provisional": value.is_provisional,
        "note": value.note,
    }


def _figure(v: Value, measure: Measure) -> dict:
    """A figure as figures.cell_text writes it (a trend's point, a live trend's row)."""
    return {
        "value": _number(v.value),
        "count": v.count,
        "dp": v.decimal_places,
        "unit": measure.unit,
        "forecast": v.is_forecast,
        "forecast_label": v.period.short,
    }


def _comparator_for(candidates: list[Comparator], period: ReportingPeriod | None) -> Comparator | None:
    """The comparator for the latest figure's period, or else the most recent one published
    by then (an England average is often a year or more behind: "520 (2014-17)")."""
    if period is None:
        return None
    exact = [c for c in candidates if c.period_id == period.pk]
    if exact:
        return exact[0]
    earlier = [c for c in candidates if c.period.end <= period.end]
    return max(earlier, key=lambda c: (c.period.end, c.period.start), default=None)


def _row_layout(table: ReportTable, row: ReportRow, context: _Context) -> dict:
    measure = row.measure
    previous_period = row.previous_period or table.previous_period
    latest_period = row.latest_period or table.latest_period
    measure_values = context.values[measure.pk]
    by_period = {v.period_id: v for v in measure_values}
    previous = by_period.get(previous_period.pk) if previous_period else None
    latest = by_period.get(latest_period.pk) if latest_period else None
    return {
        "measure_id": measure.pk,
        "code": measure.code,
        "name": measure.name,
        "label": row.label or measure.name,
        "polarity": measure.polarity,
        "polarity_letter": POLARITY_LETTERS[measure.polarity],
        "unit": measure.unit,
        "ascof": measure.is_ascof,
        "previous": _value_cell(measure, previous, previous_period, table.previous_period),
        "latest": _value_cell(measure, latest, latest_period, table.latest_period),
        "comparator": _comparator_cell(table, row, latest_period, context),
        "rag": _rag(measure, latest, latest_period, context),
        "rag_basis": measure.rag_basis,
        "direction": figures.direction_of_travel(
            measure.polarity,
            previous.value if previous else None,
            latest.value if latest else None,
        ),
        "trend": _trend(measure, measure_values, latest_period),
    }


def _comparator_cell(table: ReportTable, row: ReportRow, latest_period, context: _Context) -> dict | None:
    """The comparator column's cell (None when the table has no such column)."""
    if not table.comparator_header:
        return None
    measure = row.measure
    comparator = _comparator_for(context.comparators[(measure.pk, table.comparator_kind)], latest_period)
    if comparator is None:
        return {"value": None, "placeholder": "-" if measure.comparator_applicable else "n/a"}
    shown = row.show_comparator_period or latest_period is None or comparator.period_id != latest_period.pk
    return {
        "value": _number(comparator.value),
        "dp": comparator.decimal_places,
        "unit": measure.unit,
        "period": comparator.period.label,
        "period_end": comparator.period.end.isoformat(),
        "bracket": comparator.period.label if shown else "",
        "note": comparator.note,
    }


def _rag(measure: Measure, latest: Value | None, latest_period, context: _Context) -> str | None:
    """The latest figure's RAG status: the officer's, or worked out against the target or
    the England average, as the measure says."""
    if latest is None:
        return None
    if measure.rag_basis == Measure.RagBasis.OFFICER:
        return latest.rag or None
    if measure.rag_basis == Measure.RagBasis.TARGET:
        target = context.targets.get((measure.pk, latest_period.pk))
        benchmark = target.value if target else None
    else:
        england = _comparator_for(context.comparators[(measure.pk, ComparatorKind.ENGLAND)], latest_period)
        benchmark = england.value if england else None
    return figures.rag_status(measure.polarity, latest.value, benchmark, measure.amber_margin)


def _trend(measure: Measure, measure_values: list[Value], latest_period) -> list[dict]:
    # The trend runs up to the latest figure shown: figures for later periods may not have
    # been reported yet, and a reported report must not publish them.
    if latest_period is None:
        return []
    return [
        {
            "period": v.period.label,
            "period_end": v.period.end.isoformat(),
            **_figure(v, measure),
            "provisional": v.is_provisional,
        }
        for v in sorted(measure_values, key=lambda v: (v.period.end, v.period.start))
        if v.period.end <= latest_period.end
    ]


# Presenting a layout --------------------------------------------------------------------------


RAG_LABELS = dict(RagStatus.choices)


@dataclass
class _Writing:
    """How cells are written for one presentation, and whether any count was suppressed."""

    suppress: bool
    threshold: int
    any_suppressed: bool = False

    def cell(self, cell: dict, **kwargs):
        written = figures.cell_text(cell, suppress=self.suppress, threshold=self.threshold, **kwargs)
        self.any_suppressed = self.any_suppressed or written.suppressed
        return written


def present_layout(layout: dict, *, suppress: bool = True) -> dict:
    """The layout with every cell written out (and small counts suppressed), each row's
    RAG label and direction, and the trend chart's geometry. No queries."""
    writing = _Writing(suppress=suppress, threshold=figures.small_number_threshold())
    sections = [
        {**section, "tables": [_present_table(table, writing) for table in section["tables"]]}
        for section in layout["sections"]
    ]
    _name_regions([table for section in sections for table in section["tables"]])
    rag_notes = {
        note for section in layout["sections"] for table in section["tables"] for note in table.get("rag_notes", [])
    }
    threshold = writing.threshold
    return {
        **layout,
        "sections": sections,
        "rag_key": [(status.value, status.label) for status in RagStatus],
        "rag_notes": sorted(rag_notes),
        "any_suppressed": writing.any_suppressed,
        "suppression_note": (
            f"Counts below {threshold} are shown as \u201cfewer than {threshold}\u201d so that no "
            "child or adult can be identified from them."
        ),
    }


def _name_regions(tables: list[dict]) -> None:
    """Each table's scroll box is a region a screen reader lists by name: the caption, told
    apart when two tables share one."""
    for table, label in zip(tables, told_apart([table["caption_text"] for table in tables]), strict=True):
        table["region_label"] = label


def _present_table(table: dict, writing: _Writing) -> dict:
    groups = [
        {**group, "rows": [_present_row(row, table["unit_words"], writing) for row in group["rows"]]}
        for group in table["groups"]
    ]
    has_rag = any(row["rag"] for group in groups for row in group["rows"])
    headers = table["headers"]
    return {
        **table,
        "groups": groups,
        "has_rag": has_rag,
        "column_count": 3 + bool(headers["polarity"]) + bool(headers["comparator"]) + has_rag,
        "caption_text": table["caption"] or _caption(table),
    }


def _present_row(row: dict, unit_words: str, writing: _Writing) -> dict:
    cells = {
        column: None if row.get(column) is None else writing.cell(row[column], unit_words=unit_words)
        for column in ("previous", "latest", "comparator")
    }
    # The trend's points are written without the table's unit words (the chart's labels).
    trend_points = []
    for point in row["trend"]:
        written = figures.cell_text(point, suppress=writing.suppress, threshold=writing.threshold)
        if written.number is not None:
            trend_points.append((point["period"], written.number, written.text))
    return {
        **row,
        "cells": cells,
        "rag_label": RAG_LABELS.get(row["rag"], ""),
        "polarity_text": POLARITY_LABELS[row["polarity"]],
        "direction_shown": figures.DIRECTIONS.get(row["direction"]),
        "trend_points": trend_points,
        "sparkline": figures.trend_chart(trend_points, width=120, height=36, margin=(4, 4, 4, 4), from_zero=False),
    }


def _caption(table: dict) -> str:
    """A name for a table the council left unnamed: its groups' headings, or else the
    headings of the commentary that follows it."""
    labels = [g["label"] for g in table["groups"] if g["label"]]
    if not labels:
        labels = [c["heading"] for c in table["commentary"] if c["heading"]]
    return join_and(labels) if labels else table["headers"]["measure"]


# Reported reports, through the gate -----------------------------------------------------------


def snapshots_readable(reader) -> QuerySet[PerformanceReportSnapshot]:
    return gate.structured_readable(reader, PerformanceReportSnapshot)


def snapshot_detail(pk: int, reader) -> PerformanceReportSnapshot:
    try:
        return snapshots_readable(reader).get(pk=pk)
    except PerformanceReportSnapshot.DoesNotExist as exc:
        # 404, not 403: the public must not learn that an unreported report exists.
        raise Http404("No such performance report") from exc


def snapshot_list(reader) -> list[PerformanceReportSnapshot]:
    return list(snapshots_readable(reader).defer("layout").order_by("-frozen_at"))


def reported_in(snapshot: PerformanceReportSnapshot, reader) -> list[Appendix]:
    """The committee reports (that `reader` may read) in which this report was presented."""
    return gate.appendices_carrying(reader, snapshot)


def appendix_context(snapshot: PerformanceReportSnapshot, reader=None) -> dict:
    """The structured appendix's context, for the report page and the agenda pack."""
    return {"performance": present_layout(snapshot.layout), "snapshot": snapshot}


# Measures and their trends --------------------------------------------------------------------


def measure_detail(pk: int) -> Measure:
    try:
        return Measure.objects.select_related("service_area__directorate").get(pk=pk)
    except Measure.DoesNotExist as exc:
        raise Http404("No such measure") from exc


@dataclass(frozen=True)
class TrendRow:
    period: str
    period_end: str
    text: str
    number: Decimal | None  # None when suppressed
    provisional: bool
    forecast: bool
    source: str  # the report that published the figure, or "" for officers' live figures


def measure_trend_reported(measure: Measure, reader) -> list[TrendRow]:
    """The measure's figures as published in the reported reports `reader` may read: for
    each period, the figure from the latest report that gave it. Small counts suppressed.
    One query (the readable reports)."""
    by_period: dict[str, tuple[dict, PerformanceReportSnapshot]] = {}
    for snapshot in snapshots_readable(reader).order_by("frozen_at"):
        for section in snapshot.layout["sections"]:
            for table in section["tables"]:
                for group in table["groups"]:
                    for row in group["rows"]:
                        if row["measure_id"] == measure.pk:
                            for point in row["trend"]:
                                by_period[point["period"]] = (point, snapshot)
    rows = []
    for label, (point, snapshot) in by_period.items():
        written = figures.cell_text(point)
        rows.append(
            TrendRow(
                period=label,
                period_end=point["period_end"],
                text=written.text,
                number=written.number,
                provisional=point["provisional"],
                forecast=point["forecast"],
                source=snapshot.title,
            )
        )
    return sorted(rows, key=lambda r: r.period_end)


def measure_trend_live(measure: Measure) -> list[TrendRow]:
    """Every figure held for the measure, reported or not, unsuppressed (officers only)."""
    rows = []
    for v in Value.objects.filter(measure=measure).select_related("period").order_by("period__end", "period__start"):
        written = figures.cell_text(_figure(v, measure), suppress=False)
        rows.append(
            TrendRow(
                period=v.period.label,
                period_end=v.period.end.isoformat(),
                text=written.text,
                number=written.number,
                provisional=v.is_provisional,
                forecast=v.is_forecast,
                source="",
            )
        )
    return rows


def trend_chart_for(rows: list[TrendRow]):
    """Chart geometry for a trend, from the figures shown (suppressed ones are left out)."""
    return figures.trend_chart([(row.period, row.number, row.text) for row in rows if row.number is not None])


def measures_reported(reader) -> list[tuple[str, list[dict]]]:
    """Measures that appear in a reported report `reader` may read, by directorate, in the
    order the latest report gives them: [(directorate, [{"pk", "name"}, ...]), ...]."""
    by_directorate: dict[str, dict[int, dict]] = {}
    for snapshot in snapshots_readable(reader).order_by("-frozen_at"):
        for section in snapshot.layout["sections"]:
            for table in section["tables"]:
                for group in table["groups"]:
                    for row in group["rows"]:
                        if not any(row["measure_id"] in seen for seen in by_directorate.values()):
                            by_directorate.setdefault(section["directorate"], {})[row["measure_id"]] = {
                                "pk": row["measure_id"],
                                "name": row["name"],
                            }
    return [(directorate, list(measures.values())) for directorate, measures in by_directorate.items()]


# The officers' entry grid ---------------------------------------------------------------------


def entry_measures(service_area: ServiceArea, period: ReportingPeriod, *, lock: bool = False) -> list[Measure]:
    """The service area's measures in force during `period`, each with `current_value`
    (its Value for the period, or None). Two queries. With `lock` (inside a transaction)
    the figures stay locked until it ends, so that a save compares against what it saves over."""
    values = Value.objects.filter(period=period)
    measures = (
        Measure.objects.filter(service_area=service_area)
        .exclude(retired__lt=period.start)
        .exclude(introduced__gt=period.end)
        .prefetch_related(
            Prefetch("values", queryset=values.select_for_update() if lock else values, to_attr="period_values")
        )
        .order_by("order", "name")
    )
    result = list(measures)
    for measure in result:
        measure.current_value = measure.period_values[0] if measure.period_values else None
    return result


def service_areas() -> QuerySet[ServiceArea]:
    return ServiceArea.objects.select_related("directorate").order_by("directorate__order", "order", "name")


def periods() -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.order_by("-end", "start")


def drafts() -> QuerySet[PerformanceReport]:
    return PerformanceReport.objects.select_related("period").order_by("-period__end", "title")


UNIT_LABELS = dict(Unit.choices)
POLARITY_LABELS = dict(Polarity.choices)


def last_quarter():
    """The latest quarter on record (None when there is none)."""
    return ReportingPeriod.objects.filter(kind=ReportingPeriod.Kind.QUARTER).order_by("-end", "-start").first()


def quarter_after(quarter) -> dict:
    """The quarter that follows `quarter`, named as the council names quarters of its
    financial year (April to March): Q1 is April to June, so Q1 2018/19 follows Q4 2017/18."""
    following = FinancialQuarter.of(quarter.end + timedelta(days=1))
    return {"label": following.label, "start": following.start, "end": following.end}


def choice_label(snapshot: PerformanceReportSnapshot) -> str:
    """How an officer attaching it recognises a reported KPI report: "Quarterly Performance
    Report: Q4 2017/18, reported 27 June 2018"."""
    from django.utils import timezone

    day = timezone.localtime(snapshot.frozen_at).date()
    return f"{snapshot.title}: {snapshot.period_label}, reported {day.day} {day:%B %Y}"

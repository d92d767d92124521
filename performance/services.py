"""Writes: recording values (one at a time or a service area's grid), and reporting a
performance report to a meeting, which freezes it.

Every function validates before it writes and refuses with a ValidationError that says
what to fix; nothing is changed when it refuses.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from committee import services as committee_services
from committee.models import Appendix, Report
from core.history import Person, recorded_by

from . import selectors
from .models import Measure, PerformanceReport, PerformanceReportSnapshot, ReportingPeriod, Value


@transaction.atomic
def value_record(
    *,
    measure: Measure,
    period: ReportingPeriod,
    value: Decimal,
    decimal_places: int,
    count: int | None = None,
    is_provisional: bool = False,
    is_forecast: bool = False,
    qualifier: str = "",
    note: str = "",
    rag: str = "",
    by: Person | None = None,
    reason: str = "",
) -> Value:
    """Record a measure's figure for a period, or correct it. A correction keeps the old
    figure in the value's history (with `reason`); reports already reported keep theirs."""
    instance = Value.objects.filter(measure=measure, period=period).first() or Value(measure=measure, period=period)
    wanted = {
        "value": value,
        "decimal_places": decimal_places,
        "count": count,
        "is_provisional": is_provisional,
        "is_forecast": is_forecast,
        "qualifier": qualifier,
        "note": note,
        "rag": rag,
    }
    if instance.pk is not None and all(getattr(instance, name) == wanted[name] for name in wanted):
        return instance  # unchanged: no new history record
    for name, given in wanted.items():
        setattr(instance, name, given)
    instance.full_clean()
    recorded_by(instance, by, reason=reason)
    instance.save()
    return instance


@dataclass
class Entry:
    """One row of the entry grid: a measure's figure for the grid's period."""

    measure: Measure
    value: Decimal | None  # None: leave the measure without a figure (or as it is)
    decimal_places: int = 0
    count: int | None = None
    is_provisional: bool = False
    is_forecast: bool = False
    qualifier: str = ""
    note: str = ""
    rag: str = ""


@transaction.atomic
def values_record(*, period: ReportingPeriod, entries: list[Entry], by: Person | None = None) -> int:
    """Record a service area's figures for a period, all or none: if any row is refused,
    no row is saved, and the error names each refused measure. Returns the number saved."""
    errors = []
    saved = 0
    for entry in entries:
        if entry.value is None:
            continue
        try:
            value_record(
                measure=entry.measure,
                period=period,
                value=entry.value,
                decimal_places=entry.decimal_places,
                count=entry.count,
                is_provisional=entry.is_provisional,
                is_forecast=entry.is_forecast,
                qualifier=entry.qualifier,
                note=entry.note,
                rag=entry.rag,
                by=by,
                reason="Entered in the quarterly grid",
            )
            saved += 1
        except ValidationError as exc:
            errors.append(f"{entry.measure.name}: {' '.join(exc.messages)}")
    if errors:
        raise ValidationError(errors, code="rows")
    return saved


@transaction.atomic
def performance_report_freeze(*, report: PerformanceReport, by: Person | None = None) -> PerformanceReportSnapshot:
    """Freeze the report as it stands: its layout, with every figure, is copied onto a new
    snapshot that nothing changes afterwards."""
    layout = selectors.report_layout(report)
    if not any(group["rows"] for s in layout["sections"] for t in s["tables"] for group in t["groups"]):
        raise ValidationError("The report has no measures to report.", code="empty")
    snapshot = PerformanceReportSnapshot(
        report=report,
        title=report.title,
        period_label=report.period.label,
        frozen_at=timezone.now(),
        frozen_by=by,
        layout=layout,
    )
    snapshot.full_clean()
    snapshot.save()
    return snapshot


@transaction.atomic
def snapshot_attach(
    *, snapshot: PerformanceReportSnapshot, committee_report: Report, by: Person | None = None
) -> Appendix:
    """Put a reported performance report inside a committee report, where the seed prints
    its KPI tables: within the report, after the recommendation, without a letter."""
    content_type = ContentType.objects.get_for_model(PerformanceReportSnapshot)
    if Appendix.objects.filter(
        report=committee_report, kind=Appendix.Kind.STRUCTURED, content_type=content_type
    ).exists():
        raise ValidationError(
            "This committee report already presents a performance report. Remove that appendix first "
            "if the report is to present a different one.",
            code="already_attached",
        )
    return committee_services.structured_appendix_attach(
        report=committee_report,
        row=snapshot,
        title=snapshot.title,
        placement=Appendix.Placement.WITHIN_REPORT,
        by=by,
    )


@transaction.atomic
def performance_report_present(
    *, report: PerformanceReport, committee_report: Report, by: Person | None = None
) -> tuple[PerformanceReportSnapshot, Appendix]:
    """Report to a meeting: freeze the report and put it inside the committee report."""
    snapshot = performance_report_freeze(report=report, by=by)
    appendix = snapshot_attach(snapshot=snapshot, committee_report=committee_report, by=by)
    return snapshot, appendix


@transaction.atomic
def quarter_start_after(*, quarter: ReportingPeriod, by: Person | None = None) -> ReportingPeriod:
    """Create the quarter that follows `quarter` (the latest the officer was shown), so that
    its figures can be entered. Refuses when it already exists (another officer started it)."""
    proposed = selectors.quarter_after(quarter)
    if ReportingPeriod.objects.filter(
        kind=ReportingPeriod.Kind.QUARTER, start=proposed["start"], end=proposed["end"]
    ).exists():
        raise ValidationError(f"{proposed['label']} has already been started: nothing was changed.")
    period = recorded_by(ReportingPeriod(kind=ReportingPeriod.Kind.QUARTER, **proposed), by)
    period.save()
    return period

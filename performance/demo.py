"""Load the seed's Q4 2017/18 performance report (performance/demo_data/q4_2017_18.toml), report
it to the 27 June 2018 meeting and put it inside the committee report that presented it.

The TOML keeps each cell as the seed prints it; `parse_cell` reads the number, its decimal
places, its period (in brackets) and its flags out of it, so that what is stored is numbers
and what the portal prints is worked out again from them (tests/performance/test_demo.py
checks that every cell comes back as the seed wrote it).

Idempotent: if the report is already there, nothing changes.
"""

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from committee import demo as committee_demo

from . import figures, services
from .models import (
    Comparator,
    ComparatorKind,
    Directorate,
    Measure,
    PerformanceReport,
    PerformanceReportSnapshot,
    Polarity,
    ReportCommentary,
    ReportGroup,
    ReportingPeriod,
    ReportRow,
    ReportSection,
    ReportTable,
    ServiceArea,
    Unit,
    Value,
)

DEMO_FILE = Path(__file__).parent / "demo_data" / "q4_2017_18.toml"
POLARITIES = {"H": Polarity.HIGH, "L": Polarity.LOW, "-": Polarity.NEITHER}
PLACEHOLDERS = {"-", "n/a", "New measure"}

CELL = re.compile(
    r"^(?:(?P<count>\d{1,3}(?:,\d{3})*)/)?"
    r"(?P<number>\d{1,3}(?:,\d{3})*(?:\.\d+)?)(?P<percent>%)?(?P<days> days)?"
    r"(?: (?P<forecast>\S+) forecast)?"
    r"(?: \((?P<bracket>[^)]+)\))?$"
)


@dataclass
class ParsedCell:
    number: Decimal
    decimal_places: int
    count: int | None
    percent: bool
    days: bool
    forecast_label: str
    bracket: str


def parse_cell(text: str) -> ParsedCell | None:
    """ "1,890/19.0% (Q4)" -> its parts; None for "-", "n/a" and "New measure"."""
    if text in PLACEHOLDERS:
        return None
    match = CELL.match(text)
    if match is None:
        raise ValueError(f"Cannot read the cell {text!r}.")
    number, places = figures.parse_number(match["number"])
    return ParsedCell(
        number=number,
        decimal_places=places,
        count=int(match["count"].replace(",", "")) if match["count"] else None,
        percent=bool(match["percent"]),
        days=bool(match["days"]),
        forecast_label=match["forecast"] or "",
        bracket=match["bracket"] or "",
    )


def load(*, stdout=None) -> bool:
    data = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
    if PerformanceReport.objects.filter(title=data["report"]["title"]).exists():
        return False
    with transaction.atomic():
        report = _load(data)
        committee_report = committee_demo.demo_report(data["report"]["committee_report"])
        snapshot, _ = services.performance_report_present(report=report, committee_report=committee_report)
        # The seed's history: the report was frozen when the agenda was published.
        published = committee_report.agenda_item.meeting.agenda_published_at
        if published is not None:
            PerformanceReportSnapshot.objects.filter(pk=snapshot.pk).update(frozen_at=published)
    return True


class _Loader:
    def __init__(self, data: dict):
        self.periods: dict[str, ReportingPeriod] = {}
        for p in data["periods"]:
            self.periods[p["key"]] = ReportingPeriod.objects.get_or_create(
                kind=p["kind"],
                start=p["start"],
                end=p["end"],
                defaults={"label": p["label"], "short_label": p.get("short_label", "")},
            )[0]
        self.service_areas: dict[str, ServiceArea] = {}
        for d_order, d in enumerate(data["directorates"], start=1):
            directorate, _ = Directorate.objects.get_or_create(name=d["name"], defaults={"order": d_order})
            for s_order, name in enumerate(d["service_areas"], start=1):
                self.service_areas[name] = ServiceArea.objects.get_or_create(
                    directorate=directorate, name=name, defaults={"order": s_order}
                )[0]
        self.measure_order: dict[str, int] = {}

    def period(self, key: str | None) -> ReportingPeriod | None:
        return self.periods[key] if key else None

    def period_for(self, bracket: str, key: str | None, column: ReportingPeriod | None) -> ReportingPeriod:
        """The period a cell's figure is for: the row's own (by key), else the one its
        bracket names, else the column's."""
        if key:
            return self.periods[key]
        if bracket:
            named = [p for p in self.periods.values() if p.label == bracket]
            if len(named) == 1:
                return named[0]
            if column is None:
                raise ValueError(f"'{bracket}' names {len(named)} periods: give the row's period key.")
        if column is None:
            raise ValueError("A cell in a table without fixed periods must name its period.")
        return column

    def measure(self, r: dict, service_area: ServiceArea) -> Measure:
        latest = parse_cell(r["latest"])
        unit = r["unit"]
        order = self.measure_order.setdefault(service_area.name, 0) + 1
        self.measure_order[service_area.name] = order
        measure = Measure(
            code=r["code"],
            name=r["name"],
            service_area=service_area,
            order=order,
            polarity=POLARITIES[r["good"]],
            unit=unit,
            reports_count=bool(latest and latest.count is not None),
            decimal_places=latest.decimal_places if latest else 0,
            is_ascof=r.get("ascof", False),
            comparator_applicable=r.get("england") != "n/a",
            introduced=r.get("introduced"),
        )
        measure.full_clean()
        measure.save()
        return measure

    def value(self, measure: Measure, text: str, period: ReportingPeriod, column, *, provisional: bool) -> None:
        cell = parse_cell(text)
        if cell is None:
            return
        if cell.percent != (measure.unit == Unit.PERCENTAGE):
            raise ValueError(f"{measure.code}: {text!r} does not match the unit {measure.unit}.")
        if cell.forecast_label and cell.forecast_label != period.short:
            raise ValueError(f"{measure.code}: {text!r} is a forecast for another period than {period.label}.")
        # The bracket is printed from the period when it differs from the column's; anything
        # else the seed writes there ("Q4", "rolling figure") is kept as the qualifier.
        names_period = cell.bracket == period.label and (column is None or period.pk != column.pk)
        value = Value(
            measure=measure,
            period=period,
            value=cell.number,
            decimal_places=cell.decimal_places,
            count=cell.count,
            is_provisional=provisional,
            is_forecast=bool(cell.forecast_label),
            qualifier="" if names_period else cell.bracket,
        )
        value.full_clean()
        value.save()


def _load(data: dict) -> PerformanceReport:
    loader = _Loader(data)
    r = data["report"]
    report = PerformanceReport.objects.create(title=r["title"], period=loader.periods[r["period"]])
    for s_order, s in enumerate(data["sections"], start=1):
        section = ReportSection.objects.create(
            report=report,
            order=s_order,
            heading=s["heading"],
            directorate=Directorate.objects.get(name=s["directorate"]),
        )
        for t_order, t in enumerate(s["tables"], start=1):
            _load_table(loader, section, t_order, t)
    return report


def _load_table(loader: _Loader, section: ReportSection, order: int, t: dict) -> None:
    table = ReportTable.objects.create(
        section=section,
        order=order,
        measure_header=t["measure_header"],
        polarity_header=t["polarity_header"],
        previous_header=t["previous_header"],
        previous_period=loader.period(t.get("previous_period")),
        latest_header=t["latest_header"],
        latest_period=loader.period(t.get("latest_period")),
        comparator_header=t["comparator_header"],
        comparator_kind=ComparatorKind.ENGLAND,
        unit_words=t.get("unit_words", False),
    )
    for g_order, g in enumerate(t["groups"], start=1):
        service_area = loader.service_areas[g["service_area"]]
        group = ReportGroup.objects.create(
            table=table,
            order=g_order,
            label=g.get("label", ""),
            service_area=service_area,
            subheader_previous=g.get("subheader_previous", ""),
            subheader_latest=g.get("subheader_latest", ""),
        )
        for r_order, r in enumerate(g["rows"], start=1):
            measure = loader.measure(r, service_area)
            previous = parse_cell(r["previous"])
            latest = parse_cell(r["latest"])
            previous_period = loader.period_for(
                previous.bracket if previous else "", r.get("previous_period"), table.previous_period
            )
            latest_period = loader.period_for(
                latest.bracket if latest else "", r.get("latest_period"), table.latest_period
            )
            provisional = t.get("provisional")
            loader.value(
                measure, r["previous"], previous_period, table.previous_period, provisional=provisional == "previous"
            )
            loader.value(measure, r["latest"], latest_period, table.latest_period, provisional=provisional == "latest")
            show_comparator_period = False
            if "england" in r and parse_cell(r["england"]):
                england = parse_cell(r["england"])
                comparator_period = loader.period_for(england.bracket, r.get("england_period"), latest_period)
                show_comparator_period = bool(england.bracket) and comparator_period.pk == latest_period.pk
                comparator = Comparator(
                    measure=measure,
                    period=comparator_period,
                    kind=ComparatorKind.ENGLAND,
                    value=england.number,
                    decimal_places=england.decimal_places,
                )
                comparator.full_clean()
                comparator.save()
            ReportRow.objects.create(
                group=group,
                order=r_order,
                measure=measure,
                label=r.get("label", ""),
                previous_period=previous_period if previous_period != table.previous_period else None,
                latest_period=latest_period if latest_period != table.latest_period else None,
                show_comparator_period=show_comparator_period,
            )
    for c_order, c in enumerate(t.get("commentary", []), start=1):
        ReportCommentary.objects.create(
            table=table,
            order=c_order,
            heading=c.get("heading", ""),
            service_area=loader.service_areas[c["service_area"]],
            body=c["body"].strip(),
        )

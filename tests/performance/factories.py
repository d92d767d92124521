"""Test data for performance monitoring: measures, periods, values, and reports built from them."""

from datetime import date
from decimal import Decimal

import factory

from performance import services
from performance.models import (
    Comparator,
    ComparatorKind,
    Directorate,
    Measure,
    PerformanceReport,
    ReportCommentary,
    ReportGroup,
    ReportingPeriod,
    ReportRow,
    ReportSection,
    ReportTable,
    ServiceArea,
    Value,
)
from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory


class DirectorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directorate
        django_get_or_create = ("name",)

    name = "Education and Children's Services"


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea
        django_get_or_create = ("directorate", "name")

    directorate = factory.SubFactory(DirectorateFactory)
    name = "Children's Social Care"


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod
        django_get_or_create = ("kind", "start", "end")

    kind = ReportingPeriod.Kind.FINANCIAL_YEAR
    label = "2017/18"
    short_label = "17/18"
    start = date(2017, 4, 1)
    end = date(2018, 3, 31)


def fy(year: int) -> ReportingPeriod:
    """The financial year starting in April of `year`: fy(2017) is 2017/18."""
    return PeriodFactory(
        label=f"{year}/{(year + 1) % 100:02}",
        short_label=f"{year % 100:02}/{(year + 1) % 100:02}",
        start=date(year, 4, 1),
        end=date(year + 1, 3, 31),
    )


def q4(year: int) -> ReportingPeriod:
    return PeriodFactory(
        kind=ReportingPeriod.Kind.QUARTER,
        label=f"Q4 {year}/{(year + 1) % 100:02}",
        short_label="",
        start=date(year + 1, 1, 1),
        end=date(year + 1, 3, 31),
    )


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    code = factory.Sequence(lambda n: f"measure-{n}")
    name = factory.Sequence(lambda n: f"Percentage of assessments completed in time {n}")
    service_area = factory.SubFactory(ServiceAreaFactory)
    polarity = "high"
    unit = "percentage"
    decimal_places = 1


def value(measure: Measure, period: ReportingPeriod, number, places: int = 0, **kwargs) -> Value:
    return services.value_record(
        measure=measure, period=period, value=Decimal(str(number)), decimal_places=places, **kwargs
    )


def england(measure: Measure, period: ReportingPeriod, number, places: int = 0) -> Comparator:
    return Comparator.objects.create(
        measure=measure, period=period, kind=ComparatorKind.ENGLAND, value=Decimal(str(number)), decimal_places=places
    )


def report_with(measures: list[Measure], *, title="Quarterly Corporate Performance Monitoring Report - Quarter 4 2017/18",
                previous=None, latest=None, commentary="<p>Performance has improved.</p>") -> PerformanceReport:  # fmt: skip
    """A report of one section and one table ("2016/17 | 2017/18 | England Average") with
    one group holding `measures`."""
    previous = previous or fy(2016)
    latest = latest or fy(2017)
    report = PerformanceReport.objects.create(title=title, period=q4(2017))
    section = ReportSection.objects.create(
        report=report, order=1, heading="Performance Summary Education and Children's Services",
        directorate=DirectorateFactory(),
    )  # fmt: skip
    table = ReportTable.objects.create(
        section=section, order=1, previous_header=previous.label, previous_period=previous,
        latest_header=latest.label, latest_period=latest,
    )  # fmt: skip
    group = ReportGroup.objects.create(table=table, order=1, label="Children's Social Care")
    for order, measure in enumerate(measures, start=1):
        ReportRow.objects.create(group=group, order=order, measure=measure)
    if commentary:
        ReportCommentary.objects.create(table=table, order=1, heading="Children's Social Care", body=commentary)
    return report


def presented_report(committee, officer, measures, *, published=True, **kwargs):
    """A report of `measures`, frozen and put inside a committee report of `committee`,
    whose agenda is published (or not)."""
    report = report_with(measures, **kwargs)
    meeting = MeetingFactory(committee=committee)
    committee_report = ReportFactory(
        agenda_item=AgendaItemFactory(meeting=meeting, title="Quarterly Corporate Performance Monitoring Report")
    )
    snapshot, appendix = services.performance_report_present(
        report=report, committee_report=committee_report, by=officer
    )
    if published:
        from committee.services import meeting_publish_agenda

        meeting_publish_agenda(meeting=meeting, by=officer)
    return snapshot, committee_report

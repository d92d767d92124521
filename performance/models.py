"""Performance monitoring: measures, the periods they are reported for, their values and
comparators, and the quarterly report that shows them to councillors.

Numbers are stored as numbers, with the number of decimal places the council prints them
with ("7" and "7.0" are the same number written two ways). What a cell of a report says
("9,907/403.9", "43% 17/18 forecast", "New measure") is worked out in performance.figures
from these fields, never stored as a display string, except in a reported (frozen) report,
whose figures never change once a meeting has seen them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.richtext import RichTextField

MAX_DECIMAL_PLACES = 4
# Figures are kept to six decimal places: rates and averages are printed with at most four.
FIGURE = {"max_digits": 20, "decimal_places": 6}


class Polarity(models.TextChoices):
    """The seed's "Good is High or Low" column: H, L or "-"."""

    HIGH = "high", "High is good"
    LOW = "low", "Low is good"
    NEITHER = "neither", "Neither (reported for information)"


POLARITY_LETTERS = {Polarity.HIGH: "H", Polarity.LOW: "L", Polarity.NEITHER: "-"}


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENTAGE = "percentage", "Percentage"
    RATE_1K = "rate_1k", "Rate per 1,000"
    RATE_10K = "rate_10k", "Rate per 10,000"
    RATE_100K = "rate_100k", "Rate per 100,000"
    DAYS = "days", "Days"
    NUMBER = "number", "Number (an average or a score)"


class RagStatus(models.TextChoices):
    """The seed's "Key for performance"."""

    GREEN = "green", "On track/good"
    AMBER = "amber", "Slightly below desired level"
    RED = "red", "Requires improvement"


class ComparatorKind(models.TextChoices):
    ENGLAND = "england", "England average"
    NORTH_WEST = "north_west", "North West average"
    STATISTICAL_NEIGHBOURS = "statistical_neighbours", "Statistical neighbours average"


class Directorate(models.Model):
    name = models.CharField(max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class ServiceArea(models.Model):
    directorate = models.ForeignKey(Directorate, on_delete=models.PROTECT, related_name="service_areas")
    name = models.CharField(max_length=200, help_text='As the report writes it: "Children\'s Social Care".')
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["directorate__order", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["directorate", "name"],
                name="servicearea_unique_name",
                violation_error_message="This directorate already has a service area with this name.",
            )
        ]

    def __str__(self):
        return self.name


class ReportingPeriod(models.Model):
    """A period a figure describes, labelled as councils write it ("2017/18", "Q4 2017/18",
    "Jul 16 - Jun 17"). The same label can name two periods ("2016/17" is a financial and an
    academic year), so a period is identified by its kind and dates."""

    class Kind(models.TextChoices):
        FINANCIAL_YEAR = "financial_year", "Financial year (April to March)"
        QUARTER = "quarter", "Quarter"
        MONTH = "month", "Month"
        ACADEMIC_YEAR = "academic_year", "Academic year (September to August)"
        CALENDAR_YEAR = "calendar_year", "Calendar year"
        MULTI_YEAR = "multi_year", "Several years"
        ROLLING = "rolling", "Rolling window"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    label = models.CharField(max_length=50, help_text='As the report writes it: "2017/18", "Oct 16 - Sept 17".')
    short_label = models.CharField(
        max_length=30, blank=True, help_text='A shorter form, used as in "43% 17/18 forecast". Blank: the label.'
    )
    start = models.DateField()
    end = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["end", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "start", "end"],
                name="reportingperiod_unique_dates",
                violation_error_message="There is already a period of this kind with these dates.",
            ),
            models.CheckConstraint(
                name="reportingperiod_ends_after_start",
                violation_error_message="A period ends on or after the day it starts.",
                condition=Q(end__gte=models.F("start")),
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.get_kind_display().split(' (')[0].lower()})"

    @property
    def short(self) -> str:
        return self.short_label or self.label


class Measure(models.Model):
    """A performance measure (indicator): what is counted, and which way is good."""

    class RagBasis(models.TextChoices):
        OFFICER = "officer", "Set by the officer for each value"
        TARGET = "target", "Computed against the target"
        ENGLAND = "england", "Computed against the England average"

    code = models.SlugField(max_length=60, unique=True, help_text="A short reference used in imports: csc-contacts.")
    name = models.CharField(max_length=400)
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="measures")
    order = models.PositiveSmallIntegerField(default=0, help_text="Order within the service area.")
    polarity = models.CharField(max_length=8, choices=Polarity.choices, verbose_name="good is")
    unit = models.CharField(max_length=12, choices=Unit.choices)
    reports_count = models.BooleanField(
        default=False,
        verbose_name="reports the count too",
        help_text='A rate or percentage given with its count, written "9,907/403.9" or "1,890/19.0%".',
    )
    decimal_places = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_DECIMAL_PLACES)],
        help_text="Decimal places usually printed; each value keeps its own.",
    )
    is_ascof = models.BooleanField(
        default=False,
        verbose_name="ASCOF indicator",
        help_text="Part of the Adult Social Care Outcomes Framework (national indicators).",
    )
    comparator_applicable = models.BooleanField(
        default=True,
        help_text='Untick where no national comparator can exist: the report prints "n/a", not "-".',
    )
    introduced = models.DateField(
        null=True, blank=True, help_text='First reported from this date: earlier columns print "New measure".'
    )
    retired = models.DateField(null=True, blank=True, help_text="No longer reported after this date.")
    rag_basis = models.CharField(
        max_length=8, choices=RagBasis.choices, default=RagBasis.OFFICER, verbose_name="RAG status"
    )
    amber_margin = models.DecimalField(
        **FIGURE,
        null=True,
        blank=True,
        help_text="How far on the wrong side of the target or England average still counts as "
        '"slightly below desired level", in the measure\'s unit (2 = 2 percentage points). '
        'Blank: any shortfall "requires improvement".',
    )
    definition = models.TextField(blank=True, help_text="How the measure is defined and where the data comes from.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["service_area__directorate__order", "service_area__order", "order", "name"]
        constraints = [
            models.CheckConstraint(
                name="measure_retired_after_introduced",
                violation_error_message="A measure is retired on or after the day it was introduced.",
                condition=Q(introduced__isnull=True) | Q(retired__isnull=True) | Q(retired__gte=models.F("introduced")),
            ),
            models.CheckConstraint(
                name="measure_count_not_counted_twice",
                violation_error_message="A measure whose figure is a count does not report a separate count: untick it, or change the unit.",
                condition=~Q(unit="count", reports_count=True),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("performance:measure-detail", args=[self.pk])

    @property
    def polarity_letter(self) -> str:
        return POLARITY_LETTERS[self.polarity]

    def clean(self):
        if self.unit == Unit.COUNT and self.reports_count:
            raise ValidationError(
                {"reports_count": "A count cannot also report a count: choose the rate or percentage as the unit."}
            )
        if self.unit == Unit.COUNT and self.decimal_places:
            raise ValidationError({"decimal_places": "Counts are whole numbers."})


class Figure(models.Model):
    """A number and the decimal places it is printed with."""

    value = models.DecimalField(**FIGURE)
    decimal_places = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_DECIMAL_PLACES)],
        help_text='Printed with this many decimal places: 0 for "7", 1 for "7.0".',
    )
    note = models.TextField(blank=True)

    class Meta:
        abstract = True

    def clean(self):
        if self.value is None or self.measure_id is None:
            return
        if self.measure.unit == Unit.COUNT:
            if self.value < 0 or self.value != self.value.to_integral_value():
                raise ValidationError({"value": "A count is a whole number, zero or more."}, code="count")
            if self.decimal_places:
                raise ValidationError({"decimal_places": "Counts are printed without decimals."}, code="count")
        if self.measure.unit == Unit.PERCENTAGE and not (Decimal(0) <= self.value <= Decimal(100)):
            raise ValidationError({"value": "A percentage is between 0 and 100."}, code="percentage")


class Value(Figure):
    """The council's figure for a measure in a period. Corrections overwrite it and keep the
    old figure in its history; reports already reported keep what they showed."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="values")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="values")
    count = models.PositiveBigIntegerField(
        null=True, blank=True, help_text='For a measure that reports its count too: the 9,907 of "9,907/403.9".'
    )
    is_provisional = models.BooleanField(
        default=False,
        verbose_name="provisional",
        help_text="Not the final, published figure: to be treated as an estimate.",
    )
    is_forecast = models.BooleanField(default=False, verbose_name="forecast", help_text='Printed "43% 17/18 forecast".')
    qualifier = models.CharField(
        max_length=60,
        blank=True,
        help_text='Printed in brackets after the figure, instead of its period: "Q4", "rolling figure".',
    )
    rag = models.CharField(
        max_length=5,
        choices=RagStatus.choices,
        blank=True,
        verbose_name="RAG status",
        help_text="Used when the measure's RAG status is set by the officer.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period__end", "period__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period"],
                name="value_unique_period",
                violation_error_message="This measure already has a figure for this period.",
            )
        ]

    def __str__(self):
        return f"{self.measure}: {self.period.label}"

    def clean(self):
        super().clean()
        if self.measure_id is None:
            return
        if self.measure.reports_count and self.count is None:
            raise ValidationError({"count": "This measure reports its count as well: give the count."}, code="count")
        if not self.measure.reports_count and self.count is not None:
            raise ValidationError({"count": "This measure does not report a count."}, code="count")


class Comparator(Figure):
    """A benchmark for a measure in a period: England, the North West, statistical neighbours."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="comparators")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="comparators")
    kind = models.CharField(max_length=24, choices=ComparatorKind.choices, default=ComparatorKind.ENGLAND)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "kind", "period__end"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period", "kind"],
                name="comparator_unique_period_kind",
                violation_error_message="This measure already has this comparator for this period.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.measure}, {self.period.label}"


class Target(Figure):
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="targets")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="targets")
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period__end"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period"],
                name="target_unique_period",
                violation_error_message="This measure already has a target for this period.",
            )
        ]

    def __str__(self):
        return f"Target: {self.measure}, {self.period.label}"


# The report -----------------------------------------------------------------------------------


class PerformanceReport(models.Model):
    """A quarterly performance report being prepared: which measures, in which tables,
    groups and order, with which columns and commentary. Reporting it to a meeting freezes
    it into a PerformanceReportSnapshot."""

    title = models.CharField(max_length=300)
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="reports", help_text="The quarter reported on."
    )
    show_rag_key = models.BooleanField(default=True, verbose_name='print the "Key for performance"')
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period__end", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("performance:report-preview", args=[self.pk])


class ReportSection(models.Model):
    """A directorate's part of the report, under its heading."""

    report = models.ForeignKey(PerformanceReport, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(max_length=300, help_text='"Performance Summary Education and Children\'s Services"')
    directorate = models.ForeignKey(Directorate, null=True, blank=True, on_delete=models.PROTECT)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "order"]

    def __str__(self):
        return self.heading


class ReportTable(models.Model):
    """One table of the report with its column headings. The two figure columns are either
    fixed periods ("2016/17 | 2017/18") or, left blank, "Previous Period | Latest Available",
    where each row names its periods and each figure prints its period in brackets."""

    section = models.ForeignKey(ReportSection, on_delete=models.CASCADE, related_name="tables")
    order = models.PositiveSmallIntegerField(default=0)
    caption = models.CharField(max_length=300, blank=True, help_text="Optional: what the table shows.")
    measure_header = models.CharField(max_length=100, default="Performance Measure")
    polarity_header = models.CharField(
        max_length=100, blank=True, default="Good is High or Low", help_text="Blank: no such column."
    )
    previous_header = models.CharField(max_length=100, default="Previous Period")
    previous_period = models.ForeignKey(
        ReportingPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Blank: each row gives its own period.",
    )  # fmt: skip
    latest_header = models.CharField(max_length=100, default="Latest Available")
    latest_period = models.ForeignKey(
        ReportingPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Blank: each row gives its own period.",
    )  # fmt: skip
    comparator_header = models.CharField(
        max_length=100, blank=True, default="England Average", help_text="Blank: no comparator column."
    )
    comparator_kind = models.CharField(max_length=24, choices=ComparatorKind.choices, default=ComparatorKind.ENGLAND)
    unit_words = models.BooleanField(default=False, help_text='Write units in the cells: "4.6 days".')
    footnote = models.TextField(blank=True, help_text="Printed under the table.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "order"]

    def __str__(self):
        return self.caption or f"{self.section}: table {self.order}"


class ReportGroup(models.Model):
    """A group of rows under a heading row ("Children's Social Care", "Support for carers")."""

    table = models.ForeignKey(ReportTable, on_delete=models.CASCADE, related_name="groups")
    order = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=200, blank=True, help_text="The group's heading row. Blank: none.")
    service_area = models.ForeignKey(ServiceArea, null=True, blank=True, on_delete=models.PROTECT)
    subheader_previous = models.CharField(
        max_length=100, blank=True, help_text="Gives the group its own header row with this previous column heading."
    )
    subheader_latest = models.CharField(
        max_length=100, blank=True, help_text='...and this latest column heading ("17/18 year to date").'
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["table", "order"]

    def __str__(self):
        return self.label or f"{self.table}: group {self.order}"


class ReportRow(models.Model):
    group = models.ForeignKey(ReportGroup, on_delete=models.CASCADE, related_name="rows")
    order = models.PositiveSmallIntegerField(default=0)
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="report_rows")
    label = models.CharField(max_length=400, blank=True, help_text='Blank: the measure\'s name. ("All Faults")')
    previous_period = models.ForeignKey(
        ReportingPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Blank: the table's previous period.",
    )  # fmt: skip
    latest_period = models.ForeignKey(
        ReportingPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Blank: the table's latest period.",
    )  # fmt: skip
    show_comparator_period = models.BooleanField(
        default=False,
        help_text="Print the comparator's period even when it is the latest figure's: \"4.7% (2016/17)\".",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "order"]

    def __str__(self):
        return self.label or self.measure.name


class ReportCommentary(models.Model):
    """Commentary printed after a table, usually one per service area."""

    table = models.ForeignKey(ReportTable, on_delete=models.CASCADE, related_name="commentary")
    order = models.PositiveSmallIntegerField(default=0)
    heading = models.CharField(max_length=200, blank=True)
    service_area = models.ForeignKey(ServiceArea, null=True, blank=True, on_delete=models.PROTECT)
    body = RichTextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["table", "order"]
        verbose_name_plural = "commentary"

    def __str__(self):
        return self.heading or f"Commentary {self.order}"


class PerformanceReportSnapshot(models.Model):
    """A performance report as reported to a meeting. Its layout holds every figure as it
    stood when it was frozen (numbers with their decimal places, periods, flags, commentary),
    so that a published pack never changes when a value is later corrected. It is never
    edited: report again to make a new one."""

    report = models.ForeignKey(PerformanceReport, on_delete=models.PROTECT, related_name="snapshots")
    title = models.CharField(max_length=300)
    period_label = models.CharField(max_length=50)
    frozen_at = models.DateTimeField()
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    layout = models.JSONField(editable=False)

    class Meta:
        ordering = ["-frozen_at"]
        get_latest_by = "frozen_at"
        verbose_name = "reported performance report"

    def __str__(self):
        return f"{self.title} (reported {self.frozen_at:%d %B %Y})"

    def get_absolute_url(self):
        return reverse("performance:report-detail", args=[self.pk])

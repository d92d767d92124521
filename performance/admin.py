"""The officers' workplace for performance monitoring. Every edit is kept in history;
values and comparators import from CSV or XLSX (all or nothing, with a preview); a
report is reported to a meeting through a service, which freezes it."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from simple_history.admin import SimpleHistoryAdmin

from committee.models import Report
from core.admin_helpers import WrittenByServicesMixin, service_page
from core.forms import CarefulAdminMixin
from core.imports import IMPORT_FORMATS

from . import selectors, services
from .figures import format_figure
from .models import (
    Comparator,
    Directorate,
    Measure,
    PerformanceReport,
    PerformanceReportSnapshot,
    ReportCommentary,
    ReportGroup,
    ReportingPeriod,
    ReportRow,
    ReportSection,
    ReportTable,
    ServiceArea,
    Target,
    Value,
)
from .resources import ComparatorResource, ValueResource


class ServiceAreaInline(admin.TabularInline):
    model = ServiceArea
    extra = 0


@admin.register(Directorate)
class DirectorateAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "order"]
    search_fields = ["name"]
    inlines = [ServiceAreaInline]


@admin.register(ServiceArea)
class ServiceAreaAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "directorate", "order", "grid_link"]
    list_filter = ["directorate"]
    list_select_related = ["directorate"]
    search_fields = ["name"]

    @admin.display(description="Figures")
    def grid_link(self, service_area):
        return format_html(
            '<a href="{}?service_area={}">Enter a quarter\'s figures</a>',
            reverse("performance:entry-choose"),
            service_area.pk,
        )


class NextQuarterForm(forms.Form):
    after = forms.ModelChoiceField(
        queryset=ReportingPeriod.objects.filter(kind=ReportingPeriod.Kind.QUARTER), widget=forms.HiddenInput
    )


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["label", "kind", "start", "end"]
    list_filter = ["kind"]
    search_fields = ["label", "short_label"]
    date_hierarchy = "end"
    change_list_template = "admin/performance/reportingperiod/change_list.html"

    def get_urls(self):
        return [
            path(
                "next-quarter/",
                self.admin_site.admin_view(self.next_quarter_view),
                name="performance_reportingperiod_next_quarter",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "entry_url": reverse("performance:entry-choose")}
        return super().changelist_view(request, extra_context)

    def next_quarter_view(self, request):
        """Start the next quarter: shows the quarter that follows the latest one and creates it
        when the officer confirms (performance.services.quarter_start_next)."""
        if not request.user.has_perm("performance.add_reportingperiod"):
            raise PermissionDenied
        form = NextQuarterForm(request.POST or None)
        # What the officer confirms is the quarter after the one they were shown: a page
        # opened before a colleague started it is refused, not silently moved on a quarter.
        last = form.cleaned_data["after"] if form.is_bound and form.is_valid() else selectors.last_quarter()
        if last is None:
            self.message_user(request, "There is no quarter on record to follow: add the first one.", "error")
            return redirect("admin:performance_reportingperiod_add")
        if not form.is_bound:
            form = NextQuarterForm(initial={"after": last.pk})

        def start():
            period = services.quarter_start_after(quarter=last, by=request.user)
            return (
                f"{period.label} started: its figures can now be entered.",
                reverse("performance:entry-choose"),
            )

        return service_page(
            self,
            request,
            ready=form.is_bound and form.is_valid(),
            obj=last,
            action="Start the next quarter",
            run=start,
            template="admin/performance/reportingperiod/next_quarter.html",
            context={"proposed": selectors.quarter_after(last), "last": last, "form": form},
        )


@admin.register(Measure)
class MeasureAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "code",
        "service_area",
        "polarity",
        "unit",
        "is_ascof",
        "rag_basis",
        "introduced",
        "retired",
    ]
    list_filter = ["service_area__directorate", "service_area", "polarity", "unit", "is_ascof", "rag_basis"]
    list_select_related = ["service_area"]
    search_fields = ["name", "code"]
    fieldsets = [
        (None, {"fields": ["name", "code", "service_area", "order", "definition"]}),
        ("How it is counted", {"fields": ["polarity", "unit", "reports_count", "decimal_places"]}),
        ("Framework and lifetime", {"fields": ["is_ascof", "comparator_applicable", "introduced", "retired"]}),
        ("RAG status", {"fields": ["rag_basis", "amber_margin"]}),
    ]


class FigureImportExport(ImportExportMixin):
    import_formats = IMPORT_FORMATS
    export_formats = [base_formats.CSV, base_formats.XLSX]


@admin.register(Value)
class ValueAdmin(CarefulAdminMixin, FigureImportExport, SimpleHistoryAdmin):
    resource_classes = [ValueResource]
    list_display = ["measure", "period", "figure", "is_provisional", "is_forecast", "qualifier", "rag", "updated_at"]
    list_filter = [
        "measure__service_area__directorate",
        "measure__service_area",
        "period",
        "is_provisional",
        "is_forecast",
    ]
    list_select_related = ["measure", "period"]
    search_fields = ["measure__name", "measure__code", "note"]
    autocomplete_fields = ["measure"]

    @admin.display(description="Figure", ordering="value")
    def figure(self, value):
        # Officers see every figure as it will be printed, small counts included.
        return format_figure(value.value, value.decimal_places, value.measure.unit, count=value.count)


@admin.register(Comparator)
class ComparatorAdmin(CarefulAdminMixin, FigureImportExport, SimpleHistoryAdmin):
    resource_classes = [ComparatorResource]
    list_display = ["measure", "kind", "period", "figure"]
    list_filter = ["kind", "measure__service_area", "period"]
    list_select_related = ["measure", "period"]
    search_fields = ["measure__name", "measure__code"]
    autocomplete_fields = ["measure"]

    @admin.display(description="Figure", ordering="value")
    def figure(self, comparator):
        return format_figure(comparator.value, comparator.decimal_places, comparator.measure.unit)


@admin.register(Target)
class TargetAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["measure", "period", "value", "decimal_places"]
    list_filter = ["measure__service_area", "period"]
    list_select_related = ["measure", "period"]
    search_fields = ["measure__name", "measure__code"]
    autocomplete_fields = ["measure"]


# The report's layout: report > sections > tables > groups > rows ------------------------------


class ReportSectionInline(admin.TabularInline):
    model = ReportSection
    extra = 0
    show_change_link = True


class ReportToMeetingForm(forms.Form):
    committee_report = forms.ModelChoiceField(
        queryset=Report.objects.none(),
        label="Committee report",
        help_text="The report that presents these figures; the tables go within it, after the recommendation.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee_report"].queryset = Report.objects.select_related(
            "agenda_item__meeting__committee"
        ).order_by("-agenda_item__meeting__starts_at", "agenda_item__order")
        self.fields["committee_report"].label_from_instance = lambda r: (
            f"{r.agenda_item.meeting.committee.name}, {r.agenda_item.meeting.starts_at:%d %B %Y}: {r.title}"
        )


@admin.register(PerformanceReport)
class PerformanceReportAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    open_after_adding = True  # previewed and reported to a meeting from its page
    list_display = ["title", "period", "preview_link", "snapshot_count"]
    list_select_related = ["period"]
    search_fields = ["title"]
    inlines = [ReportSectionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(snapshot_total=Count("snapshots"))

    @admin.display(description="Preview")
    def preview_link(self, report):
        return format_html('<a href="{}">Preview</a>', reverse("performance:report-preview", args=[report.pk]))

    @admin.display(description="Times reported", ordering="snapshot_total")
    def snapshot_count(self, report):
        return report.snapshot_total

    def get_urls(self):
        return [
            path(
                "<int:pk>/report-to-meeting/",
                self.admin_site.admin_view(self.report_to_meeting_view),
                name="performance_performancereport_report_to_meeting",
            ),
            *super().get_urls(),
        ]

    def report_to_meeting_view(self, request, pk):
        if not (
            request.user.has_perm("performance.add_performancereportsnapshot")
            and request.user.has_perm("committee.add_appendix")
        ):
            raise PermissionDenied
        report = get_object_or_404(PerformanceReport, pk=pk)
        form = ReportToMeetingForm(request.POST or None)

        def present():
            snapshot, _ = services.performance_report_present(
                report=report, committee_report=form.cleaned_data["committee_report"], by=request.user
            )
            return f"Reported and frozen: {snapshot}.", snapshot.get_absolute_url()

        return service_page(
            self,
            request,
            ready=request.method == "POST" and form.is_valid(),
            obj=report,
            action="Report to a meeting",
            run=present,
            template="admin/performance/performancereport/report_to_meeting.html",
            context={"report": report, "form": form},
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["report_to_meeting_url"] = reverse(
                "admin:performance_performancereport_report_to_meeting", args=[obj.pk]
            )
            context["preview_url"] = reverse("performance:report-preview", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)


class ReportTableInline(admin.StackedInline):
    model = ReportTable
    extra = 0
    show_change_link = True
    fields = [
        "order",
        "caption",
        "measure_header",
        "polarity_header",
        "previous_header",
        "previous_period",
        "latest_header",
        "latest_period",
        "comparator_header",
        "comparator_kind",
        "unit_words",
        "footnote",
    ]


@admin.register(ReportSection)
class ReportSectionAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["heading", "report", "order", "directorate"]
    list_filter = ["report"]
    list_select_related = ["report", "directorate"]
    inlines = [ReportTableInline]


class ReportGroupInline(admin.TabularInline):
    model = ReportGroup
    extra = 0
    show_change_link = True


class ReportCommentaryInline(admin.StackedInline):
    model = ReportCommentary
    extra = 0


@admin.register(ReportTable)
class ReportTableAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "section", "order", "previous_header", "latest_header"]
    list_filter = ["section__report"]
    list_select_related = ["section"]
    inlines = [ReportGroupInline, ReportCommentaryInline]


class ReportRowInline(admin.TabularInline):
    model = ReportRow
    extra = 0
    autocomplete_fields = ["measure"]


@admin.register(ReportGroup)
class ReportGroupAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "table", "order", "service_area"]
    list_filter = ["table__section__report"]
    list_select_related = ["table", "service_area"]
    inlines = [ReportRowInline]


@admin.register(PerformanceReportSnapshot)
class PerformanceReportSnapshotAdmin(CarefulAdminMixin, WrittenByServicesMixin, admin.ModelAdmin):
    """Reported reports are read only: what a meeting saw never changes."""

    list_display = ["title", "period_label", "frozen_at", "frozen_by", "public_link"]
    list_select_related = ["frozen_by"]
    search_fields = ["title"]
    readonly_fields = ["report", "title", "period_label", "frozen_at", "frozen_by", "public_link"]
    exclude = ["layout"]

    @admin.display(description="Page")
    def public_link(self, snapshot):
        return format_html('<a href="{}">View</a>', snapshot.get_absolute_url())

"""Pages. Reported reports are found through committee.gate.structured_readable (via
performance.selectors), so the one gate decides who sees them; drafts and the entry grid
are for officers with the performance permissions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from committee.gate import reader_for
from core.exports import SafeTableExport
from core.forms import changed_rows, latest_editor, rows_version
from core.text import join_and, told_apart

from . import selectors, services
from .figures import format_number
from .forms import EntryChoiceForm, EntryFormSet
from .models import ReportingPeriod, ServiceArea
from .tables import MeasureRowTable, ReportExportTable, export_rows

EXPORT_FORMATS = ("csv", "xlsx")


def _with_tables(presented: dict) -> dict:
    """Give each group of rows its django-tables2 table."""
    groups = [
        (table, group) for section in presented["sections"] for table in section["tables"] for group in table["groups"]
    ]
    made = [MeasureRowTable(group["rows"], table=table, group=group) for table, group in groups]
    # Two groups may share a heading: their scroll boxes are still named apart.
    for (_, group), table2, label in zip(groups, made, told_apart([t.caption for t in made]), strict=True):
        table2.region_label = label
        group["table2"] = table2
    return presented


@require_GET
def index(request):
    reader = reader_for(request.user)
    return render(
        request,
        "performance/index.html",
        {
            "snapshots": selectors.snapshot_list(reader),
            "measures": selectors.measures_reported(reader),
            "drafts": selectors.drafts() if request.user.has_perm("performance.view_performancereport") else None,
            "may_enter": request.user.has_perm("performance.change_value"),
        },
    )


@require_GET
def report_detail(request, pk):
    reader = reader_for(request.user)
    snapshot = selectors.snapshot_detail(pk, reader)
    return render(
        request,
        "performance/report_detail.html",
        {
            "snapshot": snapshot,
            "performance": _with_tables(selectors.present_layout(snapshot.layout)),
            "reported_in": selectors.reported_in(snapshot, reader),
            "export_formats": EXPORT_FORMATS,
        },
    )


@require_GET
def report_export(request, pk, export_format):
    if export_format not in EXPORT_FORMATS:
        raise Http404("No such format")
    reader = reader_for(request.user)
    snapshot = selectors.snapshot_detail(pk, reader)
    table = ReportExportTable(export_rows(selectors.present_layout(snapshot.layout)))
    exporter = SafeTableExport(export_format, table, dataset_kwargs={"title": "Performance"})
    return exporter.response(f"{slugify(snapshot.title)}.{export_format}")


@login_required
@permission_required("performance.view_performancereport", raise_exception=True)
@require_GET
def report_preview(request, pk):
    """The draft as it stands, as it would be reported (small counts suppressed)."""
    report = selectors.report_for_layout(pk)
    return render(
        request,
        "performance/report_detail.html",
        {
            "draft": report,
            "performance": _with_tables(selectors.present_layout(selectors.report_layout(report))),
            "reported_in": [],
            "export_formats": (),
        },
    )


@require_GET
def measure_detail(request, pk):
    reader = reader_for(request.user)
    measure = selectors.measure_detail(pk)
    live = request.user.has_perm("performance.view_value")
    rows = selectors.measure_trend_live(measure) if live else selectors.measure_trend_reported(measure, reader)
    if not rows and not live:
        # A measure is public once a report that shows it has been published.
        raise Http404("No such measure")
    return render(
        request,
        "performance/measure_detail.html",
        {"measure": measure, "rows": rows, "live": live, "chart": selectors.trend_chart_for(rows)},
    )


@login_required
@permission_required(["performance.add_value", "performance.change_value"], raise_exception=True)
@require_GET
def entry_choose(request):
    form = EntryChoiceForm(request.GET or None, service_areas=selectors.service_areas(), periods=selectors.periods())
    if form.is_valid():
        return redirect(
            "performance:entry-grid",
            service_area=form.cleaned_data["service_area"].pk,
            period=form.cleaned_data["period"].pk,
        )
    return render(request, "performance/entry_choose.html", {"form": form})


@login_required
@permission_required(["performance.add_value", "performance.change_value"], raise_exception=True)
@require_http_methods(["GET", "POST"])
def entry_grid(request, service_area, period):
    """A quarter's figures for one service area in one grid; saved all or none."""
    service_area = get_object_or_404(ServiceArea.objects.select_related("directorate"), pk=service_area)
    period = get_object_or_404(ReportingPeriod, pk=period)
    measures = selectors.entry_measures(service_area, period)
    initial = [_initial(m) for m in measures]
    formset = EntryFormSet(request.POST or None, initial=initial, measures=measures)
    # A grid shown again (a row to correct) keeps the version its figures were first drawn from.
    seen = request.POST.get("version_seen", "")
    version = seen or rows_version([m.current_value for m in measures])
    problems = []
    if request.method == "POST" and formset.is_valid():
        entries = [_entry(form) for form in formset.forms]
        with transaction.atomic():
            # The figures as they are now, locked: another officer's save since this grid was
            # drawn is not overwritten by the figures it showed.
            now = selectors.entry_measures(service_area, period, lock=True)
            changed = changed_rows(seen, rows_version([m.current_value for m in now])) if seen else []
            if changed:
                problems = [_changed_meanwhile([now[index] for index in changed])]
                version = rows_version([m.current_value for m in now])
            else:
                try:
                    saved = services.values_record(period=period, entries=entries, by=request.user)
                except ValidationError as exc:
                    problems = exc.messages
                else:
                    messages.success(request, f"Saved {saved} figure{'s' if saved != 1 else ''} for {period.label}.")
                    return redirect(reverse("performance:entry-grid", args=[service_area.pk, period.pk]))
    return render(
        request,
        "performance/entry_grid.html",
        {
            "service_area": service_area,
            "period": period,
            "formset": formset,
            "rows": list(zip(measures, formset.forms, strict=True)),
            "problems": problems,
            "version_seen": version,
        },
    )


def _changed_meanwhile(measures) -> str:
    names = join_and([m.name for m in measures])
    people = join_and(sorted({latest_editor(m.current_value) for m in measures}))
    return (
        f"While you had this page open, {people} saved figures for {names}. Nothing was saved: your figures "
        "are still in the grid. Check them against the figures now stored (open the grid in another tab), "
        "then save again to keep what this grid shows."
    )


def _initial(measure) -> dict:
    value = measure.current_value
    if value is None:
        return {}
    return {
        "value": format_number(value.value, value.decimal_places),
        "count": "" if value.count is None else str(value.count),
        "is_provisional": value.is_provisional,
        "is_forecast": value.is_forecast,
        "qualifier": value.qualifier,
        "rag": value.rag,
        "note": value.note,
    }


def _entry(form) -> services.Entry:
    data = form.cleaned_data
    parsed = data.get("value")
    return services.Entry(
        measure=form.measure,
        value=parsed[0] if parsed else None,
        decimal_places=parsed[1] if parsed else 0,
        count=data.get("count"),
        is_provisional=data.get("is_provisional", False),
        is_forecast=data.get("is_forecast", False),
        qualifier=data.get("qualifier", ""),
        note=data.get("note", ""),
        rag=data.get("rag", ""),
    )

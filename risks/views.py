"""Public pages of the registers as reported. Every snapshot is looked up through the one
gate (committee.gate.structured_readable, via risks.selectors): a snapshot that is not
attached to a report this reader may read is a 404."""

from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from committee.gate import reader_for
from core.exports import SafeTableExport

from . import selectors
from .charts import score_chart
from .filters import SnapshotEntryFilter
from .tables import SnapshotEntryTable

EXPORT_FORMATS = (SafeTableExport.CSV, SafeTableExport.XLSX)


@require_GET
def index(request):
    reader = reader_for(request.user)
    return render(request, "risks/index.html", {"registers": selectors.registers_with_snapshots(reader)})


@require_GET
def snapshot_detail(request, pk: int):
    """The register as reported: filterable, sortable table (with CSV and XLSX exports), the
    heat map of residual scores and the Key to Scores."""
    reader = reader_for(request.user)
    snapshot = selectors.snapshot_for(reader, pk)
    entries = selectors.snapshot_entries(snapshot)
    filterset = SnapshotEntryFilter(
        request.GET or None,
        queryset=selectors.snapshot_entries_queryset(snapshot),
        **selectors.filter_choices(entries),
    )
    shown = selectors.snapshot_entries(snapshot, filterset.qs)
    table = SnapshotEntryTable(shown, caption=f"{snapshot.title}: {len(shown)} of {len(entries)} entries")
    RequestConfig(request, paginate=False).configure(table)

    export_format = request.GET.get("_export")
    if export_format in EXPORT_FORMATS:
        exporter = SafeTableExport(export_format, table, dataset_kwargs={"title": "Register"})
        return exporter.response(filename=f"{slugify(snapshot.title)}.{export_format}")

    bands = selectors.bands_from_data(snapshot.bands)
    query = request.GET.copy()
    query.pop("_export", None)
    return render(
        request,
        "risks/snapshot_detail.html",
        {
            "snapshot": snapshot,
            "reports": selectors.snapshot_reports(reader, snapshot),
            "filterset": filterset,
            "table": table,
            **selectors.entry_counts(entries, shown),
            "heat_map": selectors.score_grid(bands, entries, "residual"),
            "key": selectors.score_grid(bands),
            "bands": bands,
            "export_query": query.urlencode(),
        },
    )


@require_GET
def snapshot_entry(request, pk: int, reference: str):
    """One entry as reported, with its scores in every snapshot the reader may see."""
    reader = reader_for(request.user)
    snapshot = selectors.snapshot_for(reader, pk)
    entry = selectors.snapshot_entry_for(snapshot, reference)
    history = selectors.entry_across_snapshots(reader, entry)
    headings = entry.headings
    return render(
        request,
        "risks/snapshot_entry.html",
        {
            "snapshot": snapshot,
            "entry": entry,
            "headings": headings,
            "history": history,
            "chart": score_chart(history, score_label=headings["score"], residual_label=headings["residual"]),
        },
    )

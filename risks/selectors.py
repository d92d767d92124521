"""Reads for the register pages, the exports and the agenda pack.

Who may see a snapshot is decided by committee.gate.structured_readable (the one gate):
a snapshot is public once it is attached to a report appendix the reader may read. Live
entries are never shown outside the officers' admin.

The direction of travel is derived from an earlier snapshot, and a derived figure is as
restricted as its source: each reader sees it worked out against the latest earlier
snapshot they may read (`compared_for`), which is not always the one it was stored against.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from committee import gate
from committee.appendices import pack_pieces
from committee.models import Appendix

from .models import (
    IMPACT,
    LIKELIHOOD,
    Entry,
    Kind,
    Register,
    RegisterSnapshot,
    ScoreBand,
    SnapshotEntry,
    SnapshotEntryRiskType,
    SnapshotSummary,
    direction_of_travel,
)

# Bands and colours ------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    name: str
    min_score: int
    max_score: int
    colour: str
    text_colour: str

    def contains(self, score: int | None) -> bool:
        return score is not None and self.min_score <= score <= self.max_score

    @property
    def range_display(self) -> str:
        return f"{self.min_score} to {self.max_score}"


def bands_from_data(data: list[dict]) -> list[Band]:
    return sorted((Band(**band) for band in data), key=lambda b: b.min_score)


def register_bands(register: Register) -> list[Band]:
    return bands_from_data([band.as_data() for band in ScoreBand.objects.filter(register=register)])


def band_for(bands: list[Band], score: int | None) -> Band | None:
    return next((band for band in bands if band.contains(score)), None)


def with_bands(entries, bands: list[Band]) -> list:
    """Attach each entry's bands (`inherent_band`, `residual_band`) for tables and templates."""
    entries = list(entries)
    for entry in entries:
        entry.inherent_band = band_for(bands, entry.inherent_score)
        entry.residual_band = band_for(bands, entry.residual_score)
    return entries


# The 5x5 grid (Key to Scores and heat map) -------------------------------------------------


@dataclass
class GridCell:
    likelihood: int
    impact: int
    score: int
    band: Band | None
    entries: list = field(default_factory=list)


@dataclass
class GridRow:
    impact: int
    label: str
    cells: list[GridCell]


@dataclass
class ScoreOnly:
    """Entries whose score is known but not their likelihood and impact."""

    score: int
    band: Band | None
    entries: list


@dataclass
class ScoreGrid:
    likelihoods: list[tuple[int, str]]
    rows: list[GridRow]
    unplaced: list[ScoreOnly]
    placed_count: int


def score_grid(bands: list[Band], entries=(), position: str = "residual") -> ScoreGrid:
    """The seed's Key to Scores: impact rows from Catastrophic down, likelihood columns from
    Rare. Entries with a likelihood and impact sit in their cell; entries known only by
    their score are listed by score, never put in a guessed cell."""
    cells: dict[tuple[int, int], list] = defaultdict(list)
    by_score: dict[int, list] = defaultdict(list)
    for entry in entries:
        likelihood = getattr(entry, f"{position}_likelihood")
        impact = getattr(entry, f"{position}_impact")
        if likelihood is None:
            by_score[getattr(entry, f"{position}_score")].append(entry)
        else:
            cells[(likelihood, impact)].append(entry)
    rows = [
        GridRow(
            impact=impact,
            label=label if impact < 5 else "Catastrophic (for risk) / Outstanding (for opportunity)",
            cells=[
                GridCell(
                    likelihood,
                    impact,
                    likelihood * impact,
                    band_for(bands, likelihood * impact),
                    cells[(likelihood, impact)],
                )
                for likelihood in LIKELIHOOD
            ],
        )
        for impact, label in sorted(IMPACT.items(), reverse=True)
    ]
    unplaced = [
        ScoreOnly(score=score, band=band_for(bands, score), entries=listed)
        for score, listed in sorted(by_score.items(), reverse=True)
    ]
    return ScoreGrid(
        likelihoods=list(LIKELIHOOD.items()),
        rows=rows,
        unplaced=unplaced,
        placed_count=sum(len(listed) for listed in cells.values()),
    )


# Snapshots as the public sees them ----------------------------------------------------------


def readable_snapshots(reader) -> QuerySet[RegisterSnapshot]:
    return gate.structured_readable(reader, RegisterSnapshot).select_related("register")


def registers_with_snapshots(reader) -> list[tuple[Register, list[RegisterSnapshot]]]:
    """Each register with the snapshots this reader may see, newest first."""
    grouped: dict[int, tuple[Register, list]] = {}
    snapshots = (
        readable_snapshots(reader).annotate(entry_count=Count("entries")).order_by("register__name", "-taken_at", "-pk")
    )
    for snapshot in snapshots:
        grouped.setdefault(snapshot.register_id, (snapshot.register, []))[1].append(snapshot)
    return list(grouped.values())


def snapshot_for(reader, pk: int) -> RegisterSnapshot:
    try:
        snapshot = readable_snapshots(reader).select_related("previous").get(pk=pk)
    except RegisterSnapshot.DoesNotExist as exc:
        # 404, not 403: nobody learns that an unreported snapshot exists.
        raise Http404("No such register snapshot") from exc
    return compared_for(reader, snapshot)


def _earlier(snapshot: RegisterSnapshot) -> Q:
    return Q(register_id=snapshot.register_id) & (
        Q(taken_at__lt=snapshot.taken_at) | Q(taken_at=snapshot.taken_at, pk__lt=snapshot.pk)
    )


def entry_counts(entries, shown) -> dict[str, int]:
    """How many entries the snapshot holds (risks, opportunities) and how many the filters
    show, for the page's summary line."""
    return {
        "shown_count": len(shown),
        "entry_count": len(entries),
        "risk_count": sum(1 for entry in entries if entry.kind == Kind.RISK),
        "opportunity_count": sum(1 for entry in entries if entry.kind == Kind.OPPORTUNITY),
    }


def compared_for(reader, snapshot: RegisterSnapshot) -> RegisterSnapshot:
    """The snapshot with its direction of travel as `reader` may see it. When the snapshot it
    was worked out against is one the reader may not read (reported only in Part II), its
    label and scores must not show ("was 16"): `snapshot.previous` becomes the latest earlier
    snapshot the reader may read (None if there is none), and `snapshot.rescored` holds that
    snapshot's residual scores, by live entry, for snapshot_entries to work the direction out
    again. One query when the stored comparison stands, two when it does not."""
    snapshot.rescored = None
    if snapshot.previous_id is None:
        return snapshot
    base = _base(reader, snapshot)
    if base is not None and base.pk == snapshot.previous_id:
        return snapshot
    snapshot.previous = base
    snapshot.rescored = (
        dict(SnapshotEntry.objects.filter(snapshot=base, entry__isnull=False).values_list("entry_id", "residual_score"))
        if base is not None
        else {}
    )
    return snapshot


def _base(reader, snapshot: RegisterSnapshot) -> RegisterSnapshot | None:
    """The latest earlier snapshot of the register that `reader` may read."""
    return readable_snapshots(reader).filter(_earlier(snapshot)).order_by("-taken_at", "-pk").first()


def compared_with(snapshot: RegisterSnapshot, reader=None) -> list[RegisterSnapshot]:
    """The snapshot whose scores `reader` sees this one's direction of travel worked out
    against (compared_for's), as a list; `snapshot` is left as it is."""
    base = _base(reader or gate.Reader.public(), snapshot) if snapshot.previous_id is not None else None
    return [base] if base is not None else []


def _rescore(entry: SnapshotEntry, scores: dict[int, int]) -> None:
    previous = scores.get(entry.entry_id) if entry.entry_id else None
    entry.previous_residual_score = previous
    entry.direction = direction_of_travel(previous_score=previous, score=entry.residual_score)


def snapshot_entries_queryset(snapshot: RegisterSnapshot) -> QuerySet[SnapshotEntry]:
    return (
        SnapshotEntry.objects.filter(snapshot=snapshot)
        .prefetch_related(Prefetch("risk_types", queryset=SnapshotEntryRiskType.objects.order_by("name")))
        .order_by("position")
    )


def snapshot_entries(snapshot: RegisterSnapshot, queryset: QuerySet[SnapshotEntry] | None = None) -> list:
    """The snapshot's entries in register order, with their bands (as the snapshot kept them)."""
    if queryset is None:
        queryset = snapshot_entries_queryset(snapshot)
    entries = with_bands(queryset, bands_from_data(snapshot.bands))
    rescored = getattr(snapshot, "rescored", None)
    for entry in entries:
        entry.snapshot = snapshot  # the one already loaded: no query per row
        if rescored is not None:
            _rescore(entry, rescored)
    return entries


def snapshot_entry_for(snapshot: RegisterSnapshot, reference: str) -> SnapshotEntry:
    entries = snapshot_entries(snapshot, snapshot_entries_queryset(snapshot).filter(reference=reference))
    if not entries:
        raise Http404("No such entry in this register")
    return entries[0]


def entry_across_snapshots(reader, snapshot_entry: SnapshotEntry) -> list[SnapshotEntry]:
    """The same entry in every snapshot of its register this reader may see, oldest first:
    followed by its live entry, or by its reference when the live entry has gone."""
    match = (
        {"entry_id": snapshot_entry.entry_id}
        if snapshot_entry.entry_id
        else {"reference": snapshot_entry.reference, "entry__isnull": True}
    )
    rows = list(
        SnapshotEntry.objects.filter(
            snapshot__in=readable_snapshots(reader).values("pk"),
            snapshot__register_id=snapshot_entry.snapshot.register_id,
            **match,
        )
        .select_related("snapshot")
        .order_by("snapshot__taken_at", "snapshot_id")
    )
    # Each row's direction as this reader may see it (compared_for): against the snapshot
    # before it among those they may read, whether or not the entry was in it.
    readable = list(
        readable_snapshots(reader)
        .filter(register_id=snapshot_entry.snapshot.register_id)
        .order_by("taken_at", "pk")
        .values_list("pk", flat=True)
    )
    before = dict(zip(readable[1:], readable, strict=False))
    score_in = {row.snapshot_id: row.residual_score for row in rows}
    for row in rows:
        base = before.get(row.snapshot_id)
        if row.snapshot.previous_id is not None and base != row.snapshot.previous_id:
            row.snapshot.previous_id = base
            row.previous_residual_score = score_in.get(base)
            row.direction = direction_of_travel(previous_score=row.previous_residual_score, score=row.residual_score)
    return rows


def snapshot_reports(reader, snapshot: RegisterSnapshot) -> list[Appendix]:
    """The report appendices that carry this snapshot, as far as this reader may read them."""
    return gate.appendices_carrying(reader, snapshot)


def filter_choices(entries: list[SnapshotEntry]) -> dict[str, list[str]]:
    """The owners and types that occur in a snapshot, for its filter form."""
    owners = sorted({entry.owner for entry in entries})
    types = sorted({t.name for entry in entries for t in entry.risk_types.all()})
    return {"owners": owners, "types": types}


# The agenda pack and the report page (structured appendix kinds) ----------------------------


def snapshot_appendix_context(snapshot: RegisterSnapshot, reader=None) -> dict:
    """Everything the "risk register snapshot" appendix template needs: the entries and their
    types (two queries), and the label of the previous snapshot `reader` may read (one or two
    more: compared_for). No reader is the public."""
    snapshot = compared_for(reader or gate.Reader.public(), snapshot)
    entries = snapshot_entries(snapshot)
    bands = bands_from_data(snapshot.bands)
    groups = [
        {"kind": kind, "headings": entries_of_kind[0].headings, "entries": entries_of_kind}
        for kind in (Kind.RISK, Kind.OPPORTUNITY)
        if (entries_of_kind := [entry for entry in entries if entry.kind == kind])
    ]
    return {
        "snapshot": snapshot,
        "previous": snapshot.previous if snapshot.previous_id else None,
        "groups": groups,
        # Only the agenda pack cuts the register (the template calls this there alone).
        "pieces": partial(_pack_pieces, groups),
        "bands": bands,
        "key": score_grid(bands),
        "unplaced_count": sum(1 for entry in entries if not entry.residual_placed or not entry.inherent_placed),
    }


def _printed_length(entry: SnapshotEntry) -> int:
    return sum(
        len(getattr(entry, name) or "")
        for name in ("title", "description", "consequences", "controls", "actions", "owner", "direction_note")
    )


def _pack_pieces(groups: list[dict]) -> list[list[dict]]:
    """The register cut into pieces for the agenda pack (committee.appendices.pack_pieces):
    each piece is a list of table segments, a segment being a run of one group's entries;
    a segment that does not start its group is printed as continued."""
    rows = [(group, entry) for group in groups for entry in group["entries"]]
    pieces = []
    for piece in pack_pieces(rows, size=lambda row: _printed_length(row[1])):
        segments: list[dict] = []
        for group, entry in piece:
            if not segments or segments[-1]["group"] is not group:
                segments.append({"group": group, "entries": [], "continued": entry is not group["entries"][0]})
            segments[-1]["entries"].append(entry)
        pieces.append(segments)
    return pieces


def summary_entries(snapshot: RegisterSnapshot, threshold: int) -> list[SnapshotEntry]:
    return snapshot_entries(snapshot, snapshot_entries_queryset(snapshot).filter(residual_score__gte=threshold))


def summary_appendix_context(summary: SnapshotSummary, reader=None) -> dict:
    """The covering report's table of entries at or above the threshold."""
    return {
        "summary": summary,
        "snapshot": summary.snapshot,
        "entries": summary_entries(summary.snapshot, summary.threshold),
    }


def quarter_start(day):
    """The first day of the quarter `day` falls in (the financial year's quarters begin in
    April, July, October and January, as the calendar's do)."""
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def entries_not_reviewed_since(day) -> QuerySet[Entry]:
    """Open entries nobody has changed since `day` (for the officer's dashboard: the start of
    this quarter). One query."""
    return (
        Entry.objects.filter(is_open=True, updated_at__date__lt=day)
        .select_related("register")
        .order_by("updated_at", "reference")
    )


def _day(moment) -> str:
    from django.utils import timezone

    day = timezone.localtime(moment).date()
    return f"{day.day} {day:%B %Y}"


def snapshot_choice_label(snapshot: RegisterSnapshot) -> str:
    """How an officer attaching it recognises a snapshot: "Corporate Risk Register: Q1 2018/19,
    snapshot taken 27 June 2018"."""
    return f"{snapshot.register_name}: {snapshot.period_label}, snapshot taken {_day(snapshot.taken_at)}"


def summary_choice_label(summary: SnapshotSummary) -> str:
    return f"{snapshot_choice_label(summary.snapshot)}: entries scoring {summary.threshold} or above"

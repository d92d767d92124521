"""Writes: registers and their bands, entries, quarterly snapshots and their summaries.

Every function refuses with a ValidationError that tells the officer what to fix, and
changes nothing when it refuses. A locked snapshot is never changed by any of them.
"""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from committee import services as committee_services
from committee.models import Appendix, Report
from core.history import Person, recorded_by

from .models import (
    POSSIBLE_SCORES,
    Entry,
    Register,
    RegisterSnapshot,
    RiskType,
    ScoreBand,
    SnapshotEntry,
    SnapshotEntryRiskType,
    SnapshotSummary,
    direction_of_travel,
)

# The conventional 5x5 banding (docs/risks.md): the covering report lists the entries of
# 12 or above, which is where "High" starts. Text colours keep 4.5:1 contrast.
DEFAULT_BANDS = [
    {"name": "Low", "min_score": 1, "max_score": 4, "colour": "#00703c", "text_colour": "#ffffff"},
    {"name": "Medium", "min_score": 5, "max_score": 10, "colour": "#ffbf47", "text_colour": "#0b0c0c"},
    {"name": "High", "min_score": 12, "max_score": 25, "colour": "#b10e1e", "text_colour": "#ffffff"},
]

# What a snapshot keeps of each entry as it stood (its texts, owner, scores and this
# quarter's words); the direction of travel is worked out as the snapshot is taken.
SNAPSHOT_COPIES = (
    "kind",
    "reference",
    "title",
    "description",
    "consequences",
    "controls",
    "actions",
    "owner",
    *Entry.SCORE_FIELDS,
    "direction_note",
    "committee_summary",
)

LOCKED_MESSAGE = "The {snapshot} snapshot is locked as reported: it cannot be changed."


# Registers and bands ------------------------------------------------------------------------


def band_problems(bands: Iterable[dict]) -> list[str]:
    """Every possible score must fall in exactly one band."""
    bands = list(bands)
    problems = []
    for score in POSSIBLE_SCORES:
        holding = [band["name"] for band in bands if band["min_score"] <= score <= band["max_score"]]
        if not holding:
            problems.append(f"A score of {score} falls in no band.")
        elif len(holding) > 1:
            problems.append(f"A score of {score} falls in more than one band ({', '.join(holding)}).")
    return problems


@transaction.atomic
def register_create(
    *,
    name: str,
    slug: str,
    description: str = "",
    risk_prefix: str = "CR",
    opportunity_prefix: str = "CO",
    bands: list[dict] | None = None,
    by: Person | None = None,
) -> Register:
    register = Register(
        name=name, slug=slug, description=description, risk_prefix=risk_prefix, opportunity_prefix=opportunity_prefix
    )
    register.full_clean()
    recorded_by(register, by).save()
    register_set_bands(register=register, bands=bands or DEFAULT_BANDS, by=by)
    return register


@transaction.atomic
def register_set_bands(*, register: Register, bands: list[dict], by: Person | None = None) -> list[ScoreBand]:
    """Replace the register's Key to Scores bands; they must cover every score once."""
    problems = band_problems(bands)
    if problems:
        raise ValidationError(problems, code="bands")
    for old in ScoreBand.objects.filter(register=register):
        recorded_by(old, by).delete()
    created = []
    for data in bands:
        band = ScoreBand(register=register, **data)
        band.full_clean()
        recorded_by(band, by).save()
        created.append(band)
    return created


# Entries ----------------------------------------------------------------------------------


@transaction.atomic
def entry_save(*, entry: Entry, risk_types: Iterable[RiskType] | None = None, by: Person | None = None) -> Entry:
    """Create or update a live entry. The score is worked out from likelihood and impact."""
    entry.full_clean()
    recorded_by(entry, by).save()
    if risk_types is not None:
        entry.risk_types.set(list(risk_types))
    return entry


def risk_types_named(names: Iterable[str]) -> list[RiskType]:
    """The types with these names (any case); refuses a name that is not a known type."""
    wanted = [name.strip() for name in names if name and name.strip()]
    known = {t.name.lower(): t for t in RiskType.objects.all()}
    unknown = [name for name in wanted if name.lower() not in known]
    if unknown:
        raise ValidationError(
            f"Unknown type: {', '.join(unknown)}. Known types: {', '.join(sorted(t.name for t in known.values()))}.",
            code="unknown_type",
        )
    return list({known[name.lower()].pk: known[name.lower()] for name in wanted}.values())


# Snapshots --------------------------------------------------------------------------------


@transaction.atomic
def snapshot_take(
    *, register: Register, period_label: str, by: Person, lock: bool = False, taken_at: datetime | None = None
) -> RegisterSnapshot:
    """Freeze every open entry of the register as it stands, for a quarter.

    1. Lock the register row, so that two officers taking the same quarter at once get one
       snapshot and a clear refusal (the unique period label backs this up).
    2. Copy each open entry: texts, scores, owner's name, types by name, this quarter's
       words. Nothing in the snapshot points at live text.
    3. Work out the direction of travel of each residual score against the same entry in
       the register's previous snapshot (new when it was not there).

    `taken_at` records a register as it stood at an earlier date (a register reported before
    Quorum, as the demo's is); by default, now.
    """
    register = Register.objects.select_for_update().get(pk=register.pk)
    period_label = " ".join((period_label or "").split())
    if not period_label:
        raise ValidationError("Give the period the snapshot is for, e.g. Q1 2018/19.", code="period")
    if RegisterSnapshot.objects.filter(register=register, period_label=period_label).exists():
        raise ValidationError(f"{register} already has a {period_label} snapshot.", code="duplicate")
    entries = list(
        Entry.objects.filter(register=register, is_open=True).prefetch_related("risk_types").order_by("-kind", "number")
    )
    if not entries:
        raise ValidationError(f"{register} has no open entries to snapshot.", code="empty")
    bands = [band.as_data() for band in ScoreBand.objects.filter(register=register)]
    problems = band_problems(bands)
    if problems:
        raise ValidationError(["Set the register's Key to Scores bands first.", *problems], code="bands")

    previous = RegisterSnapshot.objects.filter(register=register).order_by("-taken_at", "-pk").first()
    previous_scores = (
        dict(
            SnapshotEntry.objects.filter(snapshot=previous, entry__isnull=False).values_list(
                "entry_id", "residual_score"
            )
        )
        if previous
        else {}
    )
    now = taken_at or timezone.now()
    snapshot = RegisterSnapshot(
        register=register,
        period_label=period_label,
        register_name=register.name,
        bands=bands,
        previous=previous,
        taken_at=now,
        taken_by=by,
    )
    snapshot.full_clean()
    recorded_by(snapshot, by).save()
    for position, entry in enumerate(entries, start=1):
        previous_score = previous_scores.get(entry.pk)
        copy = SnapshotEntry(
            snapshot=snapshot,
            entry=entry,
            position=position,
            direction=direction_of_travel(previous_score=previous_score, score=entry.residual_score),
            previous_residual_score=previous_score,
            **{name: getattr(entry, name) for name in SNAPSHOT_COPIES},
        )
        copy.full_clean()
        recorded_by(copy, by).save()
        SnapshotEntryRiskType.objects.bulk_create(
            SnapshotEntryRiskType(snapshot_entry=copy, name=risk_type.name) for risk_type in entry.risk_types.all()
        )
    if lock:
        snapshot = snapshot_lock(snapshot=snapshot, by=by, at=taken_at)
    return snapshot


def _refuse_if_locked(snapshot: RegisterSnapshot) -> RegisterSnapshot:
    current = RegisterSnapshot.objects.select_for_update().get(pk=snapshot.pk)
    if current.is_locked:
        raise ValidationError(LOCKED_MESSAGE.format(snapshot=current), code="locked")
    return current


@transaction.atomic
def snapshot_entry_reword(
    *, snapshot_entry: SnapshotEntry, direction_note: str, committee_summary: str, by: Person
) -> SnapshotEntry:
    """Word the direction of travel and the covering report's summary of an entry, while the
    snapshot is not yet locked. Its texts and scores stay as they were taken."""
    _refuse_if_locked(snapshot_entry.snapshot)
    current = SnapshotEntry.objects.get(pk=snapshot_entry.pk)
    current.direction_note = direction_note
    current.committee_summary = committee_summary
    current.full_clean()
    recorded_by(current, by).save(update_fields=["direction_note", "committee_summary"])
    return current


@transaction.atomic
def snapshot_lock(*, snapshot: RegisterSnapshot, by: Person, at: datetime | None = None) -> RegisterSnapshot:
    """Lock the snapshot as reported: from now on nothing in it can change. `at` dates a
    register recorded as it was reported earlier; by default, now."""
    current = _refuse_if_locked(snapshot)
    current.locked_at = at or timezone.now()
    current.locked_by = by
    recorded_by(current, by).save(update_fields=["locked_at", "locked_by"])
    return current


@transaction.atomic
def snapshot_delete(*, snapshot: RegisterSnapshot, by: Person) -> None:
    """Delete an unlocked snapshot taken by mistake (to take it again)."""
    current = _refuse_if_locked(snapshot)
    if RegisterSnapshot.objects.filter(previous=current).exists():
        raise ValidationError("A later snapshot was compared with this one: it cannot be deleted.", code="compared")
    if (
        current.summaries.exists()
        or Appendix.objects.filter(
            content_type=ContentType.objects.get_for_model(RegisterSnapshot), object_id=current.pk
        ).exists()
    ):
        raise ValidationError("This snapshot is attached to a report: it cannot be deleted.", code="attached")
    recorded_by(current, by).delete()


# Summary tables and report appendices -----------------------------------------------------


@transaction.atomic
def summary_create(*, snapshot: RegisterSnapshot, threshold: int = 12, by: Person | None = None) -> SnapshotSummary:
    """The covering report's table of entries at or above `threshold` (a locked snapshot may
    still be summarised: the summary reads it, never changes it)."""
    summary = SnapshotSummary(snapshot=snapshot, threshold=threshold)
    summary.full_clean()
    recorded_by(summary, by).save()
    return summary


@transaction.atomic
def summary_update(*, summary: SnapshotSummary, threshold: int, by: Person | None = None) -> SnapshotSummary:
    _refuse_if_locked(summary.snapshot)
    summary.threshold = threshold
    summary.full_clean()
    recorded_by(summary, by).save()
    return summary


def _attach(*, report: Report, row, title: str, letter: str, placement: str, order: int, by: Person) -> Appendix:
    return committee_services.structured_appendix_attach(
        report=report, row=row, title=title, letter=letter, placement=placement, order=order, by=by
    )


@transaction.atomic
def snapshot_attach(
    *,
    snapshot: RegisterSnapshot,
    report: Report,
    letter: str = "A",
    title: str = "",
    order: int = 1,
    summary_threshold: int | None = None,
    by: Person | None = None,
) -> Appendix:
    """Attach the snapshot to a report as a lettered appendix ("Appendix 'A'"); with a
    threshold, also put the summary table of the entries at or above it within the report."""
    appendix = _attach(
        report=report,
        row=snapshot,
        title=title or snapshot.title,
        letter=letter,
        placement=Appendix.Placement.APPENDIX,
        order=order,
        by=by,
    )
    if summary_threshold is not None:
        summary = summary_create(snapshot=snapshot, threshold=summary_threshold, by=by)
        summary_attach(summary=summary, report=report, by=by)
    return appendix


@transaction.atomic
def summary_attach(
    *, summary: SnapshotSummary, report: Report, title: str = "", order: int = 0, by: Person | None = None
) -> Appendix:
    """Put the summary table inside the report, after Background and Advice."""
    return _attach(
        report=report,
        row=summary,
        title=title or f"Entries with a residual score of {summary.threshold} or above",
        letter="",
        placement=Appendix.Placement.WITHIN_REPORT,
        order=order,
        by=by,
    )

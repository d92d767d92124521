"""Which papers are past their retention period (domain rules 10): minutes, agendas and
public reports are open for six years after the meeting, background papers for four. Reads
only; nothing here removes anything."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from committee.models import BackgroundPaper, Meeting, Report
from core.dates import years_after

from .models import RetentionRemoval

Kind = RetentionRemoval.Kind
YEARS = {Kind.REPORTS: 6, Kind.BACKGROUND_PAPERS: 4}


def retention_ends_on(meeting: Meeting, kind: str) -> date:
    return years_after(timezone.localdate(meeting.starts_at), YEARS[kind])


@dataclass(frozen=True)
class Due:
    kind: str
    meeting: Meeting
    ends_on: date
    papers: list[str]  # what would go, by title

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label


def _latest_start_for(kind: str, today: date):
    """Meetings that started on or before this moment are past the period today."""
    cutoff = years_after(today, -YEARS[kind])
    return timezone.make_aware(datetime.combine(cutoff, time.max))


def due_for_review(today: date | None = None) -> list[Due]:
    """Every meeting whose reports, or lists of background papers, are past their retention
    period and still held; oldest first."""
    today = today or timezone.localdate()
    found = []
    reports_before = _latest_start_for(Kind.REPORTS, today)
    for meeting in (
        Meeting.objects.filter(starts_at__lte=reports_before, items__report__isnull=False)
        .distinct()
        .select_related("committee")
        .order_by("starts_at")
    ):
        titles = list(
            Report.objects.filter(agenda_item__meeting=meeting)
            .order_by("agenda_item__order")
            .values_list("title", flat=True)
        )
        found.append(Due(Kind.REPORTS, meeting, retention_ends_on(meeting, Kind.REPORTS), titles))
    papers_before = _latest_start_for(Kind.BACKGROUND_PAPERS, today)
    for meeting in (
        Meeting.objects.filter(starts_at__lte=papers_before, items__report__background_papers__isnull=False)
        .distinct()
        .select_related("committee")
        .order_by("starts_at")
    ):
        papers = list(
            BackgroundPaper.objects.filter(report__agenda_item__meeting=meeting).values_list("paper", flat=True)
        )
        found.append(Due(Kind.BACKGROUND_PAPERS, meeting, retention_ends_on(meeting, Kind.BACKGROUND_PAPERS), papers))
    return sorted(found, key=lambda due: (due.ends_on, due.kind))


def due_for(meeting: Meeting, kind: str, today: date | None = None) -> Due | None:
    return next((due for due in due_for_review(today) if due.meeting.pk == meeting.pk and due.kind == kind), None)

"""Removing papers at the end of their retention period: only past it, only by an officer who
says why, and never without a record. The meeting itself, its agenda items and its minutes
stay (the minutes are the council's permanent record); what goes:

- `reports`: the meeting's reports with their appendices, uploaded files, Word sources and
  lists of background papers, and their history (the history would otherwise keep every
  word); every version of the meeting's agenda packs is withdrawn (its address answers 410
  with the notice) and its file deleted, as it prints the reports.
- `background_papers`: the lists of background papers (names and telephone numbers of
  contacts) and their history; the pack versions that print them are withdrawn and their
  files deleted, and new versions are built without them.

Files are deleted once the removal has committed, so that a failure leaves everything."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from committee.models import AgendaItem, AgendaPack, Appendix, BackgroundPaper, Meeting, Report, ReportSource
from committee.pack import services as pack_services
from core.dates import long_date
from core.history import Person

from . import selectors
from .models import RetentionRemoval

Kind = RetentionRemoval.Kind

NOTICE = {
    Kind.REPORTS: "The papers in this version were removed on {day} at the end of their retention period "
    "(six years after the meeting). The minutes of the meeting are kept.",
    Kind.BACKGROUND_PAPERS: "The lists of background papers printed in this version were removed on {day} at the end "
    "of their retention period (four years after the meeting).",
}


def _reports_ever(meeting: Meeting) -> list[int]:
    """Every report the meeting's agenda has had, those deleted since included: their history
    rows keep every word (and a background paper's contact's name and telephone number)
    however long ago the paper itself was deleted. A report now on another meeting's agenda
    is that meeting's."""
    items = set(AgendaItem.objects.filter(meeting=meeting).values_list("pk", flat=True))
    items |= set(AgendaItem.history.filter(meeting_id=meeting.pk).values_list("id", flat=True))
    ever = set(Report.history.filter(agenda_item_id__in=items).values_list("id", flat=True))
    ever |= set(Report.objects.filter(agenda_item__meeting=meeting).values_list("pk", flat=True))
    return sorted(ever - set(Report.objects.exclude(agenda_item__meeting=meeting).values_list("pk", flat=True)))


def _purge_history(model, report_ids: list[int]) -> None:
    """The history rows of the meeting's papers of `model`: of those there, and of those
    deleted before (a deleted row's history outlives it)."""
    key = "id" if model is Report else "report_id"
    model.history.filter(**{f"{key}__in": report_ids}).delete()


@transaction.atomic
def papers_remove(*, meeting: Meeting, kind: str, by: Person, reason: str) -> RetentionRemoval:
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Say why the papers are removed (it is kept in the record)."}, code="required")
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    due = selectors.due_for(meeting, kind)
    if due is None:
        ends = selectors.retention_ends_on(meeting, kind)
        raise ValidationError(
            f"These papers are not past their retention period (it ends on {long_date(ends)}), or there are "
            "none left: nothing published may be deleted before then.",
            code="invalid",
        )
    today = long_date(timezone.localdate())
    report_ids = _reports_ever(meeting)
    files = []
    lines = []
    if kind == Kind.REPORTS:
        reports = Report.objects.filter(agenda_item__meeting=meeting)
        appendices = Appendix.objects.filter(report__in=reports)
        sources = ReportSource.objects.filter(report__in=reports)
        papers = BackgroundPaper.objects.filter(report__in=reports)
        files += [a.document.name for a in appendices if a.document]
        files += [s.file.name for s in sources if s.file]
        lines.append(f"Reports: {'; '.join(due.papers)}.")
        lines.append(f"{appendices.count()} appendices, {papers.count()} background papers listed, {len(files)} files.")
        reports.delete()  # appendices, sources and background papers go with their report
        for model in (Report, Appendix, BackgroundPaper):
            _purge_history(model, report_ids)
        versions = AgendaPack.objects.filter(meeting=meeting, status=AgendaPack.Status.READY)
    else:
        papers = BackgroundPaper.objects.filter(report__agenda_item__meeting=meeting)
        lines.append(f"Background papers listed: {'; '.join(due.papers)}.")
        papers.delete()
        _purge_history(BackgroundPaper, report_ids)
        versions = AgendaPack.objects.filter(meeting=meeting, status=AgendaPack.Status.READY)
    notice = NOTICE[kind].format(day=today)
    withdrawn = 0
    for pack in versions:
        if pack.file:
            files.append(pack.file.name)
        updated = {"file": ""}
        if pack.withdrawn_at is None:
            updated.update(withdrawn_at=timezone.now(), withdrawn_by=by, withdrawal_reason=notice)
            withdrawn += 1
        AgendaPack.objects.filter(pk=pack.pk).update(**updated)
    lines.append(f"{withdrawn} agenda pack versions withdrawn with the notice; files of {len(versions)} deleted.")
    record = RetentionRemoval.objects.create(
        kind=kind,
        meeting=meeting,
        meeting_name=str(meeting),
        retention_ended_on=due.ends_on,
        removed="\n".join(lines),
        removed_by=by,
        reason=reason,
    )

    def delete_files() -> None:
        from django.core.files.storage import default_storage

        for name in files:
            default_storage.delete(name)

    transaction.on_commit(delete_files)
    if kind == Kind.BACKGROUND_PAPERS and meeting.is_published:
        # The agenda stays public for its six years: new versions without the lists.
        pack_services.packs_request_for_meeting(meeting=meeting, requested_by=by)
    return record

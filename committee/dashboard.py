"""The officer's dashboard, the admin's home page: what needs doing, each line linked to where
it is done. It only composes the apps' selectors; the admin's index template shows it through
the `officer_dashboard` tag (committee/templatetags/dashboard.py)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from risks.selectors import entries_not_reviewed_since, quarter_start
from send_actions.selectors import overdue_key_tasks

from . import selectors, services


@dataclass
class Line:
    text: str
    url: str
    late: bool = False


def _change(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _days(n: int) -> str:
    if n < 0:
        return f"{-n} day{'s' if n != -1 else ''} late"
    if n == 0:
        return "due today"
    return f"{n} day{'s' if n != 1 else ''} left"


def gather(today=None) -> list[dict]:
    """The dashboard's sections, in the order an officer deals with them. Six queries
    whatever the number of meetings: meetings awaiting publication and their items, held meetings without
    minutes, pack builds, overdue SEND key tasks, risks not reviewed this quarter (one each)."""
    today = today or timezone.localdate()
    awaiting = [
        Line(
            f"{m}: publish by {m.publication_deadline:%-d %B %Y} ({_days(m.days_left)})"
            + (" — past the deadline and not published" if m.is_late else "")
            + "".join(
                f" — {problem}" for problem in services.publication_problems(meeting=m) + selectors.report_problems(m)
            ),
            _change(m),
            late=m.is_late,
        )
        for m in selectors.meetings_awaiting_publication(today)
    ]
    unminuted = [
        Line(f"{m}: held, minutes not published", _change(m)) for m in selectors.held_meetings_without_minutes()
    ]
    packs = [
        Line(
            f"{p.meeting}: {p.get_kind_display()} — {p.get_status_display().lower()}"
            + (f": {p.error}" if p.status == p.Status.FAILED and p.error else ""),
            _change(p),
            late=p.status == p.Status.FAILED,
        )
        for p in selectors.pack_builds_needing_attention()
    ]
    tasks = [
        Line(f"{t.plan}: key task {t.code} was due {t.due_date:%B %Y}", _change(t), late=True)
        for t in overdue_key_tasks(today)
    ]
    since = quarter_start(today)
    risks = [
        Line(f"{e.register}: {e.reference} {e.title} — last changed {e.updated_at:%-d %B %Y}", _change(e))
        for e in entries_not_reviewed_since(since)
    ]
    return [
        {"title": "Agendas to publish", "empty": "No agenda is waiting to be published.", "lines": awaiting},
        {"title": "Minutes to publish", "empty": "Every held meeting has its minutes published.", "lines": unminuted},
        {"title": "Agenda pack builds", "empty": "No pack build is running or has failed.", "lines": packs},
        {"title": "SEND key tasks overdue", "empty": "No SEND key task is overdue.", "lines": tasks},
        {
            "title": f"Risks not reviewed since {since:%-d %B %Y}",
            "empty": "Every open risk has been reviewed this quarter.",
            "lines": risks,
        },
    ]

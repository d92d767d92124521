"""The outbox's front door: the services that change things (committee/, decisions/, the
packs) call `record` inside their transaction, and whichever app listens (alerts/, which
registers in its AppConfig.ready) writes its row in that same transaction.

So the domain apps depend on core, never on alerts: a change is told here and alerts decides
who hears of it. A site without alerts records nothing. Never signals: a service says on
purpose, once, what changed.
"""

from collections.abc import Callable


class Kind:
    """What changed (alerts.EventKind gives each its label)."""

    MEETING_ADDED = "meeting_added"
    MEETING_MOVED = "meeting_moved"
    MEETING_POSTPONED = "meeting_postponed"
    MEETING_CANCELLED = "meeting_cancelled"
    AGENDA_PUBLISHED = "agenda_published"
    PAPER_CHANGED = "paper_changed"
    SUPPLEMENTARY_PACK = "supplementary_pack"
    MINUTES_PUBLISHED = "minutes_published"
    FORWARD_PLAN_PUBLISHED = "forward_plan_published"
    DECISION_PUBLISHED = "decision_published"
    CALL_IN_OUTCOME = "call_in_outcome"


_recorders: list[Callable[..., object]] = []


def register(recorder: Callable[..., object]) -> None:
    """An app that wants to hear of changes: `recorder(kind=…, meeting=…, committee=…, …)` is
    called inside the changing transaction, so it must write, not send (send after commit)."""
    if recorder not in _recorders:
        _recorders.append(recorder)


def record(*, kind: str, **refs) -> None:
    for recorder in _recorders:
        recorder(kind=kind, **refs)

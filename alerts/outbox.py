"""The outbox: the services that change things call `record` inside their transaction.

One row per change, committed with the change or not at all; the worker is told only after
the commit (`transaction.on_commit`), so it never reads a change that was rolled back, and a
message queue that is down loses nothing (Celery beat's sweep fans out what was missed).
"""

from django.db import transaction

from .models import Event, EventKind

Kind = EventKind


def record(*, kind: str, meeting=None, committee=None, report=None, **details) -> Event:
    committee = committee or meeting.committee
    event = Event.objects.create(kind=kind, meeting=meeting, committee=committee, report=report, details=dict(details))
    event_id = event.pk

    def send() -> None:
        from .tasks import deliver_event

        deliver_event.apply_async((event_id,), retry=False)

    # robust: a queue that is down must not undo a publication that has committed; the
    # sweep (alerts.tasks.sweep, every minute) fans out events nobody fanned out.
    transaction.on_commit(send, robust=True)
    return event

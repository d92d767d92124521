"""The alerts' outbox row, written by `record` (registered with core.outbox in AlertsConfig.ready)
inside the transaction of the service that made the change.

One row per change, committed with the change or not at all; the worker is told only after
the commit (`transaction.on_commit`), so it never reads a change that was rolled back, and a
message queue that is down loses nothing (Celery beat's sweep fans out what was missed).
"""

from django.db import transaction

from .models import Event, EventKind

Kind = EventKind


def record(*, kind: str, meeting=None, committee=None, report=None, plan_entry=None, decision=None, **details) -> Event:
    if committee is None:
        # A meeting's committee; a plan entry's or decision's maker's (none for an individual).
        maker = (decision or plan_entry).maker if (decision or plan_entry) else None
        committee = meeting.committee if meeting else getattr(maker, "committee", None)
    event = Event.objects.create(
        kind=kind,
        meeting=meeting,
        committee=committee,
        report=report,
        plan_entry=plan_entry,
        decision=decision,
        details=dict(details),
    )
    event_id = event.pk

    def send() -> None:
        from .tasks import deliver_event

        deliver_event.apply_async((event_id,), retry=False)

    # robust: a queue that is down must not undo a publication that has committed; the
    # sweep (alerts.tasks.sweep, every minute) fans out events nobody fanned out.
    transaction.on_commit(send, robust=True)
    return event

"""Alerts' Celery tasks: thin. Each takes an id (or nothing), calls the service, and is safe
to run twice: the service's unique keys and claims decide what is left to do."""

import contextlib

from celery import shared_task
from django.db import DatabaseError


def _backoff(retries: int) -> int:
    """Seconds before a task stopped by SMTP or the database being down is tried again."""
    return min(600, 10 * 2**retries)


@shared_task(name="alerts.tasks.deliver_event", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=8)
def deliver_event(self, event_id: int) -> None:
    """After the change commits: fan the event out, then send what waits (in batches)."""
    from . import services

    try:
        messages = services.RunMessages()  # the event's decision or plan entry read once in the run
        services.event_fan_out(event_id=event_id, messages=messages)
        services.deliveries_send(messages=messages)
        services.webhooks_send()
    except (OSError, DatabaseError) as exc:  # SMTP or database down: the claims lapse, try again
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(name="alerts.tasks.send_confirmation", acks_late=True)
def send_confirmation(subscription_id: int) -> None:
    from . import services

    services.confirmation_send(subscription_id=subscription_id)


@shared_task(name="alerts.tasks.sweep")
def sweep() -> None:
    """Every minute (beat): events whose message the queue lost, deliveries a dead worker left
    claimed (their lease lapsed), and webhook retries that are due; and the daily digests,
    when some are due that no run is sending (the morning's run died, or could not reach the
    mail server or the database): a run starts as soon as a worker can send."""
    from . import services

    messages = services.RunMessages()
    for event_id in services.events_not_fanned_out():
        services.event_fan_out(event_id=event_id, messages=messages)
    services.deliveries_send(messages=messages)
    services.webhooks_send()
    if services.digests_left() and not services.digest_run_under_way():
        send_digests.delay()


@shared_task(name="alerts.tasks.send_digests", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=8)
def send_digests(self) -> None:
    """The morning's digests. Paced (QUORUM_ALERTS_PER_SECOND), thousands of addresses outlast
    one task's time limit, and a task stopped there would leave the rest waiting a day: so it
    starts no digest past four fifths of its limit and hands the rest to a new task. Each
    address's changes are claimed as they are sent, so none goes twice. A worker lost mid-run
    hands the task back to the queue, and SMTP or the database down retries it with backoff,
    under the same run (the task's id) so that no second run starts beside it; whatever is
    still due after that, the sweep starts again."""
    import time
    import uuid

    from django.conf import settings

    from . import services

    run = self.request.id or uuid.uuid4().hex  # called directly (tests): a run of its own
    until = time.monotonic() + 0.8 * settings.CELERY_TASK_SOFT_TIME_LIMIT
    try:
        services.digests_send(run=run, until=until)
    except (OSError, DatabaseError) as exc:  # SMTP or the database down: try again, the run held
        countdown = _backoff(self.request.retries)
        with contextlib.suppress(DatabaseError):  # else its lease lapses, and the sweep takes over
            services.digest_run_hold(run, waiting=countdown)
        raise self.retry(exc=exc, countdown=countdown) from exc
    if time.monotonic() >= until and services.digests_left():
        send_digests.delay()

"""The morning's digests go the same morning once a worker can send them, whatever stopped
the run at the digest hour: its worker killed mid-run, the mail server refusing, a run that
left changes claimed. None goes twice, none is missed, no digest goes before it is due, and
two runs never send at once (the pace, QUORUM_ALERTS_PER_SECOND, is one run's)."""

import os
import sys
import uuid
from collections import Counter

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from alerts import services, tasks
from alerts.models import Delivery, Event, Frequency, Subscriber, Subscription
from tests.browser.harness import database_url, start_process, wait_for
from tests.factories import MeetingFactory

from .digests import made_before_the_digest_time
from .smtp import HookedSmtpBackend

PEOPLE = 8


def _daily_residents(committee, count: int = PEOPLE) -> list[str]:
    addresses = [f"resident{n}@example.org" for n in range(count)]
    for address in addresses:
        subscriber = Subscriber.objects.create(email=address, frequency=Frequency.DAILY)
        Subscription.objects.create(
            subscriber=subscriber, kind="committee", committee=committee, confirmed_at=timezone.now()
        )
    return addresses


def _a_change(committee) -> Event:
    event = Event.objects.get(meeting=MeetingFactory(committee=committee))
    services.event_fan_out(event_id=event.pk)
    return event


def _digests_received(smtp) -> Counter:
    return Counter(rcpt for rcpts, _ in smtp.inbox.messages for rcpt in rcpts)


@pytest.fixture
def sent_in_this_process(monkeypatch):
    """The digest task runs here when the sweep (or a task handing on) sends it."""
    monkeypatch.setattr(tasks.send_digests, "apply_async", lambda *args, **kwargs: tasks.send_digests.apply(throw=True))


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_run_every_resident_still_gets_the_morning_s_digest_once(committee, smtp, tmp_path):
    """A real Celery worker (with beat, as run in production) dies with SIGKILL as it starts
    the fourth digest of eight, that resident's changes claimed. The task comes back to the
    queue and sends the rest; the claimed resident's digest goes once the dead run's claim
    lapses, started by the sweep, not the next morning."""
    addresses = _daily_residents(committee)
    _a_change(committee)
    made_before_the_digest_time()
    queue, died = f"digest-test-{uuid.uuid4().hex[:8]}", tmp_path / "died"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_BROKER_URL": django_settings.CELERY_BROKER_URL,
        "QUORUM_TEST_QUEUE": queue,
        "QUORUM_TEST_SMTP_PORT": str(smtp.port),
        "QUORUM_TEST_DIE_AT": "4",
        "QUORUM_TEST_DIE_MARK": str(died),
        # Longer than the worker takes to hand the task back and send the rest: the claimed
        # resident is still claimed when the re-run passes it.
        "QUORUM_ALERTS_LEASE_SECONDS": "20",
        "QUORUM_PACK_SWEEP_SECONDS": "2",  # beat's alerts sweep
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    worker = start_process(
        "digest-worker",
        [
            sys.executable, "-m", "celery", "-A", "tests.alerts.digest_worker_app", "worker",
            "--pool=prefork", "--concurrency=1", "--without-heartbeat", "--without-gossip", "--without-mingle",
            "--loglevel=INFO", "-n", f"{queue}@%h", "-Q", queue, "-B", "-s", str(tmp_path / "beat-schedule"),
        ],
        env=env,
        log_dir=tmp_path,
    )  # fmt: skip
    try:
        wait_for("ready", lambda: " ready." in worker.tail(400), worker, timeout=90)
        tasks.send_digests.apply_async(queue=queue)  # as beat sends it at the digest hour
        wait_for("sending", lambda: smtp.inbox.count >= PEOPLE, worker, timeout=120)
    finally:
        worker.stop()
    assert died.exists()  # the worker did die mid-run
    received = _digests_received(smtp)
    assert sorted(received) == addresses and set(received.values()) == {1}, worker.tail(80)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_the_digests_go_once_the_mail_server_takes_messages_again(committee, smtp):
    """The mail server refuses (451) at the digest hour: the task is tried again, with
    backoff, and every resident's digest goes once it accepts, each once."""
    addresses = _daily_residents(committee)
    _a_change(committee)
    made_before_the_digest_time()
    smtp.inbox.refuse_next = 2

    tasks.send_digests.apply()

    assert smtp.inbox.refuse_next == 0
    received = _digests_received(smtp)
    assert sorted(received) == addresses and set(received.values()) == {1}


@pytest.mark.django_db
def test_the_sweep_sends_the_digests_still_due_and_none_early(committee, smtp, sent_in_this_process):
    """The morning's run never happened (its worker was lost with the message, the database
    was down): the every-minute sweep sends the digests that are due. A change made after
    this morning's digest time waits for tomorrow's."""
    addresses = _daily_residents(committee)
    _a_change(committee)
    made_before_the_digest_time()
    later = _a_change(committee)  # made after the digest time

    tasks.sweep()

    received = _digests_received(smtp)
    assert sorted(received) == addresses and set(received.values()) == {1}
    assert all("1 change" in message["Subject"] for _, message in smtp.inbox.messages)
    waiting = Delivery.objects.filter(status="digest")
    assert set(waiting.values_list("event", flat=True)) == {later.pk} and waiting.count() == PEOPLE
    tasks.sweep()
    tasks.send_digests.apply(throw=True)  # the digest hour's own run: nothing is due
    assert smtp.inbox.count == PEOPLE


@pytest.mark.django_db
def test_no_second_run_sends_beside_one_under_way(committee, smtp, settings, monkeypatch, sent_in_this_process):
    """While a run sends, the sweep starts none and a second run (a task handed back, the
    digest hour's) sends nothing: two would send at twice the pace the council set."""
    _daily_residents(committee)
    _a_change(committee)
    made_before_the_digest_time()
    settings.EMAIL_BACKEND = "tests.alerts.smtp.HookedSmtpBackend"
    beside = []

    def another_run_meanwhile(message):  # once the server has taken the first digest
        if not beside:
            beside.append(None)
            tasks.sweep()
            beside.append(services.digests_send())

    monkeypatch.setattr(HookedSmtpBackend, "after_send", another_run_meanwhile)
    tasks.send_digests.apply(throw=True)

    assert beside == [None, 0]
    received = _digests_received(smtp)
    assert len(received) == PEOPLE and set(received.values()) == {1}

"""Each (event, address) is sent at most once and none is missed, when a worker process is
killed mid-batch and the task is retried, and when the task runs twice."""

import os
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from alerts import services
from alerts.models import Delivery, Event, Subscriber, Subscription
from alerts.tasks import deliver_event
from tests.browser.harness import database_url
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 120


def _subscribers(committee):
    for n in range(PEOPLE):
        subscriber = Subscriber.objects.create(email=f"person{n}@example.org")
        Subscription.objects.create(
            subscriber=subscriber, kind="committee", committee=committee, confirmed_at=timezone.now()
        )


def test_a_worker_killed_mid_batch_leaves_no_duplicate_and_no_gap(committee, smtp, monkeypatch, settings):
    monkeypatch.setattr(deliver_event, "apply_async", lambda *a, **k: None)  # the test plays the worker
    _subscribers(committee)
    meeting = MeetingFactory(committee=committee)
    event = Event.objects.get(meeting=meeting)
    services.event_fan_out(event_id=event.pk)
    env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict), "QUORUM_ALERTS_LEASE_SECONDS": "15"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    worker = subprocess.run(
        [sys.executable, "-m", "tests.alerts.kill_worker", str(smtp.port), "35", "50"],
        env=env, cwd=django_settings.BASE_DIR, capture_output=True, timeout=120,
    )  # fmt: skip
    assert worker.returncode == -9, worker.stderr.decode()[-2000:]  # killed, mid-batch
    assert smtp.inbox.count == 35
    assert Delivery.objects.filter(status="sent").count() == 35
    # The rest of its batch is still claimed: a retry at once takes nothing of it...
    held = Delivery.objects.filter(status="pending", claimed_until__gt=timezone.now())
    assert held.count() == 50 - 35
    assert services.deliveries_send(batch_size=200) == PEOPLE - 50  # the unclaimed rest only
    # ...and once the lease lapses the retried task sends the rest, the fan-out not repeated.
    lapses = max(held.values_list("claimed_until", flat=True))
    time.sleep(max(0, (lapses - timezone.now()).total_seconds()) + 0.2)
    deliver_event.apply((event.pk,), throw=True)
    received = Counter(rcpt for rcpts, _ in smtp.inbox.messages for rcpt in rcpts)
    assert len(received) == PEOPLE and set(received.values()) == {1}
    assert Delivery.objects.filter(event=event).count() == PEOPLE
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_the_task_run_twice_sends_once(committee, smtp, monkeypatch, settings):
    monkeypatch.setattr(deliver_event, "apply_async", lambda *a, **k: None)
    settings.QUORUM_ALERTS_PER_SECOND = 0
    _subscribers(committee)
    event = Event.objects.get(meeting=MeetingFactory(committee=committee))
    deliver_event.apply((event.pk,), throw=True)
    deliver_event.apply((event.pk,), throw=True)
    assert smtp.inbox.count == PEOPLE

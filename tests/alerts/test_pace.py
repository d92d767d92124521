"""A worker sends at most QUORUM_ALERTS_PER_SECOND messages a second (docs/alerts.md): a
council's mail provider refuses, or throttles, whatever goes faster than its contract. The
morning's digests, one per address at the same hour, are the largest burst of all."""

import time

import pytest
from django.utils import timezone

from alerts import services
from alerts.models import Event, Frequency, Subscriber, Subscription
from tests.factories import MeetingFactory

from .digests import made_before_the_digest_time

pytestmark = pytest.mark.django_db

PER_SECOND = 4
ADDRESSES = 6


@pytest.mark.parametrize("frequency", [Frequency.IMMEDIATE, Frequency.DAILY])
def test_messages_go_no_faster_than_the_rate_set(committee, smtp, settings, frequency):
    for n in range(ADDRESSES):
        subscriber = Subscriber.objects.create(email=f"resident{n}@example.org", frequency=frequency)
        Subscription.objects.create(subscriber=subscriber, kind="all", confirmed_at=timezone.now())
    services.event_fan_out(event_id=Event.objects.get(meeting=MeetingFactory(committee=committee)).pk)
    made_before_the_digest_time()
    settings.QUORUM_ALERTS_PER_SECOND = PER_SECOND

    started = time.monotonic()
    sent = services.deliveries_send() if frequency == Frequency.IMMEDIATE else services.digests_send()
    took = time.monotonic() - started

    assert sent == ADDRESSES and len(smtp.inbox.messages) == ADDRESSES
    assert took >= (ADDRESSES - 1) / PER_SECOND, f"{ADDRESSES} messages in {took:.2f} s"


def test_digests_past_the_task_s_time_go_in_the_next_task_none_twice(committee, smtp, settings, monkeypatch):
    """Paced, a morning's digests can outlast the task's time limit: the task starts none
    past four fifths of it and hands the rest to a new task; every address gets one digest."""
    from alerts import tasks

    for n in range(ADDRESSES):
        subscriber = Subscriber.objects.create(email=f"resident{n}@example.org", frequency=Frequency.DAILY)
        Subscription.objects.create(subscriber=subscriber, kind="all", confirmed_at=timezone.now())
    services.event_fan_out(event_id=Event.objects.get(meeting=MeetingFactory(committee=committee)).pk)
    made_before_the_digest_time()
    settings.QUORUM_ALERTS_PER_SECOND = PER_SECOND
    settings.CELERY_TASK_SOFT_TIME_LIMIT = 1  # digests started up to 0.8 s in: four at four a second
    sent_again = []
    monkeypatch.setattr(tasks.send_digests, "apply_async", lambda *args, **kwargs: sent_again.append(args))

    tasks.send_digests()
    assert len(smtp.inbox.messages) < ADDRESSES and len(sent_again) == 1
    assert services.digests_left()

    tasks.send_digests()  # the task handed on
    for n in range(ADDRESSES):
        assert len(smtp.inbox.to(f"resident{n}@example.org")) == 1
    assert len(sent_again) == 1 and not services.digests_left()

"""Builds that the message queue or a worker let down are built all the same, and the officer's
panel says what is happening meanwhile rather than a progress figure that never moves.

- The broker is down when a meeting is published: the publication stands, each build waits
  unsent (its `sent_at` empty) and the panel says the pack builder cannot be reached; once
  the broker is back, "Build the packs again" or beat's sweep sends the builds and a real
  worker builds them.
- A worker dies mid-build: its lease decides, not Redis's visibility timeout. Beat's sweep
  (embedded in a real worker with `-B`) sends the build again as soon as the lease lapses, and
  meanwhile the panel says the build is being restarted.
"""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from committee.models import AgendaPack, Meeting
from committee.pack import tasks
from config.celery import app

from .test_worker import wait_for, worker  # noqa: F401 - the real worker's fixture

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens there: the connection is refused


class Broker:
    """The broker as this (the web) process sends to it: `broker_write_url` is the address
    it sends builds to (CELERY_BROKER_URL in the environment would override `broker_url`).
    The app's connection pools are made from it on first use, so they are dropped whenever
    it changes."""

    def __init__(self):
        self.real = app.conf.get("broker_write_url")

    def _point(self, url: str | None) -> None:
        app.conf.broker_write_url = url
        app._pool = None
        app.amqp._producer_pool = None

    def stop(self) -> None:
        self._point(UNREACHABLE)

    def restore(self) -> None:
        self._point(self.real)


@pytest.fixture
def broker():
    broker = Broker()
    yield broker
    broker.restore()


def _urls(meeting: Meeting) -> dict:
    return {
        "publish": reverse("admin:committee_meeting_publish", args=[meeting.pk]),
        "change": reverse("admin:committee_meeting_change", args=[meeting.pk]),
        "status": reverse("packs:meeting-status", args=[meeting.pk]),
        "build": reverse("packs:meeting-build", args=[meeting.pk]),
    }


def _publish_with_the_broker_down(client, officer, meeting, broker) -> dict:
    urls = _urls(meeting)
    client.force_login(officer)
    broker.stop()
    response = client.post(urls["publish"], follow=True)
    assert response.status_code == 200 and b"is published" in response.content
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_PUBLISHED
    builds = AgendaPack.objects.filter(meeting=meeting)
    assert sorted(builds.values_list("kind", "status")) == [("confidential", "queued"), ("public", "queued")]
    assert not builds.filter(sent_at__isnull=False).exists()
    return urls


def test_packs_published_while_the_broker_is_down_wait_and_the_sweep_sends_them(
    worker,  # noqa: F811 - the fixture imported above
    agenda_unpublished,
    officer,
    client,
    broker,
):
    worker()
    meeting = agenda_unpublished
    urls = _publish_with_the_broker_down(client, officer, meeting, broker)

    # The panel says why nothing moves, not "Queued: 0%" for ever.
    status = client.get(urls["status"]).json()
    assert status["building"] and len(status["builds"]) == 2
    for build in status["builds"]:
        assert build["status_text"].startswith("Waiting for the pack builder"), build
        assert "message queue is not reachable" in build["status_text"] and "%" not in build["status_text"]
    page = client.get(urls["change"])
    assert b"the message queue is not reachable" in page.content and b"Queued: 0%" not in page.content

    # "Build the packs again" while it is still down: the same two builds, still waiting, no
    # error, and the officer is told why.
    response = client.post(urls["build"], follow=True)
    assert response.status_code == 200 and b"The pack builder cannot be reached just now" in response.content
    builds = AgendaPack.objects.filter(meeting=meeting)
    assert builds.count() == 2 and not builds.filter(sent_at__isnull=False).exists()

    broker.restore()
    tasks.resume_interrupted_builds()  # what beat runs every minute
    assert not builds.filter(sent_at__isnull=True).exists()
    wait_for(lambda: builds.filter(status="ready").count() == 2 or None)
    status = client.get(urls["status"]).json()
    assert not status["building"] and {v["number"] for v in status["versions"]} == {1}


def test_build_the_packs_again_sends_a_build_the_broker_never_got(
    worker,  # noqa: F811 - the fixture imported above
    agenda_unpublished,
    officer,
    client,
    broker,
):
    worker()
    meeting = agenda_unpublished
    urls = _publish_with_the_broker_down(client, officer, meeting, broker)
    broker.restore()

    response = client.post(urls["build"], follow=True)
    assert response.status_code == 200 and b"The packs are being built" in response.content
    builds = AgendaPack.objects.filter(meeting=meeting)
    assert builds.count() == 2 and not builds.filter(sent_at__isnull=True).exists()
    wait_for(lambda: builds.filter(status="ready").count() == 2 or None)


def _left_by_a_dead_worker(meeting, kind="public") -> AgendaPack:
    """The row a worker killed mid-build leaves: rendering, its lease run out, its message
    held by Redis (for the visibility timeout) where no other worker can have it."""
    now = timezone.now()
    return AgendaPack.objects.create(
        meeting=meeting,
        kind=kind,
        status=AgendaPack.Status.RENDERING,
        attempts=1,
        progress=10,
        progress_note="Rendering the papers",
        requested_at=now - timedelta(seconds=40),
        sent_at=now - timedelta(seconds=40),
        started_at=now - timedelta(seconds=39),
        lease_until=now - timedelta(seconds=1),
    )


def test_a_dead_worker_s_build_is_taken_over_when_its_lease_lapses(
    worker,  # noqa: F811 - the fixture imported above
    agenda,
):
    AgendaPack.objects.filter(meeting=agenda).delete()  # the publication's builds: this test makes its own
    worker(beat=True)  # started first: what it re-sends as it starts is not what is tested here
    started = time.monotonic()
    interrupted = _left_by_a_dead_worker(agenda)
    finished = wait_for(
        lambda: AgendaPack.objects.filter(pk=interrupted.pk, status="ready").first(),
        timeout=60,
        what="the build to be taken over (Redis would give its message back only after 15 minutes)",
    )
    assert finished.number == 1 and finished.attempts == 2
    assert time.monotonic() - started < 60


@pytest.mark.django_db(transaction=False)
def test_the_panel_says_a_build_is_being_restarted_or_waiting_rather_than_a_stale_figure(agenda, officer, client):
    AgendaPack.objects.filter(meeting=agenda).delete()
    now = timezone.now()
    _left_by_a_dead_worker(agenda, kind="public")
    # Sent, but no worker has taken it for longer than a lease: no worker may be running.
    AgendaPack.objects.create(
        meeting=agenda, kind="confidential", requested_at=now - timedelta(minutes=5), sent_at=now - timedelta(minutes=5)
    )
    # Sent a moment ago: simply queued.
    AgendaPack.objects.create(meeting=agenda, kind="public", scope="supplementary", sent_at=now)
    client.force_login(officer)
    urls = _urls(agenda)
    builds = {(b["kind"], b["scope"]): b for b in client.get(urls["status"]).json()["builds"]}

    restarting = builds[("public", "full")]["status_text"]
    assert "being restarted" in restarting and "10%" not in restarting
    waiting = builds[("confidential", "full")]["status_text"]
    assert waiting.startswith("Waiting for the pack builder") and "%" not in waiting
    assert builds[("public", "supplementary")]["status_text"] == "Queued"

    page = client.get(urls["change"]).content.decode()
    assert restarting in page and waiting in page and "Rendering: 10%" not in page


def test_beat_sweeps_more_often_than_a_lease_lasts_and_make_run_starts_it():
    sweeps = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == tasks.resume_interrupted_builds.name]
    assert len(sweeps) == 1 and sweeps[0]["schedule"] <= settings.QUORUM_PACK_LEASE_SECONDS
    assert tasks.resume_interrupted_builds.name in app.tasks
    assert " -B " in (settings.BASE_DIR / "bin" / "run-demo").read_text()

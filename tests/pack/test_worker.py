"""A real Celery worker, on the broker the settings name (Redis in CI), builds the packs.

The worker is a subprocess sharing this test's database (committed rows: transactional
tests) and media folder. Killing it mid-build shows that the build is finished after a
restart and that the last good pack is served throughout.
"""

import functools
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from committee import services
from committee.gate import Reader
from committee.models import AgendaPack, Report
from committee.pack import selectors as pack_selectors
from committee.pack import services as pack_services
from committee.pack.tasks import build_agenda_pack

from .conftest import PROSE, build, page_texts, pdf_bytes

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

IN_CI = os.environ.get("CI", "").lower() == "true"


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, env: dict, log: Path, queue: str, beat: Path | None = None):
        self.env, self.log, self.queue, self.process = env, log, queue, None
        # With Celery beat embedded (`-B`, as `make run` and production run it), its schedule file here.
        self.beat = ["-B", "-s", str(beat)] if beat else []

    def start(self) -> "Worker":
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "tests.pack.worker_app", "worker",
                "--pool=solo", "--without-heartbeat", "--without-gossip", "--without-mingle",
                "--loglevel=INFO", "-n", f"{self.queue}@%h", "-Q", self.queue, *self.beat,
            ],
            env=self.env,
            cwd=settings.BASE_DIR,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, renderers included
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while " ready." not in self.log.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"The Celery worker did not start (broker {settings.CELERY_BROKER_URL}):\n{self.log.read_text()[-3000:]}"
                )
            time.sleep(0.2)
        return self

    def kill(self) -> None:
        """As a machine would lose it: SIGKILL to the worker and its renderers at once."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


@pytest.fixture
def worker(media, tmp_path, monkeypatch):
    # This test's builds go to a queue of its own, which only its worker reads.
    queue = f"pack-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(build_agenda_pack, "apply_async", functools.partial(build_agenda_pack.apply_async, queue=queue))
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(media),
        "QUORUM_PACK_LEASE_SECONDS": "3",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "QUORUM_TEST_QUEUE": queue,
        "QUORUM_PACK_SWEEP_SECONDS": "2",  # beat's sweep for unsent and interrupted builds
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    workers = []

    def start(beat: bool = False):
        schedule = tmp_path / f"beat-schedule-{len(workers)}" if beat else None
        workers.append(Worker(env, tmp_path / "worker.log", queue, beat=schedule).start())
        return workers[-1]

    yield start
    for w in workers:
        w.stop()


def wait_for(condition, timeout=90, what="the build"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(
        f"Timed out waiting for {what}: {list(AgendaPack.objects.values('kind', 'status', 'progress_note', 'error'))}"
    )


def test_publishing_builds_both_packs_in_the_worker(agenda_unpublished, officer, worker):
    worker()
    services.meeting_publish_agenda(meeting=agenda_unpublished, by=officer)  # commits, then enqueues
    ready = wait_for(lambda: AgendaPack.objects.filter(meeting=agenda_unpublished, status="ready").count() == 2 or None)
    assert ready
    agenda_unpublished.refresh_from_db()
    packs = pack_selectors.meeting_packs(meeting=agenda_unpublished, reader=Reader(is_officer=True))
    assert packs.public.number == 1 and packs.confidential.number == 1
    assert "Revenue Budget Monitoring Quarter 1" in page_texts(pdf_bytes(packs.public))[0]


def test_a_killed_worker_s_build_is_finished_after_a_restart_and_the_last_good_pack_stays(agenda, worker):
    good = build(agenda, "public")
    good_bytes = pdf_bytes(good)
    # A long paper, so that the kill lands while it renders.
    Report.objects.filter(agenda_item__meeting=agenda, agenda_item__number="5").update(
        background_and_advice=PROSE * 1200
    )
    requested = pack_services.pack_request(meeting=agenda, kind="public")  # enqueued on commit

    first = worker()
    wait_for(
        lambda: AgendaPack.objects.filter(pk=requested.pk, status="rendering", progress__gte=10).exists(),
        what="rendering to start",
    )
    first.kill()
    interrupted = AgendaPack.objects.get(pk=requested.pk)
    assert interrupted.status == "rendering" and interrupted.number is None
    served = pack_selectors.meeting_packs(meeting=agenda, reader=Reader.public()).public
    assert served == good and pdf_bytes(served) == good_bytes

    time.sleep(3.5)  # the dead worker's lease (3 s here) runs out
    worker()
    finished = wait_for(
        lambda: AgendaPack.objects.filter(pk=requested.pk, status="ready").first(), what="the resumed build"
    )
    assert finished.number == 2 and finished.attempts >= 2
    assert pack_selectors.meeting_packs(meeting=agenda, reader=Reader.public()).public == finished
    good.refresh_from_db()
    assert good.status == "ready" and pdf_bytes(good) == good_bytes  # the old version stays downloadable
    assert AgendaPack.objects.filter(meeting=agenda, kind="public").count() == 2


def test_duplicate_requests_make_one_build_in_the_worker(agenda, worker):
    build(agenda, "public")
    Report.objects.filter(agenda_item__meeting=agenda, agenda_item__number="5").update(title="Highways (revised)")
    first = pack_services.pack_request(meeting=agenda, kind="public")
    second = pack_services.pack_request(meeting=agenda, kind="public")
    assert first.pk == second.pk
    pack_services._send([first.pk])  # and the same build sent twice
    worker()
    wait_for(lambda: AgendaPack.objects.filter(pk=first.pk, status="ready").exists())
    time.sleep(1)
    assert list(AgendaPack.objects.filter(meeting=agenda, kind="public").values_list("number", flat=True)) == [2, 1]

"""Object storage, as several machines share it: an S3-protocol server on loopback (moto's
server mode; boto3 and django-storages talk to it over HTTP as they would to a real bucket)
holds every upload, cached part and pack.

- Packs are built into the bucket and downloaded through the gate view, streamed: no bucket
  URL is ever handed to a browser, and the public never gets a Part II document.
- The cache of rendered parts is pruned in the bucket.
- Two workers as two hosts (separate working folders, no shared local disk; only PostgreSQL
  or SQLite, the broker and the bucket in common) build different meetings side by side,
  make one build of a meeting asked for twice, and take over a killed worker's build when
  its lease lapses; their packs are those one process makes, byte for byte.
"""

import functools
import os
import time
import uuid
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from django.db import transaction
from django.urls import reverse
from moto.server import ThreadedMotoServer

from committee import services
from committee.gate import Reader
from committee.models import AgendaPack, Appendix, Report
from committee.pack import builder, render
from committee.pack import selectors as pack_selectors
from committee.pack import services as pack_services
from committee.pack.content import gather
from committee.pack.tasks import build_agenda_pack
from config.settings import object_storage
from tests import pdfua

from .conftest import PROSE, build, make_agenda, page_texts, pdf_bytes
from .test_worker import Worker, _database_url, wait_for

REGION = "eu-west-2"


@pytest.fixture(scope="session")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


class Bucket:
    def __init__(self, endpoint: str, name: str):
        self.endpoint, self.name = endpoint, name
        self.client = boto3.client(
            "s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="quorum", aws_secret_access_key="quorum"
        )
        self.client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})

    def names(self, prefix: str = "") -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name, Prefix=prefix)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def bucket(s3_server, settings, monkeypatch, tmp_path):
    """A bucket of this test's own, made the default storage here and (by the environment,
    as in production) in any worker the test starts. The local media folder must stay empty."""
    name = f"quorum-{uuid.uuid4().hex[:12]}"
    env = {
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": s3_server,
        "AWS_ACCESS_KEY_ID": "quorum",
        "AWS_SECRET_ACCESS_KEY": "quorum",
        "AWS_DEFAULT_REGION": REGION,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    made = Bucket(s3_server, name)
    settings.STORAGES = {**settings.STORAGES, "default": object_storage(name, s3_server)}
    settings.MEDIA_ROOT = tmp_path / "no-local-media"
    yield made
    assert not (tmp_path / "no-local-media").exists(), "a file was written to local disk, not the bucket"


@pytest.fixture
def published(bucket, committee, officer):
    return make_agenda(committee, officer, publish=True)


@pytest.mark.django_db
def test_packs_are_built_into_the_bucket_and_streamed_through_the_gate(client, bucket, published):
    public, confidential = build(published, "public"), build(published, "confidential")
    names = bucket.names()
    assert public.file.name in names and confidential.file.name in names
    assert any(name.startswith(f"{render.CACHE_DIR}/") for name in names)  # the rendered parts too
    uploaded = Appendix.objects.filter(report__agenda_item__meeting=published).exclude(document="")
    assert uploaded and all(a.document.name in names for a in uploaded)

    response = client.get(public.get_absolute_url())
    assert response.status_code == 200 and "Location" not in response
    assert b"".join(response.streaming_content) == bucket.read(public.file.name)
    # An uploaded document is streamed from the bucket too; made Part II, the public loses it.
    letter = uploaded.get()
    document = client.get(reverse("committee:appendix-document", args=[letter.pk]))
    assert document.status_code == 200 and b"".join(document.streaming_content).startswith(b"%PDF")
    letter.access, letter.paragraph_numbers = "exempt", [3]
    letter.public_interest_reasons = "The price is not yet agreed."
    letter.save()
    assert client.get(reverse("committee:appendix-document", args=[letter.pk])).status_code == 404
    assert client.get(confidential.get_absolute_url()).status_code == 404
    # No page or answer names the bucket: files are never linked to where they are stored.
    meeting_page = client.get(published.get_absolute_url()).content.decode()
    assert bucket.endpoint not in meeting_page and bucket.name not in meeting_page


@pytest.mark.django_db
def test_the_cache_of_rendered_parts_is_pruned_in_the_bucket(bucket, published):
    served = build(published, "public")
    cached = bucket.names(f"{render.CACHE_DIR}/")
    assert cached
    assert render.cache_prune(older_than=timedelta(days=1)) == 0  # all fresh: nothing goes
    assert render.cache_prune(older_than=timedelta(seconds=-1)) == len(cached)
    assert bucket.names(f"{render.CACHE_DIR}/") == []
    assert served.file.name in bucket.names()  # packs themselves are never pruned
    assert pdf_bytes(served).startswith(b"%PDF")


# Two workers as two hosts --------------------------------------------------------------


@pytest.fixture
def hosts(bucket, tmp_path, monkeypatch):
    """Start workers that share only the database, the broker and the bucket: each has its
    own working folder (QUORUM_VAR_DIR) and its own, unused, local media folder."""
    queue = f"pack-hosts-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(build_agenda_pack, "apply_async", functools.partial(build_agenda_pack.apply_async, queue=queue))
    from django.conf import settings

    started = []

    def start(name: str) -> Worker:
        home = tmp_path / name
        home.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "QUORUM_VAR_DIR": str(home / "var"),
            "MEDIA_ROOT": str(home / "media"),
            "QUORUM_PACK_LEASE_SECONDS": "3",
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "QUORUM_TEST_QUEUE": queue,
            "QUORUM_TEST_BROKER_DIR": str(settings.BROKER_DIR.resolve()),  # the filesystem broker's, if it is the one
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        worker = Worker(env, home / "worker.log", queue).start()
        started.append((name, worker, home))
        return worker

    yield start
    for name, worker, home in started:
        worker.stop()
        media = home / "media"
        assert not media.exists() or not any(media.rglob("*.pdf")), f"{name} kept a pack on its own disk"


def _built_by(home: Path) -> int:
    """The builds this host finished (its "ready" log lines), not the messages it took:
    a duplicate delivery, which finds nothing to claim, also "succeeds"."""
    return (home / "worker.log").read_text().count(" ready: meeting ")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_two_hosts_build_side_by_side_and_one_build_per_request(bucket, hosts, committee, officer, tmp_path):
    first = make_agenda(committee, officer, publish=False)
    second = make_agenda(committee, officer, publish=False)
    # Both hosts are listening before any build is sent, so that each takes some (one that
    # started later could find the other had built all four).
    hosts("host-a"), hosts("host-b")
    with transaction.atomic():  # no worker sees a build until this commits
        for meeting in (first, second):
            services.meeting_publish_agenda(meeting=meeting, by=officer)  # four builds, on commit
            meeting.refresh_from_db()
        # The same build asked for twice before it is built: the two requests coalesce.
        again = pack_services.pack_request(meeting=first, kind="public")
    assert AgendaPack.objects.filter(meeting=first, kind="public", is_preview=False).get().pk == again.pk
    pack_services._send([again.pk])  # and sent twice

    wait_for(lambda: AgendaPack.objects.filter(status="ready", is_preview=False).count() == 4 or None, timeout=240)
    assert _built_by(tmp_path / "host-a") >= 1 and _built_by(tmp_path / "host-b") >= 1
    assert _built_by(tmp_path / "host-a") + _built_by(tmp_path / "host-b") == 4
    time.sleep(1)
    assert list(AgendaPack.objects.filter(meeting=first, kind="public").values_list("number", flat=True)) == [1]

    # The packs the two hosts made are the packs one process makes, byte for byte. Made
    # here by the builder itself, every paper rendered afresh: a build requested here would
    # go to the hosts' queue, where a host could claim it first, and its inputs being those
    # of the hosts' version, it would make no new version but hand that one back.
    from_hosts = pack_selectors.meeting_packs(meeting=second, reader=Reader(is_officer=True)).public
    assert render.cache_prune(older_than=timedelta(seconds=-1)) > 0
    made_here = builder.build(gather(second, kind="public", scope="full")).pdf
    assert not pdfua.problems(made_here), pdfua.problems(made_here)
    assert page_texts(pdf_bytes(from_hosts)) == page_texts(made_here)
    assert pdf_bytes(from_hosts) == made_here


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_killed_hosts_build_is_taken_over_by_the_other(bucket, hosts, committee, officer):
    meeting = make_agenda(committee, officer, publish=True)
    good = build(meeting, "public")
    Report.objects.filter(agenda_item__meeting=meeting, agenda_item__number="5").update(
        background_and_advice=PROSE * 1200
    )
    requested = pack_services.pack_request(meeting=meeting, kind="public")
    a = hosts("host-a")
    wait_for(
        lambda: AgendaPack.objects.filter(pk=requested.pk, status="rendering", progress__gte=10).exists(),
        what="rendering to start",
    )
    a.kill()
    time.sleep(3.5)  # its lease (3 s here) runs out
    hosts("host-b")
    pack_services._send([requested.pk])  # as beat's sweep sends an interrupted build again
    finished = wait_for(lambda: AgendaPack.objects.filter(pk=requested.pk, status="ready").first(), timeout=240)
    assert finished.number == 2 and finished.attempts >= 2
    assert pdf_bytes(good).startswith(b"%PDF")  # the last good pack stays in the bucket, readable
    assert finished.file.name in bucket.names()


@pytest.mark.django_db
def test_beat_prunes_the_part_cache_every_night(bucket, published, settings):
    from celery.schedules import crontab

    from committee.pack.tasks import prune_pack_cache

    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == prune_pack_cache.name)
    assert entry["schedule"] == crontab(hour=3, minute=30)
    build(published, "public")
    assert bucket.names(f"{render.CACHE_DIR}/")
    settings.QUORUM_PACK_CACHE_DAYS = 0
    assert prune_pack_cache.run() > 0  # the task as the worker runs it, at the cache's age limit
    assert bucket.names(f"{render.CACHE_DIR}/") == []

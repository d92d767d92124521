"""Running it for real, with the packs: no Part II text in the logs of a publication and its
builds; the builds' outcomes and durations in the metrics; the request id of the officer's
"Build" in the worker's log lines for that build."""

import json
import logging

import pytest
from django.urls import reverse

from committee import services
from committee.models import AgendaPack, Report
from committee.pack import services as pack_services

from .conftest import SECRET
from .test_worker import wait_for, worker  # noqa: F401 - the real worker fixture

TOKEN = "scrape-token-for-the-test-0123456789"


@pytest.mark.django_db
def test_no_part_ii_text_in_the_logs_of_a_publication_and_its_builds(agenda_unpublished, officer, caplog, settings):
    caplog.set_level(logging.DEBUG)
    services.meeting_publish_agenda(meeting=agenda_unpublished, by=officer)
    # What runs once the publication commits (this test's transaction never does).
    pack_services.on_agenda_published(meeting_id=agenda_unpublished.pk, requested_by_id=officer.pk)
    built = [
        pack_services.pack_build(pack_id=pack.pk)
        for pack in AgendaPack.objects.filter(meeting=agenda_unpublished, status="queued")
    ]
    assert sorted(p.kind for p in built) == ["confidential", "public"]
    assert all(p.status == "ready" for p in built)
    assert any("ready" in r.getMessage() and r.name == "committee.pack.services" for r in caplog.records)
    for record in caplog.records:
        assert SECRET not in record.getMessage() and SECRET not in repr(vars(record)), record.name

    # and the metrics report them.
    settings.QUORUM_METRICS_TOKEN = TOKEN
    text = (
        pytest.importorskip("django.test")
        .Client()
        .get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        .content.decode()
    )
    assert 'quorum_pack_builds_total{outcome="ready"} 2.0' in text
    assert 'quorum_pack_builds_total{outcome="failed"} 0.0' in text
    assert 'quorum_pack_build_seconds_bucket{le="+Inf"} 2.0' in text
    lookups = next(line for line in text.splitlines() if line.startswith("quorum_pack_paper_cache_lookups_total"))
    assert float(lookups.split()[-1]) > 0
    assert SECRET not in text


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_request_id_of_the_officer_s_build_is_in_the_worker_s_log(agenda, officer, client, worker, tmp_path):  # noqa: F811
    worker()
    # The publication's own builds first (queued by no request: the worker sends them as it starts).
    wait_for(lambda: AgendaPack.objects.filter(meeting=agenda, status="ready").count() == 2 or None)
    Report.objects.filter(agenda_item__meeting=agenda, agenda_item__number="5").update(title="Highways (revised)")
    client.force_login(officer)
    response = client.post(reverse("packs:meeting-build", args=[agenda.pk]), HTTP_X_REQUEST_ID="officer-build-5f2c9a")
    assert response.status_code == 302
    assert response["X-Request-ID"] == "officer-build-5f2c9a"
    wait_for(lambda: AgendaPack.objects.filter(meeting=agenda, status="ready").count() == 4 or None)
    lines = []
    for line in (tmp_path / "worker.log").read_text().splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    ours = [entry for entry in lines if entry.get("request_id") == "officer-build-5f2c9a"]
    # Both builds' "ready" lines, written in the worker, carry the officer's request id.
    assert len([e for e in ours if e["logger"] == "committee.pack.services" and "ready" in e["message"]]) == 2, lines
    assert not any(SECRET in json.dumps(entry) for entry in lines)

"""Removal at the end of retention, with real packs: every version of the meeting's pack is
withdrawn (its address answers 410 with the notice, for the public and officers alike, since
its file is gone); for lists of background papers, new versions are built without them."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from committee.models import AgendaPack, BackgroundPaper, Report
from retention import services

from .conftest import build, pack_text, pdf_bytes

pytestmark = pytest.mark.django_db


def age(meeting, years: float) -> None:
    type(meeting).objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(days=round(365.25 * years)))
    meeting.refresh_from_db()


def test_removed_reports_take_their_pack_versions_with_a_notice(
    agenda, officer, client, django_capture_on_commit_callbacks
):
    public, confidential = build(agenda, "public"), build(agenda, "confidential")
    files = [public.file.name, confidential.file.name]
    uploads = [
        a.document.name
        for r in Report.objects.filter(agenda_item__meeting=agenda)
        for a in r.appendices.all()
        if a.document
    ]
    assert uploads and all(default_storage.exists(name) for name in files + uploads)
    age(agenda, 6.2)
    with django_capture_on_commit_callbacks(execute=True):
        services.papers_remove(meeting=agenda, kind="reports", by=officer, reason="End of the six years.")

    for pack in (public, confidential):
        pack.refresh_from_db()
        assert pack.is_withdrawn and not pack.file
    assert not any(default_storage.exists(name) for name in files + uploads)
    answer = client.get(public.get_absolute_url())
    assert answer.status_code == 410
    text = answer.content.decode()
    assert "removed on" in text and "end of their retention period" in text
    client.force_login(officer)
    assert client.get(confidential.get_absolute_url()).status_code == 410  # nothing left for officers either
    assert client.get(agenda.get_absolute_url()).status_code == 200  # the meeting's page stays


def test_removed_background_papers_are_gone_from_the_new_version(
    agenda, officer, client, django_capture_on_commit_callbacks
):
    report = Report.objects.get(agenda_item__meeting=agenda, agenda_item__number="5")
    BackgroundPaper.objects.create(report=report, paper="Highways Asset Plan 2018", contact="J Smith, 01772 000000")
    old = build(agenda, "public")
    assert "Highways Asset Plan 2018" in pack_text(pdf_bytes(old))
    age(agenda, 4.5)
    with django_capture_on_commit_callbacks(execute=True):
        services.papers_remove(meeting=agenda, kind="background_papers", by=officer, reason="Four years have passed.")
    old.refresh_from_db()
    assert old.is_withdrawn and "lists of background papers" in old.withdrawal_reason
    assert client.get(old.get_absolute_url()).status_code == 410
    assert Report.objects.filter(pk=report.pk).exists()  # the reports stay for their six years
    queued = AgendaPack.objects.get(meeting=agenda, kind="public", status="queued")
    from committee.pack import services as pack_services

    new = pack_services.pack_build(pack_id=queued.pk)
    assert new.status == "ready" and new.number == 2
    assert "Highways Asset Plan 2018" not in pack_text(pdf_bytes(new))
    assert client.get(new.get_absolute_url()).status_code == 200

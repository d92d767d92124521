"""A version is withdrawn whenever its own readers may no longer read something it prints,
whichever way that came about: a version finished by the worker after its papers were
reclassified, a confidential version that reprints another committee's minutes, a paper moved
off a published agenda, a minute withdrawn from published minutes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from committee import services
from committee.models import AgendaPack, Minute, Minutes
from committee.pack import services as pack_services
from tests.factories import AgendaItemFactory, CommitteeFactory, MeetingFactory, exempt
from tests.gate_surfaces import text_of

from .conftest import build

pytestmark = pytest.mark.django_db


def test_a_version_the_worker_finishes_after_its_item_was_made_part_ii_is_withdrawn(
    agenda, client, officer, monkeypatch
):
    item = agenda.items.get(number="5")
    pack = pack_services.pack_request(meeting=agenda, kind="public")
    gathered = pack_services.gather

    def reclassified_while_rendering(meeting, **kwargs):
        content = gathered(meeting, **kwargs)  # item 5 still Part I: printed
        # Meanwhile an officer makes it Part II, as the admin does: the save, then the service
        # (which finds no ready version to withdraw: this one is still being built).
        exempt(item, 3)
        assert pack_services.packs_after_papers_changed(meeting=agenda, by=officer) == []
        return content

    monkeypatch.setattr(pack_services, "gather", reclassified_while_rendering)
    pack_services.pack_build(pack_id=pack.pk)
    pack.refresh_from_db()
    assert pack.status == "ready"
    assert client.get(pack.get_absolute_url()).status_code == 410, "the public downloads item 5 made Part II"
    assert "item 5" in pack.withdrawal_reason
    assert pack.get_absolute_url() not in client.get(agenda.get_absolute_url()).content.decode()
    # A version without it is on its way.
    assert AgendaPack.objects.filter(meeting=agenda, kind="public", status="queued").exists()


def test_a_confidential_version_reprinting_another_committees_minute_made_part_ii_is_withdrawn(
    committee, officer, councillor, client, media
):
    """The confidential pack is for this committee's councillors: they read another
    committee's minutes as the public does, so one of its items made Part II is no longer
    theirs to read in the version that reprinted it."""
    other = MeetingFactory(committee=CommitteeFactory(), starts_at=timezone.now() - timedelta(days=30))
    sold = AgendaItemFactory(meeting=other, title="Land disposal")
    services.meeting_publish_agenda(meeting=other, by=officer, late_reasons="Urgent.")
    minutes = Minutes.objects.create(meeting=other, published_at=timezone.now())
    Minute.objects.create(minutes=minutes, agenda_item=sold, text="<p>SOLD-FOR 1.2m to the bidder.</p>")
    meeting = MeetingFactory(committee=committee)
    AgendaItemFactory(meeting=meeting, title="Minutes of the sub-committee", kind="minutes", minutes_of=other)
    exempt(AgendaItemFactory(meeting=meeting, title="Disposal of the depot"), 3)  # so it has a confidential pack
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    meeting.refresh_from_db()
    confidential = build(meeting, "confidential")
    client.force_login(councillor)
    response = client.get(confidential.get_absolute_url())
    assert response.status_code == 200
    assert "SOLD-FOR" in text_of(response)

    exempt(sold, 3)
    pack_services.packs_after_papers_changed(meeting=other, by=officer)
    confidential.refresh_from_db()
    assert confidential.withdrawn_at is not None, "the committee still downloads another committee's Part II minute"
    assert client.get(confidential.get_absolute_url()).status_code == 410


def test_an_item_moved_off_a_published_agenda_withdraws_the_versions_that_printed_it(agenda, client, officer):
    public = build(agenda, "public")
    assert "Potholes were filled" in text_of(client.get(public.get_absolute_url()))
    draft = MeetingFactory(committee=agenda.committee, starts_at=agenda.starts_at + timedelta(days=60))
    item = agenda.items.get(number="5")

    client.force_login(officer)
    url = reverse("admin:committee_agendaitem_change", args=[item.pk])
    form = client.get(url).context["adminform"].form
    data = {name: v if isinstance(v := form[name].value(), list) else v or "" for name in form.fields}
    data.update(meeting=draft.pk)  # to the next meeting, whose agenda is not published
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    client.logout()

    public.refresh_from_db()
    assert public.withdrawn_at is not None, "the draft meeting's paper is still in the published pack"
    assert client.get(public.get_absolute_url()).status_code == 410


def test_a_minute_taken_out_of_published_minutes_withdraws_the_versions_that_reprint_it(
    agenda, client, officer, django_capture_on_commit_callbacks
):
    public = build(agenda, "public")
    assert "No apologies for absence were received" in text_of(client.get(public.get_absolute_url()))
    previous = agenda.items.get(number="3").minutes_of
    apologies = previous.items.get()

    with django_capture_on_commit_callbacks() as callbacks:
        services.minutes_write(
            meeting=previous,
            by=officer,
            officers_in_attendance="",
            entries=[services.MinuteEntry(apologies.pk)],  # emptied: the minute is taken out
            attendances=[],
        )
    for callback in callbacks:
        callback()
    assert not Minute.objects.filter(agenda_item=apologies).exists()
    public.refresh_from_db()
    assert public.withdrawn_at is not None, "the minute taken out is still in the published pack"
    assert client.get(public.get_absolute_url()).status_code == 410


def test_published_minutes_deleted_in_the_admin_withdraw_the_versions_that_reprint_them(agenda, client, officer):
    public = build(agenda, "public")
    previous = agenda.items.get(number="3").minutes_of
    client.force_login(officer)
    url = reverse("admin:committee_minutes_delete", args=[previous.minutes.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    client.logout()
    public.refresh_from_db()
    assert public.withdrawn_at is not None, "minutes deleted are still in the published pack"

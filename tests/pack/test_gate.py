"""The confidential pack is for this committee: another committee's Part II or draft minutes
never reach it, even when a minutes item points at that committee's meeting. A preview reads
as if published without writing anything. A version is withdrawn deliberately or when what it
prints stops being public; its address then answers 410."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from committee import services
from committee.models import AgendaPack, Minute, Minutes, Report
from committee.pack import services as pack_services
from committee.pack.content import gather
from tests.factories import AgendaItemFactory, CommitteeFactory, MeetingFactory, ReportFactory, exempt
from tests.gate_surfaces import MARKER, Surface, check_no_leaks, leaks, plant, surfaces, text_of

from .conftest import SECRET, build
from .test_worker import wait_for, worker  # noqa: F401 - the real worker's fixture

pytestmark = pytest.mark.django_db


def _published_past_meeting(committee, officer):
    meeting = MeetingFactory(committee=committee)
    AgendaItemFactory(meeting=meeting)
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    meeting.refresh_from_db()
    meeting.starts_at = timezone.now() - timedelta(days=40)
    meeting.save()
    return meeting


def _text(meeting, kind):
    content = gather(meeting, kind=kind, scope=AgendaPack.Scope.FULL)
    return "".join(part.html for paper in content.papers for part in paper.parts)


def test_another_committees_part_ii_minutes_stay_out_of_the_confidential_pack(committee, officer):
    other = _published_past_meeting(CommitteeFactory(), officer)
    secret = exempt(AgendaItemFactory(meeting=other, title="Land disposal"), 3)
    open_item = other.items.exclude(pk=secret.pk).get()
    minutes = Minutes.objects.create(meeting=other, published_at=timezone.now())
    Minute.objects.create(minutes=minutes, agenda_item=secret, text="<p>SECRET-PRICE 1.2m</p>")
    Minute.objects.create(minutes=minutes, agenda_item=open_item, text="<p>OPEN-MINUTE noted</p>")

    meeting = MeetingFactory(committee=committee)
    AgendaItemFactory(meeting=meeting, title="Minutes of the sub-committee", kind="minutes", minutes_of=other)
    services.meeting_publish_agenda(meeting=meeting, by=officer)

    confidential = _text(meeting, AgendaPack.Kind.CONFIDENTIAL)
    assert "OPEN-MINUTE" in confidential and "SECRET-PRICE" not in confidential
    assert "SECRET-PRICE" not in _text(meeting, AgendaPack.Kind.PUBLIC)


def test_this_committees_part_ii_minutes_are_in_its_confidential_pack_only(committee, officer):
    previous = _published_past_meeting(committee, officer)
    secret = exempt(AgendaItemFactory(meeting=previous, title="Land disposal"), 3)
    minutes = Minutes.objects.create(meeting=previous, published_at=timezone.now())
    Minute.objects.create(minutes=minutes, agenda_item=secret, text="<p>OWN-SECRET agreed</p>")

    meeting = MeetingFactory(committee=committee)
    AgendaItemFactory(meeting=meeting, kind="minutes", minutes_of=previous)
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    assert "OWN-SECRET" in _text(meeting, AgendaPack.Kind.CONFIDENTIAL)
    assert "OWN-SECRET" not in _text(meeting, AgendaPack.Kind.PUBLIC)


# Previews read "as if published", writing nothing -----------------------------------------


def test_a_preview_reads_as_if_published_and_writes_nothing(agenda_unpublished):
    """The preview's reader is flagged, not the meeting: no UPDATE reaches the database (the
    old way set agenda_published_at in a rolled-back transaction)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        public = _text(agenda_unpublished, AgendaPack.Kind.PUBLIC)
        confidential = _text(agenda_unpublished, AgendaPack.Kind.CONFIDENTIAL)
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    agenda_unpublished.refresh_from_db()
    assert agenda_unpublished.agenda_published_at is None
    assert "Potholes were filled" in public and SECRET not in public
    assert SECRET in confidential


# Withdrawn versions -----------------------------------------------------------------------


def _status_and_text(client, url):
    response = client.get(url)
    return response.status_code, text_of(response)


def test_an_officer_withdraws_a_version_with_a_reason(agenda, client, officer):
    first = build(agenda, "public")
    Report.objects.filter(agenda_item__meeting=agenda, agenda_item__number="5").update(title="Highways (revised)")
    second = build(agenda, "public")
    assert second.number == 2

    client.force_login(officer)
    url = reverse("admin:committee_agendapack_withdraw", args=[first.pk])
    # No reason: refused at the field, nothing withdrawn.
    page = client.post(url, {"reason": "   "})
    assert page.status_code == 200 and "Say why the version is withdrawn" in page.content.decode()
    first.refresh_from_db()
    assert first.withdrawn_at is None
    response = client.post(url, {"reason": "It printed a councillor's home address by mistake."})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.withdrawn_by == officer and first.withdrawn_at is not None
    assert first.withdrawal_reason == "It printed a councillor's home address by mistake."
    # Officers keep the file, and see the version marked withdrawn.
    assert client.get(first.get_absolute_url()).status_code == 200
    officer_page = client.get(agenda.get_absolute_url()).content.decode()
    assert first.get_absolute_url() in officer_page and "withdrawn" in officer_page

    client.logout()
    response = client.get(first.get_absolute_url())
    assert response.status_code == 410
    body = response.content.decode()
    assert "councillor&#x27;s home address" in body and second.get_absolute_url() in body
    assert first.get_absolute_url() not in client.get(agenda.get_absolute_url()).content.decode()


def test_status_json_is_for_officers_only(agenda, client, django_user_model):
    failed = AgendaPack.objects.create(
        meeting=agenda, kind="confidential", status="failed", error="Appendix 'A' of item 7 (SECRET-TITLE) is missing"
    )
    url = reverse("packs:meeting-status", args=[agenda.pk])
    intern = django_user_model.objects.create_user(username="intern", password="x", is_staff=True)
    client.force_login(intern)  # staff, but no officer's role
    response = client.get(url)
    assert response.status_code == 404 and b"SECRET-TITLE" not in response.content
    assert failed.error  # it exists: the 404 is the gate


# Reclassified after publication: a real worker builds, the old version is withdrawn ---------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_item_made_part_ii_after_publication_reaches_no_public_surface_not_even_old_packs(
    client,
    committee,
    officer,
    media,
    worker,  # noqa: F811 - the fixture imported above
):
    worker()
    meeting = MeetingFactory(committee=committee)
    ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting, title="Library opening hours"))
    item = plant(meeting, officer=officer, part_ii=False)
    services.meeting_publish_agenda(meeting=meeting, by=officer)  # on commit the worker builds both packs
    old = wait_for(lambda: AgendaPack.objects.filter(meeting=meeting, kind="public", status="ready").first())
    # The canary: the public version prints the marker, and reading its text finds it.
    response = client.get(old.get_absolute_url())
    assert response.status_code == 200 and MARKER in leaks(response, item)

    # Made Part II after publication, as the admin does it: the save, then the service.
    exempt(item, 3)
    withdrawn = pack_services.packs_after_papers_changed(meeting=meeting, by=officer)
    assert [p.pk for p in withdrawn] == [old.pk]
    old.refresh_from_db()
    assert old.withdrawn_by == officer and old.withdrawn_at is not None
    assert f"item {item.number} were reclassified as not for publication" in old.withdrawal_reason
    new = wait_for(
        lambda: AgendaPack.objects.filter(
            meeting=meeting, kind="public", status="ready", withdrawn_at__isnull=True
        ).first(),
        what="the new public version",
    )
    assert new.number == 2

    checks = [
        *surfaces(item),
        Surface("withdrawn pack version", old.get_absolute_url(), 410),
        Surface("current pack version", new.get_absolute_url(), 200),
    ]
    check_no_leaks(client, checks, item)
    gone = client.get(old.get_absolute_url()).content.decode()
    assert "withdrawn" in gone and new.get_absolute_url() in gone
    assert old.get_absolute_url() not in client.get(meeting.get_absolute_url()).content.decode()
    # The file is kept for officers.
    client.force_login(officer)
    response = client.get(old.get_absolute_url())
    assert response.status_code == 200 and MARKER in text_of(response)


def test_making_an_item_part_ii_in_the_admin_withdraws_the_public_versions_that_printed_it(agenda, client, officer):
    public = build(agenda, "public")
    confidential = build(agenda, "confidential")
    item = agenda.items.get(number="5")
    assert "Potholes were filled" in text_of(client.get(public.get_absolute_url()))

    client.force_login(officer)
    url = reverse("admin:committee_agendaitem_change", args=[item.pk])
    form = client.get(url).context["adminform"].form
    data = {name: v if isinstance(v := form[name].value(), list) else v or "" for name in form.fields}
    data.update(access="exempt", paragraphs=["3"], public_interest_reasons="Commercial terms still being negotiated.")
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""

    public.refresh_from_db()
    confidential.refresh_from_db()
    assert public.withdrawn_by == officer and "item 5" in public.withdrawal_reason
    assert confidential.withdrawn_at is None  # its readers may still read item 5
    queued = AgendaPack.objects.filter(meeting=agenda, status="queued")
    assert set(queued.values_list("kind", flat=True)) == {"public", "confidential"}
    client.logout()
    assert client.get(public.get_absolute_url()).status_code == 410
    # The rebuild makes a new version, though an unchanged input would otherwise make none.
    rebuilt = pack_services.pack_build(pack_id=queued.get(kind="public").pk)
    assert rebuilt.number == 2 and "Potholes were filled" not in text_of(client.get(rebuilt.get_absolute_url()))

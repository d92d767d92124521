"""The officers' workplace: every page loads for an officer and is refused to the public;
roles decide who may publish; every edit is kept in history."""

import pytest
from django.contrib import admin
from django.urls import reverse

from committee import services
from committee.models import Meeting, Officer
from tests.factories import AgendaItemFactory, ReportFactory

pytestmark = pytest.mark.django_db


def _admin_urls(user=None):
    """Every committee admin page; an add page only where officers may add (pack versions,
    for one, are made by the builder, never typed in)."""
    from django.test import RequestFactory

    report = ReportFactory()
    request = RequestFactory().get("/admin/")
    request.user = user
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "committee":
            continue
        info = model._meta.app_label, model._meta.model_name
        urls.append(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        if user is None or model_admin.has_add_permission(request):
            urls.append(reverse(f"admin:{info[0]}_{info[1]}_add"))
    meeting = report.agenda_item.meeting
    urls += [
        reverse("admin:committee_meeting_change", args=[meeting.pk]),
        reverse("admin:committee_meeting_history", args=[meeting.pk]),
        reverse("admin:committee_report_change", args=[report.pk]),
        reverse("admin:committee_meeting_publish", args=[meeting.pk]),
        reverse("admin:committee_meeting_cancel", args=[meeting.pk]),
    ]
    return urls


def test_every_admin_page_loads_for_an_officer(client, officer):
    client.force_login(officer)
    for url in _admin_urls(officer):
        assert client.get(url).status_code == 200, url


def test_every_admin_page_is_refused_to_the_public(client):
    for url in _admin_urls():
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_a_councillor_cannot_enter_the_admin(client, councillor):
    client.force_login(councillor)
    response = client.get(reverse("admin:committee_meeting_changelist"))
    assert response.status_code == 302


def test_report_author_edits_reports_but_cannot_publish(client, author):
    report = ReportFactory()
    report.authors.add(author)
    meeting = report.agenda_item.meeting
    client.force_login(author)
    assert client.get(reverse("admin:committee_report_change", args=[report.pk])).status_code == 200
    assert client.get(reverse("admin:committee_meeting_publish", args=[meeting.pk])).status_code == 403
    assert client.post(reverse("admin:committee_meeting_publish", args=[meeting.pk])).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT
    # Authors may look at meetings but not change them.
    page = client.get(reverse("admin:committee_meeting_change", args=[meeting.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content


def test_officer_publishes_from_the_admin_and_sees_the_deadline(client, officer):
    item = AgendaItemFactory()
    meeting = item.meeting
    client.force_login(officer)
    page = client.get(reverse("admin:committee_meeting_change", args=[meeting.pk]))
    assert f"{meeting.publication_deadline:%-d %B %Y}".encode() in page.content
    assert b"Publish the agenda" in page.content
    response = client.post(reverse("admin:committee_meeting_publish", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_PUBLISHED


def test_publish_page_lists_what_stops_publication(client, officer):
    meeting = AgendaItemFactory().meeting
    meeting.items.all().delete()
    client.force_login(officer)
    page = client.get(reverse("admin:committee_meeting_publish", args=[meeting.pk]))
    assert b"cannot be published yet" in page.content and b"no items" in page.content


def test_history_records_who_changed_what_and_when(client, officer):
    contact = Officer.objects.create(name="Paul Bond", job_title="Head of Legal and Democratic Services")
    client.force_login(officer)
    url = reverse("admin:committee_officer_change", args=[contact.pk])
    response = client.post(
        url, {"name": "Paul Bond", "job_title": contact.job_title, "phone": "01772 534676", "email": ""}
    )
    assert response.status_code == 302
    change = contact.history.latest("history_date")
    assert change.history_user == officer
    assert change.phone == "01772 534676" and change.prev_record.phone == ""
    page = client.get(reverse("admin:committee_officer_history", args=[contact.pk]))
    assert page.status_code == 200 and b"officer" in page.content


def test_officer_reorders_and_renumbers_the_agenda(client, officer):
    first = AgendaItemFactory(order=1, number="1", title="Apologies for Absence")
    meeting = first.meeting
    second = AgendaItemFactory(meeting=meeting, order=2, number="2", title="Urgent Business")
    client.force_login(officer)
    url = reverse("admin:committee_meeting_reorder", args=[meeting.pk])
    assert b"Reorder the agenda" in client.get(reverse("admin:committee_meeting_change", args=[meeting.pk])).content
    seen = services.agenda_version(meeting=meeting)  # the agenda as the reorder page showed it
    assert client.post(url, {"item": second.pk, "move": "up", "agenda_seen": seen}).status_code == 302
    assert list(meeting.items.order_by("order").values_list("title", "number")) == [
        ("Urgent Business", "2"),
        ("Apologies for Absence", "1"),
    ]
    client.post(url, {"renumber": "1", "agenda_seen": services.agenda_version(meeting=meeting)})
    assert list(meeting.items.order_by("order").values_list("title", "number")) == [
        ("Urgent Business", "1"),
        ("Apologies for Absence", "2"),
    ]


def test_new_items_added_in_the_admin_go_to_the_end_in_turn(client, officer):
    from committee.models import AgendaItem

    meeting = AgendaItemFactory(order=1, number="1").meeting
    client.force_login(officer)
    url = reverse("admin:committee_meeting_change", args=[meeting.pk])
    form = client.get(url).context["adminform"].form
    data = {name: v if isinstance(v := form[name].value(), list) else v or "" for name in form.fields}
    data["starts_at_0"], data["starts_at_1"] = meeting.starts_at.strftime("%d/%m/%Y"), "14:00:00"
    data.update(
        {
            "items-TOTAL_FORMS": 3,
            "items-INITIAL_FORMS": 1,
            "items-0-id": meeting.items.get().pk,
            "items-0-meeting": meeting.pk,
            "items-0-number": "1",
            "items-0-title": meeting.items.get().title,
            "items-0-kind": "report",
            "items-0-access": "public",
            "items-1-meeting": meeting.pk,
            "items-1-number": "2",
            "items-1-title": "Date of Next Meeting",
            "items-1-kind": "next_meeting",
            "items-1-access": "public",
            "items-2-meeting": meeting.pk,
            "items-2-number": "3",
            "items-2-title": "Urgent Business",
            "items-2-kind": "urgent_business",
            "items-2-access": "public",
            "attendances-TOTAL_FORMS": 0,
            "attendances-INITIAL_FORMS": 0,
        }
    )
    data.pop("starts_at", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert AgendaItem.objects.get(meeting=meeting, title="Date of Next Meeting").order == 2
    assert AgendaItem.objects.get(meeting=meeting, title="Urgent Business").order == 3


def test_editing_a_published_report_asks_for_new_pack_versions(client, officer):
    from committee.models import AgendaPack

    report = ReportFactory()
    from committee import services

    services.meeting_publish_agenda(meeting=report.agenda_item.meeting, by=officer)
    AgendaPack.objects.all().delete()  # forget the builds that publishing asked for
    client.force_login(officer)
    url = reverse("admin:committee_report_change", args=[report.pk])
    form = client.get(url).context["adminform"].form
    data = {name: v if isinstance(v := form[name].value(), list) else v or "" for name in form.fields}
    data.update(
        {
            "agenda_item": report.agenda_item_id,
            "executive_summary": "<p>Corrected figures.</p>",
            "background_papers-TOTAL_FORMS": 0,
            "background_papers-INITIAL_FORMS": 0,
            "appendices-TOTAL_FORMS": 0,
            "appendices-INITIAL_FORMS": 0,
        }
    )
    data.pop("contact", None)
    data.pop("authors", None)
    assert client.post(url, data).status_code == 302
    queued = AgendaPack.objects.filter(meeting=report.agenda_item.meeting, status="queued")
    # The one pack: the meeting has no Part II papers for a confidential one.
    assert set(queued.values_list("kind", flat=True)) == {"public"}


def test_nothing_published_can_be_deleted_in_the_admin(client, officer):
    report = ReportFactory()
    meeting, item = report.agenda_item.meeting, report.agenda_item
    client.force_login(officer)
    draft_delete = reverse("admin:committee_report_delete", args=[report.pk])
    assert client.get(draft_delete).status_code == 200  # a draft may still be deleted

    from committee import services

    services.meeting_publish_agenda(meeting=meeting, by=officer)
    for name, pk in (("meeting", meeting.pk), ("agendaitem", item.pk), ("report", report.pk)):
        url = reverse(f"admin:committee_{name}_delete", args=[pk])
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"post": "yes"}).status_code == 403, name
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    page = client.get(reverse("admin:committee_meeting_change", args=[meeting.pk])).content.decode()
    assert "items-0-DELETE" not in page  # the agenda's inline offers no delete box either

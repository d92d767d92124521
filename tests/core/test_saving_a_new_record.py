"""Pressing "Save" on a new record whose next step is on its own page (the tools at the top of its
change page: publish the agenda, upload from Word, take a snapshot...) opens that page, with
Django's message that it was added, instead of the list it would be opened again from
(core.forms.CarefulAdminMixin.open_after_adding). The pages are found by walking the admin's
change page templates, so a page given tools later is held to this without being listed."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import strip_tags

from committee.models import Meeting, Report, Venue
from tests.factories import AgendaItemFactory, CommitteeFactory, VenueFactory

from .admin_pages import add_url, change_url, form_data, with_values
from .admin_records import a_record_of

pytestmark = pytest.mark.usefixtures("demo_for_the_module")


def _pages_with_next_steps() -> list[str]:
    """The label (app_label.model_name) of every change page that adds tools of its own."""
    return sorted(
        f"{path.parent.parent.name}.{path.parent.name}"
        for path in (Path(settings.BASE_DIR) / "templates" / "admin").glob("*/*/change_form.html")
        if "object-tools-items" in path.read_text()
    )


def _admins() -> dict:
    return {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()}


def test_every_change_page_with_next_steps_opens_after_adding():
    pages = _pages_with_next_steps()
    assert {"committee.meeting", "committee.report", "decisions.decision"} <= set(pages)
    assert [page for page in pages if not _admins()[page].open_after_adding] == []


def _saved_new(label: str, record):
    """What the admin answers "Save" on the add page of `label` that made `record`."""
    request = RequestFactory().post(add_url(type(record)), {"_save": "Save"})
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return _admins()[label].response_add(request, record), request


@pytest.mark.parametrize("label", _pages_with_next_steps())
def test_save_on_a_new_record_opens_its_page(label):
    record = a_record_of(_admins()[label].model)
    response, request = _saved_new(label, record)
    assert response.status_code == 302
    assert response.url == change_url(record)
    assert [strip_tags(message) for message in get_messages(request)] == [
        f"The {record._meta.verbose_name} \u201c{record}\u201d was added successfully."
    ]


def test_a_record_without_next_steps_goes_back_to_its_list():
    response, _ = _saved_new("committee.venue", a_record_of(Venue))
    assert response.url == reverse("admin:committee_venue_changelist")


@pytest.fixture
def officer_browser(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="officer"))  # the demo's officer
    return client


def test_save_on_a_new_meeting_opens_the_meetings_page(officer_browser):
    committee, venue = CommitteeFactory(), VenueFactory()
    data = form_data(officer_browser.get(add_url(Meeting)))
    data = with_values(data, committee=str(committee.pk), venue=str(venue.pk), starts_at_0="27/06/2030")
    response = officer_browser.post(add_url(Meeting), with_values(data, starts_at_1="2.00 p.m."), follow=True)
    meeting = Meeting.objects.get(committee=committee)
    assert response.redirect_chain == [(change_url(meeting), 302)]
    assert "was added successfully" in response.content.decode()
    assert "Publish the agenda" in response.content.decode()


def test_save_on_a_new_report_opens_the_reports_page(officer_browser):
    item = AgendaItemFactory(kind="report", title="Corporate Performance Report")
    data = form_data(officer_browser.get(add_url(Report)))
    data = with_values(
        data, agenda_item=str(item.pk), title="Corporate Performance Report", report_of="Director of Corporate Services"
    )
    response = officer_browser.post(add_url(Report), data, follow=True)
    assert response.redirect_chain, response.context["adminform"].form.errors
    report = Report.objects.get(agenda_item=item)
    assert response.redirect_chain == [(change_url(report), 302)]
    assert "was added successfully" in response.content.decode()

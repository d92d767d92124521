"""Two officers open the same record; the first saves; the second saves from the page
loaded earlier. The first change must survive and the second officer must get the form
back, with what they typed and a message naming what changed and who changed it."""

import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committee.models import AgendaItem, Meeting, Report, Venue
from core.forms import CarefulAdminMixin
from risks import services as risk_services
from risks.models import Entry
from send_actions.models import KeyTask
from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory
from tests.performance.factories import MeasureFactory
from tests.risks.conftest import make_entry
from tests.send_actions.plans import make_plan, task

from .admin_pages import admin_models, change_url, form_data, with_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_superuser("alice", first_name="Alice", last_name="Ashworth")


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_superuser("bob", first_name="Bob", last_name="Booth")


def _stale_save(client, alice, bob, obj, *, first: dict, second: dict, changed_label: str):
    url = change_url(obj)
    alices_browser, bobs_browser = client, Client()
    alices_browser.force_login(alice)
    bobs_browser.force_login(bob)
    alices_page = form_data(alices_browser.get(url))
    bobs_page = form_data(bobs_browser.get(url))

    response = alices_browser.post(url, with_values(alices_page, **first))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response

    response = bobs_browser.post(url, with_values(bobs_page, **second))
    assert response.status_code == 200
    page = response.content.decode()
    assert "While you had this page open, Alice Ashworth saved a change to" in page
    # Only what Alice changed, not "updated at"; and when she saved it.
    assert re.search(rf"saved a change to {changed_label} \(at \d\d:\d\d on \d+ \w+ \d{{4}}\)\.", page)
    assert "was changed successfully" not in page
    for value in second.values():
        assert value in page  # what Bob typed is still on the form
    return type(obj)._default_manager.get(pk=obj.pk)


def test_report(client, alice, bob):
    report = ReportFactory(title="Corporate Performance Report")
    saved = _stale_save(
        client, alice, bob, report,
        first={"title": "Corporate Performance Monitoring Report"},
        second={"report_of": "Director of Corporate Services"},
        changed_label="title",
    )  # fmt: skip
    assert saved.title == "Corporate Performance Monitoring Report"
    assert saved.report_of == "Head of Legal & Democratic Services"


def test_report_change_to_an_appendix_row_is_seen(client, alice, bob):
    report = ReportFactory()
    url = change_url(report)
    client.force_login(bob)
    bobs_page = form_data(client.get(url))
    report.background_papers.create(paper="Cabinet report, 4 May 2018")
    response = client.post(url, with_values(bobs_page, title="A new title"))
    assert response.status_code == 200
    assert "the background papers" in response.content.decode()
    assert Report.objects.get(pk=report.pk).title != "A new title"


def test_agenda_item(client, alice, bob):
    item = AgendaItemFactory(title="Apologies")
    saved = _stale_save(
        client, alice, bob, item,
        first={"title": "Apologies for absence"},
        second={"number": "1a"},
        changed_label="title",
    )  # fmt: skip
    assert (saved.title, saved.number) == ("Apologies for absence", item.number)
    assert AgendaItem.history.filter(id=item.pk).count() == 2  # made, then Alice's save


def test_meeting(client, alice, bob):
    meeting = MeetingFactory(status=Meeting.Status.POSTPONED)  # its reason is on its page only then
    saved = _stale_save(
        client, alice, bob, meeting,
        first={"starts_at_1": "10:30:00"},
        second={"status_reason": "Postponed by the chair"},
        changed_label="starts at",
    )  # fmt: skip
    assert timezone.localtime(saved.starts_at).strftime("%H:%M") == "10:30"
    assert saved.status_reason == ""
    assert Meeting.history.filter(id=meeting.pk).count() == 2


def test_risk_entry(client, alice, bob):
    register = risk_services.register_create(name="Corporate Risk Register", slug="corporate")
    entry = make_entry(register, "CR1")
    saved = _stale_save(
        client, alice, bob, entry,
        first={"title": "Financial sustainability"},
        second={"owner": "Chief Executive"},
        changed_label="title",
    )  # fmt: skip
    assert saved.title == "Financial sustainability"
    assert Entry.objects.get(pk=entry.pk).owner == "Director of Children's Services"


def test_performance_measure(client, alice, bob):
    measure = MeasureFactory(name="Assessments in time")
    saved = _stale_save(
        client, alice, bob, measure,
        first={"name": "Assessments completed in time"},
        second={"definition": "Counted at month end"},
        changed_label="name",
    )  # fmt: skip
    assert saved.name == "Assessments completed in time"
    assert saved.definition == ""


def test_send_key_task(client, alice, bob):
    plan = make_plan()
    key_task = task(plan, "A1")
    saved = _stale_save(
        client, alice, bob, key_task,
        first={"description": "Agree the joint commissioning strategy"},
        second={"expected_outcome": "A strategy everyone signed"},
        changed_label="key task",
    )  # fmt: skip
    assert saved.description == "Agree the joint commissioning strategy"
    assert KeyTask.objects.get(pk=key_task.pk).expected_outcome == "Outcome of A1"


def test_saving_again_after_reading_the_message_keeps_the_form(client, alice, bob):
    report = ReportFactory(title="Old title")
    url = change_url(report)
    client.force_login(bob)
    stale = form_data(client.get(url))
    Report.objects.filter(pk=report.pk).update(report_of="Someone else")
    refused = client.post(url, with_values(stale, title="Bob's title"))
    assert refused.status_code == 200
    again = form_data(refused)
    assert again["title"] == ["Bob's title"]
    assert client.post(url, again).status_code == 302
    assert Report.objects.get(pk=report.pk).title == "Bob's title"


def test_a_save_reads_its_record_once_then_locks_it(client, alice):
    venue = Venue.objects.create(name="Committee Room A", address="County Hall, Preston")
    client.force_login(alice)
    data = with_values(form_data(client.get(change_url(venue))), name="Committee Room B")
    with CaptureQueriesContext(connection) as queries:
        assert client.post(change_url(venue), data).status_code == 302
    by_key = [q["sql"] for q in queries.captured_queries if f'"committee_venue"."id" = {venue.pk} LIMIT' in q["sql"]]
    # The record read to be edited, then locked to check its version (it was read twice first:
    # once more by the check for a record made read-only meanwhile).
    assert len(by_key) == 2 and by_key[1].endswith("FOR UPDATE")


def test_every_admin_page_saves_through_the_careful_mixin():
    missing = [m.__name__ for m in admin_models() if not isinstance(admin.site._registry[m], CarefulAdminMixin)]
    assert missing == []

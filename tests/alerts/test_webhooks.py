"""Webhooks received by a real HTTP server in the test, which checks the signature; failures
retried with backoff, and after a day the hook is paused and the officer told."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from alerts import services
from alerts.models import Event, Webhook, WebhookDelivery
from tests.core.admin_pages import change_url, form_data, with_values
from tests.factories import MeetingFactory

from .smtp import part
from .webhook_receiver import SECRET

pytestmark = pytest.mark.django_db


def test_an_event_is_posted_as_signed_json(committee, receiver):
    hook = Webhook.objects.create(
        organisation="Lancashire Post", url=receiver.url, events=["meeting_added"], secret=SECRET
    )
    Webhook.objects.create(organisation="Other", url=receiver.url + "/x", events=["minutes_published"], secret=SECRET)
    meeting = MeetingFactory(committee=committee)
    services.event_fan_out(event_id=Event.objects.get(meeting=meeting).pk)
    assert services.webhooks_send() == 1
    [got] = receiver.received
    assert got["valid"]
    assert got["body"]["event"] == "meeting_added" and got["body"]["meeting"]["id"] == meeting.pk
    assert got["body"]["meeting"]["committee"] == committee.slug  # the API's shape
    assert got["headers"]["Quorum-Event"] == "meeting_added"
    assert WebhookDelivery.objects.get(hook=hook).status == "delivered"
    assert services.webhooks_send() == 0  # delivered once


def test_failures_back_off_then_after_a_day_the_hook_is_paused_and_the_officer_told(committee, receiver, smtp):
    receiver.status = 500
    hook = Webhook.objects.create(
        organisation="Lancashire Post", url=receiver.url, events=["meeting_added"], secret=SECRET,
        contact_email="it@post.example",
    )  # fmt: skip
    meeting = MeetingFactory(committee=committee)
    services.event_fan_out(event_id=Event.objects.get(meeting=meeting).pk)
    services.webhooks_send()
    row = WebhookDelivery.objects.get(hook=hook)
    assert row.status == "pending" and row.last_status_code == 500
    first_wait = row.next_attempt_at - timezone.now()
    assert timedelta(seconds=20) < first_wait <= timedelta(seconds=30)
    assert services.webhooks_send() == 0 and len(receiver.received) == 1  # not due yet
    WebhookDelivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    services.webhooks_send()
    row.refresh_from_db()
    assert row.next_attempt_at - timezone.now() > first_wait + timedelta(seconds=20)  # doubled
    # A day of failures: paused, and the officer and the organisation told.
    WebhookDelivery.objects.filter(pk=row.pk).update(
        next_attempt_at=timezone.now(), created_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    services.webhooks_send()
    hook.refresh_from_db()
    assert hook.paused_at is not None
    assert WebhookDelivery.objects.get(pk=row.pk).status == "gave_up"
    [notice] = smtp.inbox.to("it@post.example")
    assert "Webhook paused: Lancashire Post" in notice["Subject"] and "HTTP 500" in part(notice, "plain")
    # Resumed once it works: what it missed is sent.
    receiver.status = 204
    services.webhook_resume(hook=hook)
    assert services.webhooks_send() == 1


def test_an_officer_registers_a_webhook_in_the_admin_and_sees_its_log(client, officer, committee):
    client.force_login(officer)
    url = "/admin/alerts/webhook/add/"
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "organisation": "Lancashire Post",
        "url": "http://news.example/hook",
        "events": ["agenda_published", "meeting_cancelled"],
        "contact_email": "",
        "is_active": "on",
        "deliveries-TOTAL_FORMS": "0",
        "deliveries-INITIAL_FORMS": "0",
        "deliveries-MIN_NUM_FORMS": "0",
        "deliveries-MAX_NUM_FORMS": "0",
        "version_seen": page.context["adminform"].form["version_seen"].value() or "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and "Give an https address" in refused.content.decode()
    assert 'value="http://news.example/hook"' in refused.content.decode()  # what was typed stays
    data["url"] = "https://news.example/hook"
    assert client.post(url, data).status_code == 302
    hook = Webhook.objects.get()
    assert hook.events == ["agenda_published", "meeting_cancelled"] and hook.created_by == officer
    assert len(hook.secret) >= 40
    # The same organisation and address again: refused at the field, not a 500.
    again = client.post(url, {**data, "version_seen": data["version_seen"]})
    assert again.status_code == 200 and "already has a webhook at this address" in again.content.decode()
    assert client.get(f"/admin/alerts/webhook/{hook.pk}/change/").status_code == 200


def test_an_officer_pauses_a_failing_webhook_while_the_worker_retries_it(client, officer, committee):
    """The delivery log on the webhook's page is written by the worker, not by officers: a
    retry between opening the page and saving it is not someone else's edit to refuse."""
    client.force_login(officer)
    hook = Webhook.objects.create(
        organisation="Lancashire Post", url="https://news.example/hook", events=["meeting_added"]
    )
    services.event_fan_out(event_id=Event.objects.get(meeting=MeetingFactory(committee=committee)).pk)
    page = form_data(client.get(change_url(hook)))
    WebhookDelivery.objects.filter(hook=hook).update(attempts=1, last_status_code=500, next_attempt_at=timezone.now())
    paused = with_values(page, is_active=[], contact_email="it@post.example")
    assert client.post(change_url(hook), {k: v for k, v in paused.items() if v != []}).status_code == 302
    hook.refresh_from_db()
    assert not hook.is_active and hook.contact_email == "it@post.example"


def test_retries_wait_30_s_then_twice_as_long_each_time_up_to_4_hours():
    """docs/alerts.md: 30 s, 1 min, 2 min, ... capped at 4 hours (a day of failures pauses it)."""
    waits = [services._backoff(attempts) for attempts in range(1, 13)]
    assert waits[:3] == [timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2)]
    assert all(later == min(2 * earlier, timedelta(hours=4)) for earlier, later in itertools.pairwise(waits))
    assert waits[-1] == timedelta(hours=4)

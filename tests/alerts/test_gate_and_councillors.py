"""Part II content never reaches an email: the public's alerts and the councillors' notices
list a Part II item by its title and paragraph only (the gate, as on the public agenda)."""

import pytest
from django.utils import timezone

from alerts import services
from alerts.models import Event, Subscriber, Subscription
from committee import services as committee_services
from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory
from tests.gate_surfaces import MARKER, plant

from .smtp import part

pytestmark = pytest.mark.django_db

RESIDENT = "resident@example.org"


def _send(meeting, kind):
    services.event_fan_out(event_id=Event.objects.get(meeting=meeting, kind=kind).pk)
    services.deliveries_send()


@pytest.fixture
def planted(committee, officer, councillor, smtp):
    councillor.email = "geoff.driver@lancashire.example"
    councillor.save()
    subscriber = Subscriber.objects.create(email=RESIDENT)
    Subscription.objects.create(
        subscriber=subscriber, kind="committee", committee=committee, confirmed_at=timezone.now()
    )
    meeting = MeetingFactory(committee=committee)
    ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting, title="Library opening hours"))
    item = plant(meeting, officer=officer)
    committee_services.meeting_publish_agenda(meeting=meeting, by=officer)
    return meeting, item


def test_a_councillor_is_not_sent_to_a_confidential_pack_a_meeting_without_part_ii_has_none(
    committee, officer, councillor, smtp
):
    councillor.email = "geoff.driver@lancashire.example"
    councillor.save()
    meeting = MeetingFactory(committee=committee)
    ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting, title="Library opening hours"))
    committee_services.meeting_publish_agenda(meeting=meeting, by=officer)
    _send(meeting, "agenda_published")
    [notice] = smtp.inbox.to("geoff.driver@lancashire.example")
    assert "You are told because you sit on this committee." in part(notice, "plain")
    for text in (part(notice, "plain"), part(notice, "html")):
        assert "confidential pack" not in text and "sign in" not in text


def test_the_published_agenda_lists_part_ii_by_title_and_paragraph_only(planted, smtp):
    meeting, item = planted
    _send(meeting, "agenda_published")
    [public] = smtp.inbox.to(RESIDENT)
    [notice] = smtp.inbox.to("geoff.driver@lancashire.example")
    for message in (public, notice):
        raw = message.as_string()
        text, html = part(message, "plain"), part(message, "html")
        assert MARKER not in raw and MARKER not in text and MARKER not in html
        assert f"{item.number}. Land disposal at Preston (Part II: Paragraph 3; not for publication)" in text
        assert f"/reports/{item.report.pk}/" not in raw  # no link to the Part II report
        assert not list(message.iter_attachments())  # no attachment of any kind
        assert "Library opening hours" in text
    # The councillor is sent to sign in for the confidential pack; the public is not.
    notice_text = part(notice, "plain")
    assert "sign in to read the confidential pack" in notice_text
    assert f"/accounts/login/?next=/meetings/{meeting.pk}/" in notice_text
    assert "sign in" not in part(public, "plain")
    assert "List-Unsubscribe" not in notice  # no public subscription behind it
    assert public["List-Unsubscribe"]


def test_a_part_ii_paper_changed_after_publication_is_named_by_title_and_paragraph(planted, smtp):
    meeting, item = planted
    committee_services.papers_changed_told(meeting=meeting, paper=item.report)
    _send(meeting, "paper_changed")
    for address in (RESIDENT, "geoff.driver@lancashire.example"):
        [message] = smtp.inbox.to(address)
        text = part(message, "plain")
        assert MARKER not in message.as_string()
        assert f"Item {item.number}, Land disposal at Preston" in text and "Part II: Paragraph 3" in text


def test_the_webhook_payload_carries_no_part_ii_text(planted):
    meeting, _ = planted
    payload = services.webhook_payload(Event.objects.get(meeting=meeting, kind="agenda_published"))
    import json

    body = json.dumps(payload)
    assert MARKER not in body and "Land disposal at Preston" in body
    assert payload["meeting"]["id"] == meeting.pk and payload["event"] == "agenda_published"


def test_a_part_ii_paper_changed_does_not_promise_the_public_a_new_pack(planted, smtp):
    """The public pack prints nothing of a Part II paper, so its change makes no new public
    version: the message says the confidential pack is made again, not the agenda pack."""
    meeting, item = planted
    committee_services.papers_changed_told(meeting=meeting, paper=item.report)
    _send(meeting, "paper_changed")
    for address in (RESIDENT, "geoff.driver@lancashire.example"):
        [message] = smtp.inbox.to(address)
        text = " ".join(part(message, "plain").split())
        assert "A new version of the agenda pack is made from the changed papers" not in text
        assert "the public agenda pack does not print it" in text
        assert "a new version of the confidential agenda pack is made" in text

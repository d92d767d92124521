"""Alerts of the forward plan and decisions, and of a supplementary pack, end to end: the
decisions services write the outbox row in their transaction, a real SMTP server on loopback
receives what subscribers are sent, a real HTTP server receives the webhooks."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts import services
from alerts.models import Event, Webhook
from committee import services as committee_services
from committee.models import AgendaPack
from committee.pack import services as pack_services
from decisions import services as decision_services
from decisions.models import CallIn, Decision
from tests.decisions.kit import cabinet_maker, decision, member_maker, plan_entry, published_entry, scrutiny_members
from tests.factories import AgendaItemFactory, ReportFactory, exempt
from tests.gate_surfaces import MARKER, published_meeting

from .smtp import everything, part
from .subscribers import confirmed_subscription
from .webhook_receiver import SECRET

pytestmark = pytest.mark.django_db

SITE = "https://committees.example.gov.uk"
ADDRESS = "journalist@example.org"


def links(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def test_a_resident_subscribes_to_the_forward_plan_and_decisions_and_is_told_what_and_where(
    client, officer, smtp, worker_in_process, django_capture_on_commit_callbacks, settings
):
    capture = django_capture_on_commit_callbacks
    # The form offers the alert once the decisions app has published something.
    assert "The forward plan and decisions" not in client.get(reverse("alerts:subscribe")).content.decode()
    maker = cabinet_maker()
    today = timezone.localdate()
    with capture(execute=True):
        entry = published_entry(maker, noticed_on=today - timedelta(days=40), by=officer)
    assert "The forward plan and decisions" in client.get(reverse("alerts:subscribe")).content.decode()
    # The forward plan and decisions pages link to the form with the alert chosen.
    assert client.get(reverse("alerts:subscribe") + "?kind=decisions").context["form"].initial["kind"] == "decisions"
    with capture(execute=True):
        response = client.post(
            reverse("alerts:subscribe"), {"kind": "decisions", "email": ADDRESS, "frequency": "immediate"}
        )
    assert response.status_code == 302
    [confirmation] = smtp.inbox.to(ADDRESS)
    [confirm_url] = [u for u in links(part(confirmation, "plain")) if "/alerts/confirm/" in u]
    client.post(confirm_url.removeprefix(SITE))
    smtp.inbox.clear()
    # A committee subscriber of the deciding committee hears of its decisions too.
    confirmed_subscription("cabinet-watcher@example.org", "committee", committee=maker.committee)

    second = plan_entry(maker, reference="FP/2026/002", title="Closure of Fulwood library", amount=None)
    with capture(execute=True):
        decision_services.plan_entry_publish_notice(entry=second, published_on=today, by=officer)
    [notice] = smtp.inbox.to(ADDRESS)
    assert notice["Subject"].startswith("Forward plan: FP/2026/002 Closure of Fulwood library")
    text = part(notice, "plain")
    assert "Cabinet is to take a decision on “Closure of Fulwood library”" in text
    assert f"{SITE}{second.get_absolute_url()}" in text
    assert [m["Subject"] for m in smtp.inbox.to("cabinet-watcher@example.org")] == [notice["Subject"]]
    smtp.inbox.clear()

    made = decision(maker, decided_on=today, entry=entry, by=officer)
    with capture(execute=True):
        published = decision_services.decision_publish_notice(decision=made, published_on=today, by=officer)
    [message] = smtp.inbox.to(ADDRESS)
    assert message["Subject"].startswith("Decision published: Award of the highways maintenance contract")
    text = part(message, "plain")
    assert "Cabinet decided “Award of the highways maintenance contract”" in text
    assert "A key decision (forward plan reference FP/2026/001)." in text
    assert f"may be called in until {published.call_in_deadline:%A %-d %B %Y}".lower() in text.lower()
    assert f"{SITE}{made.get_absolute_url()}" in text
    assert f"{SITE}{reverse('decisions:decision-notice-pdf', args=[made.pk])}" in part(message, "html")
    assert message["List-Unsubscribe"]  # as every subscriber's message
    assert len(smtp.inbox.to("cabinet-watcher@example.org")) == 1
    smtp.inbox.clear()

    settings.QUORUM_CALL_IN_MEMBERS_REQUIRED = 2
    call_in = decision_services.call_in_record(
        decision=made, members=scrutiny_members(2), requested_on=today, reasons="Value for money.", by=officer
    )
    with capture(execute=True):
        decision_services.call_in_outcome(
            call_in=call_in, outcome=CallIn.Outcome.REFERRED_BACK, outcome_on=today, notes="", by=officer
        )
    [outcome] = smtp.inbox.to(ADDRESS)
    assert (
        outcome["Subject"] == "Call-in outcome: Award of the highways maintenance contract | Lancashire County Council"
    )
    assert "has been decided: Referred back to the decision maker." in part(outcome, "plain")
    assert "not implemented while it is reconsidered" in part(outcome, "plain")


def test_an_individual_members_decision_has_no_committee_and_reaches_subscribers_and_webhooks(
    officer, smtp, worker_in_process, django_capture_on_commit_callbacks, receiver
):
    hook = Webhook.objects.create(
        organisation="Lancashire Post",
        url=receiver.url,
        events=["decision_published"],
        secret=SECRET,
    )
    confirmed_subscription(ADDRESS, "decisions")
    maker = member_maker()
    made = decision(maker, decided_on=timezone.localdate(), title="Speed limit on the A59 at Longton", by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        decision_services.decision_publish_notice(decision=made, published_on=timezone.localdate(), by=officer)
    event = Event.objects.get(decision=made)
    assert event.committee is None and event.kind == "decision_published"
    [message] = smtp.inbox.to(ADDRESS)
    text = part(message, "plain")
    assert f"{maker} decided “Speed limit on the A59 at Longton”" in text
    assert f"{SITE}{made.get_absolute_url()}" in text

    assert services.webhooks_send() == 0  # delivered by the task, after the commit
    [got] = receiver.received
    assert got["valid"] and got["body"]["event"] == "decision_published"
    assert got["body"]["committee"] is None
    # The API's own shape (GET /api/decisions/<id>/).
    assert got["body"]["decision"]["id"] == made.pk
    assert got["body"]["decision"]["decision_maker"] == str(maker)
    assert got["body"]["decision"]["status"] == "Within call-in"
    assert hook.deliveries.get().status == "delivered"


def test_part_ii_decisions_and_private_reasons_never_reach_an_email_or_a_webhook(
    committee, officer, smtp, worker_in_process, django_capture_on_commit_callbacks, receiver
):
    Webhook.objects.create(
        organisation="Lancashire Post",
        url=receiver.url,
        events=["decision_published", "forward_plan_published"],
        secret=SECRET,
    )
    confirmed_subscription(ADDRESS, "decisions")
    confirmed_subscription("cabinet-watcher@example.org", "committee", committee=committee)
    capture, today = django_capture_on_commit_callbacks, timezone.localdate()
    maker = cabinet_maker(committee)
    # A decision on a Part II item: the gate keeps it (and its papers) from the public.
    meeting = published_meeting(committee, officer)
    smtp.inbox.clear()
    item = exempt(AgendaItemFactory(meeting=meeting, title=f"Disposal of land {MARKER}"), 3)
    on_item = decision(
        maker,
        decided_on=timezone.localdate(meeting.starts_at),
        item=item,
        title=f"Sale of the depot {MARKER}",
        decision=f"<p>Resolved: sell for £{MARKER}.</p>",
        by=officer,
    )
    # A decision itself withheld, with its exempt reasons.
    withheld = decision(maker, decided_on=today, title=f"Settlement {MARKER}", by=officer)
    Decision.objects.filter(pk=withheld.pk).update(
        access="exempt", exempt_paragraphs=1 << 2, public_interest_reasons=f"Negotiations {MARKER}"
    )
    # A forward plan entry to be taken in private: the email says so, the reasons stay on its page.
    private = plan_entry(
        maker, reference="FP/2026/009", amount=None, in_private=True, private_reasons=f"Paragraph 3 {MARKER}"
    )
    with capture(execute=True):
        decision_services.decision_publish_notice(decision=on_item, published_on=today, by=officer)
        decision_services.decision_publish_notice(decision=withheld, published_on=today, by=officer)
        decision_services.plan_entry_publish_notice(entry=private, published_on=today, by=officer)
    assert Event.objects.filter(kind="decision_published").count() == 2  # written, not told
    for address in (ADDRESS, "cabinet-watcher@example.org"):
        [message] = smtp.inbox.to(address)  # the forward plan notice, nothing of the decisions
        assert message["Subject"].startswith("Forward plan: FP/2026/009")
        assert "It is to be taken in private; the forward plan page says why." in part(message, "plain")
        assert MARKER not in everything(message)
    assert services.webhooks_send() == 0  # delivered by the task, after the commit
    [got] = receiver.received
    assert got["body"]["event"] == "forward_plan_published"
    assert MARKER not in str({k: v for k, v in got["body"].items() if k != "forward_plan_entry"})
    assert got["body"]["forward_plan_entry"]["reference"] == "FP/2026/009"


def test_a_supplementary_pack_ready_names_its_papers_and_links_to_it(
    committee, officer, smtp, worker_in_process, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    capture = django_capture_on_commit_callbacks
    confirmed_subscription(ADDRESS, "committee", committee=committee)
    meeting = published_meeting(committee, officer)
    late = AgendaItemFactory.build(meeting=meeting, title="Flooding at Croston")
    committee_services.agenda_item_prepare(item=late)
    late.save()
    ReportFactory(agenda_item=late, executive_summary="<p>The river rose overnight.</p>")
    secret = exempt(AgendaItemFactory(meeting=meeting, title="Compensation claim"), 3)
    secret.added_after_publication_at = timezone.now()
    secret.save()
    ReportFactory(agenda_item=secret, executive_summary=f"<p>The sum offered: {MARKER}.</p>")
    smtp.inbox.clear()
    pack = pack_services.pack_request(
        meeting=meeting, kind=AgendaPack.Kind.PUBLIC, scope=AgendaPack.Scope.SUPPLEMENTARY
    )
    with capture(execute=True):
        built = pack_services.pack_build(pack_id=pack.pk)
    assert built.status == AgendaPack.Status.READY
    [message] = smtp.inbox.to(ADDRESS)
    assert message["Subject"].startswith(f"Supplementary agenda pack: {committee.name}")
    text = part(message, "plain")
    assert "A supplementary agenda pack for" in text and "Flooding at Croston" in text
    assert f"{SITE}{built.get_absolute_url()}" in text
    assert "The supplementary agenda pack (PDF, version 1)" in text
    # A Part II item added late: by title and paragraph only, as on the public agenda.
    assert "Part II: Paragraph 3" in text
    assert "Compensation claim" in text and MARKER not in everything(message)
    # The confidential supplementary pack is news for nobody outside.
    pack = pack_services.pack_request(
        meeting=meeting, kind=AgendaPack.Kind.CONFIDENTIAL, scope=AgendaPack.Scope.SUPPLEMENTARY
    )
    with capture(execute=True):
        pack_services.pack_build(pack_id=pack.pk)
    assert Event.objects.filter(kind="supplementary_pack").count() == 1


def test_the_events_admin_lists_an_individuals_decision_without_a_committee(admin_client, officer):
    made = decision(member_maker(), decided_on=timezone.localdate(), title="Speed limit at Longton", by=officer)
    decision_services.decision_publish_notice(decision=made, published_on=timezone.localdate(), by=officer)
    response = admin_client.get(reverse("admin:alerts_event_changelist"))
    assert response.status_code == 200
    assert "Speed limit at Longton" in response.content.decode()

"""A decision withheld while a run of the alerts' tasks is still sending (the 07:00 digest to
thousands takes minutes) reaches nobody after: a record made more restricted withdraws every
public copy of it. The run's messages are composed once each, so these tests withhold the
decision between two subscribers' messages, from the SMTP backend once the server has taken
the first (tests.alerts.smtp.HookedSmtpBackend), and read what the second address received.
A webhook's delivery, written at the fan-out and retried for up to a day, is held to the same:
the newsroom's receiver (real HTTP on loopback) gets nothing of a decision withheld since."""

import pytest
from django.utils import timezone

from alerts import services, tasks
from alerts.models import Delivery, DeliveryStatus, Event, Frequency, Webhook, WebhookDelivery
from committee.models import AgendaItem
from decisions import services as decision_services
from decisions.models import Decision
from tests.decisions.kit import cabinet_maker, decision, member_maker, published_entry
from tests.factories import exempt
from tests.gate_surfaces import MARKER, published_meeting

from .digests import made_before_the_digest_time
from .smtp import HookedSmtpBackend, everything
from .subscribers import confirmed_subscription
from .webhook_receiver import SECRET

pytestmark = pytest.mark.django_db

ADDRESSES = ("first@example.org", "second@example.org")


def _made_exempt(made: Decision) -> None:
    # Published by mistake: the officer marks the decision itself exempt (paragraph 3).
    Decision.objects.filter(pk=made.pk).update(
        access="exempt", exempt_paragraphs=1 << 2, public_interest_reasons="Commercial negotiations continue."
    )


def _item_made_part_ii(made: Decision) -> None:
    # The agenda item it was taken on is made Part II: the decision goes with its papers.
    exempt(AgendaItem.objects.get(pk=made.agenda_item_id), 3)


WITHHOLD = {"the decision made exempt": _made_exempt, "its agenda item made Part II": _item_made_part_ii}


@pytest.fixture
def withhold_after_first_message(smtp, settings, monkeypatch):
    """Returns a function: once the SMTP server has taken the first message, `withhold(made)`
    runs (in the run's own database connection, as an officer's change committed then)."""
    settings.EMAIL_BACKEND = "tests.alerts.smtp.HookedSmtpBackend"
    state = {"sent_to": []}

    def arm(made: Decision, withhold) -> list[str]:
        def after_send(message):
            state["sent_to"].extend(message.to)
            if len(state["sent_to"]) == 1:
                withhold(made)

        monkeypatch.setattr(HookedSmtpBackend, "after_send", after_send)
        return state["sent_to"]

    return arm


def _public_decision(officer, committee, how: str) -> Decision:
    maker = cabinet_maker(committee)
    today = timezone.localdate()
    fields = {"title": f"Settlement {MARKER}", "decision": f"<p>Resolved: settle for £{MARKER}.</p>"}
    if how == "its agenda item made Part II":
        meeting = published_meeting(committee, officer)
        item = AgendaItem.objects.get(meeting=meeting, title="Library opening hours")
        made = decision(maker, decided_on=timezone.localdate(meeting.starts_at), item=item, by=officer, **fields)
    else:
        made = decision(maker, decided_on=today, by=officer, **fields)
    decision_services.decision_publish_notice(decision=made, published_on=today, by=officer)
    return made


def _subscribe(frequency: str) -> None:
    for address in ADDRESSES:
        confirmed_subscription(address, "decisions", frequency=frequency)


@pytest.mark.parametrize("how", WITHHOLD)
def test_a_decision_withheld_during_the_daily_digest_is_in_no_digest_sent_after(
    officer, committee, smtp, withhold_after_first_message, how
):
    made = _public_decision(officer, committee, how)
    # A forward plan notice too, which stays public: the later digest still goes, with it.
    published_entry(cabinet_maker(), noticed_on=timezone.localdate(), by=officer, reference="FP/2026/042")
    _subscribe(Frequency.DAILY)
    for event in Event.objects.filter(kind__in=["decision_published", "forward_plan_published"]):
        services.event_fan_out(event_id=event.pk)
    made_before_the_digest_time()
    sent_to = withhold_after_first_message(made, WITHHOLD[how])

    tasks.send_digests.apply(throw=True)

    first, second = sent_to
    [before] = smtp.inbox.to(first)
    assert f"Settlement {MARKER}" in everything(before)  # sent while it was public
    [after] = smtp.inbox.to(second)
    assert "FP/2026/042" in everything(after)
    assert MARKER not in everything(after)
    assert "Decision published" not in everything(after)  # not even its heading
    assert Delivery.objects.get(event__decision=made, email=second).status == DeliveryStatus.FAILED


@pytest.mark.parametrize("how", WITHHOLD)
def test_a_decision_withheld_while_its_alerts_are_sent_reaches_no_address_after(
    officer, committee, smtp, withhold_after_first_message, settings, how
):
    settings.QUORUM_ALERTS_BATCH_SIZE = 10  # both in one claimed batch
    made = _public_decision(officer, committee, how)
    _subscribe(Frequency.IMMEDIATE)
    sent_to = withhold_after_first_message(made, WITHHOLD[how])

    # The task's run: the fan-out reads the decision public, then the messages are sent.
    tasks.deliver_event.apply([Event.objects.get(decision=made).pk], throw=True)

    [first] = sent_to
    second = next(address for address in ADDRESSES if address != first)
    assert smtp.inbox.to(second) == []
    delivery = Delivery.objects.get(event__decision=made, email=second)
    assert (delivery.status, delivery.error) == (DeliveryStatus.FAILED, services.WITHHELD)


@pytest.mark.parametrize("how", WITHHOLD)
def test_a_decision_withheld_after_its_webhook_delivery_was_written_is_not_posted(officer, committee, receiver, how):
    hook = Webhook.objects.create(
        organisation="Lancashire Post", url=receiver.url, events=["decision_published"], secret=SECRET
    )
    made = _public_decision(officer, committee, how)
    still_public = decision(member_maker(), decided_on=timezone.localdate(), title="Speed limit on the A59", by=officer)
    decision_services.decision_publish_notice(decision=still_public, published_on=timezone.localdate(), by=officer)
    for event in Event.objects.filter(kind="decision_published"):
        services.event_fan_out(event_id=event.pk)  # both public now: a delivery each for the hook
    assert hook.deliveries.count() == 2
    WITHHOLD[how](made)

    assert services.webhooks_send() == 1

    [got] = receiver.received  # the public decision only: nothing says the other exists
    assert got["valid"] and got["body"]["decision"]["title"] == "Speed limit on the A59"
    withheld = WebhookDelivery.objects.get(hook=hook, event__decision=made)
    assert (withheld.status, withheld.last_error) == (WebhookDelivery.Status.NOT_SENT, services.WITHHELD)
    assert services.webhooks_send() == 0 and len(receiver.received) == 1  # and not retried

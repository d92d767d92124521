"""The alerts' work does not grow with the council's size where it need not: the subscribe
form builds its committee and councillor choices in one query each, however many committees
there are; a run of the alerts' tasks reads each decision once, however many subscribers
are told of it, and before each message asks the gate once whether the decisions it has read
are still public, however many there are. Counted exactly (the same data, the same
queries), so never flaky."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerts import services, tasks, tokens
from alerts.models import Delivery, DeliveryStatus, Event, Frequency
from decisions import services as decision_services
from tests.decisions.kit import cabinet_maker, decision
from tests.factories import CommitteeFactory, MembershipFactory

from .digests import made_before_the_digest_time
from .subscribers import confirmed_subscription

pytestmark = pytest.mark.django_db


def _queries(run) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        run()
    return [query["sql"] for query in captured.captured_queries]


def _subscribe_form_queries(client, committees: int) -> dict[str, int]:
    for _ in range(committees):
        MembershipFactory(committee=CommitteeFactory())  # a committee and a councillor on it
    chosen = CommitteeFactory()
    pages = {
        "the empty form": lambda: client.get(reverse("alerts:subscribe")),
        "a committee's link": lambda: client.get(reverse("alerts:subscribe") + f"?committee={chosen.slug}"),
        "the form answered with an error": lambda: client.post(
            reverse("alerts:subscribe"), {"kind": "committee", "committee": chosen.pk, "email": "not an address"}
        ),
    }
    counts = {}
    for name, run in pages.items():
        sql = _queries(run)
        counts[name] = len(sql)
        # The choices: one query for the committees, one for the councillors.
        assert sum('FROM "committee_committee"' in q and "LIMIT" not in q for q in sql) == 1, name
        assert sum('FROM "committee_member"' in q for q in sql) == 1, name
    return counts


def test_the_subscribe_form_makes_as_many_queries_for_10_committees_as_for_2(client):
    few = _subscribe_form_queries(client, 2)
    many = _subscribe_form_queries(client, 8)  # 10 committees and more in all
    assert many == few
    # The two questions of whether the forward plan and decisions are offered, and the choices.
    assert few == {"the empty form": 4, "a committee's link": 5, "the form answered with an error": 5}


def _decision_events(officer, count: int = 1) -> list[Event]:
    maker = cabinet_maker()
    today = timezone.localdate()
    events = []
    for n in range(count):
        title = "Resurfacing of the A59" if n == 0 else f"Resurfacing of the B{5250 + n}"
        made = decision(maker, decided_on=today, by=officer, title=title)
        decision_services.decision_publish_notice(decision=made, published_on=today, by=officer)
        events.append(Event.objects.get(decision=made))
    return events


def _subscribers(count: int, frequency: str) -> None:
    for n in range(count):
        confirmed_subscription(f"resident{n}@example.org", "decisions", frequency=frequency)


def _is_recheck(sql: str) -> bool:
    # RunMessages.recheck: which kept events' decisions the public still reads, through the gate.
    return sql.startswith('SELECT "alerts_event"."id" AS "pk" FROM "alerts_event"') and '"decisions_decision"' in sql


def _decision_reads(sql: list[str]) -> int:
    return sum('FROM "decisions_decision"' in q and not _is_recheck(q) for q in sql)


@pytest.mark.parametrize("subscribers", [2, 10])
def test_the_daily_digest_run_reads_the_decision_once_whoever_is_told(officer, mailoutbox, subscribers):
    [event] = _decision_events(officer)
    _subscribers(subscribers, Frequency.DAILY)
    services.event_fan_out(event_id=event.pk)
    made_before_the_digest_time()

    sql = _queries(tasks.send_digests)

    assert len(mailoutbox) == subscribers
    assert all("Cabinet decided “Resurfacing of the A59”" in m.body for m in mailoutbox)
    assert _decision_reads(sql) == 1
    # Before each later digest, one question of whether the decision is still public.
    assert sum(map(_is_recheck, sql)) == subscribers - 1


@pytest.mark.parametrize("events", [1, 4])
def test_the_digest_asks_the_gate_once_a_message_however_many_decisions_it_lists(officer, mailoutbox, events):
    _subscribers(3, Frequency.DAILY)
    for event in _decision_events(officer, events):
        services.event_fan_out(event_id=event.pk)
    made_before_the_digest_time()

    sql = _queries(tasks.send_digests)

    assert len(mailoutbox) == 3
    assert all(f"Your daily alerts: {events} change" in m.subject for m in mailoutbox)
    assert _decision_reads(sql) == events  # each composed once
    assert sum(map(_is_recheck, sql)) == 2  # one before each digest after the first, for all of them


@pytest.mark.parametrize("subscribers", [2, 10])
def test_the_alert_run_reads_the_decision_once_whoever_is_told(officer, mailoutbox, settings, subscribers):
    settings.QUORUM_ALERTS_PER_SECOND = 0
    settings.QUORUM_ALERTS_BATCH_SIZE = 3  # several batches of the same event
    [event] = _decision_events(officer)
    _subscribers(subscribers, Frequency.IMMEDIATE)

    sql = _queries(lambda: tasks.deliver_event.apply([event.pk], throw=True))

    assert len(mailoutbox) == subscribers
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == subscribers
    assert _decision_reads(sql) == 1
    assert sum(map(_is_recheck, sql)) == subscribers  # one before each message


def test_the_unsubscribe_page_names_the_alerts_of_a_digest_in_one_query(client, django_assert_num_queries):
    subscriptions = []
    for _ in range(2):
        membership = MembershipFactory(committee=CommitteeFactory())
        subscriptions += [
            confirmed_subscription("resident@example.org", "committee", committee=membership.committee),
            confirmed_subscription("resident@example.org", "councillor", member=membership.member),
        ]
    url = reverse("alerts:unsubscribe", args=[tokens.unsubscribe_token(*(s.pk for s in subscriptions))])
    # The alerts, with their address, committee and councillor (it read each committee and
    # councillor once more, to name the alert).
    with django_assert_num_queries(1):
        page = client.get(url).content.decode()
    assert page.count("<li><strong>Meetings of ") == 4

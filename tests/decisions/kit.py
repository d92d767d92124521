"""Test data for executive decisions: decision makers, forward plan entries and decisions
made the way officers make them (through the services)."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from committee.models import Committee
from decisions import services
from decisions.models import Decision, DecisionMaker, ForwardPlanEntry
from tests.factories import CommitteeFactory, MemberFactory, MembershipFactory

TODAY = date.today


def cabinet_maker(committee=None) -> DecisionMaker:
    committee = committee or CommitteeFactory(name="Cabinet", slug="cabinet", kind=Committee.Kind.CABINET)
    return DecisionMaker.objects.create(kind=DecisionMaker.Kind.COMMITTEE, committee=committee)


def member_maker(role="Cabinet Member for Highways and Transport") -> DecisionMaker:
    return DecisionMaker.objects.create(kind=DecisionMaker.Kind.MEMBER, member=MemberFactory(), role=role)


def plan_entry(maker, *, reference="FP/2026/001", due=None, amount=Decimal("2500000"), **fields) -> ForwardPlanEntry:
    entry = ForwardPlanEntry(
        reference=reference,
        title=fields.pop("title", "Award of the highways maintenance contract"),
        maker=maker,
        decision_due=due or timezone.localdate() + timedelta(days=40),
        amount=amount,
        **fields,
    )
    return services.plan_entry_save(entry=entry)


def published_entry(maker, *, noticed_on, by=None, **fields) -> ForwardPlanEntry:
    # Recorded no later than its notice (a notice is not dated before its entry).
    fields.setdefault("recorded_on", min(noticed_on, TODAY()))
    entry = plan_entry(maker, **fields)
    return services.plan_entry_publish_notice(entry=entry, published_on=noticed_on, by=by)


def decision(maker, *, decided_on, entry=None, item=None, by=None, **fields) -> Decision:
    # Recorded on the day it was taken (its notice is not dated before it was recorded).
    fields.setdefault("recorded_on", min(decided_on, TODAY()))
    record = Decision(
        maker=maker,
        plan_entry=entry,
        agenda_item=item,
        title=fields.pop("title", entry.title if entry else "Resurfacing of the A59"),
        decided_on=decided_on,
        decision=fields.pop("decision", "<p>Resolved: That the contract be awarded.</p>"),
        reasons=fields.pop("reasons", "<p>The best value tender.</p>"),
        is_key_decision=bool(entry and entry.is_key_decision),
        **fields,
    )
    return services.decision_save(decision=record, by=by)


def scrutiny_members(count: int, committee=None):
    committee = committee or CommitteeFactory(kind=Committee.Kind.SCRUTINY)
    return [MembershipFactory(committee=committee).member for _ in range(count)]

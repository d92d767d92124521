"""The forward plan's lifecycle, decisions and their notices, and call-in, through the services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from committee.models import CouncilClosureDay
from decisions import selectors, services
from decisions.models import CallIn, ForwardPlanEntry

from .kit import cabinet_maker, decision, member_maker, plan_entry, published_entry, scrutiny_members

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def test_an_entry_over_the_threshold_is_a_key_decision(settings):
    settings.QUORUM_KEY_DECISION_THRESHOLD = 1_000_000
    maker = cabinet_maker()
    assert plan_entry(maker, amount=Decimal("1000000")).is_key_decision
    assert not plan_entry(maker, reference="FP/2", amount=Decimal("999999")).is_key_decision


def test_significant_effects_need_two_divisions_named():
    with pytest.raises(ValidationError) as refused:
        plan_entry(cabinet_maker(), amount=None, significant_in_divisions=True, divisions="Preston East")
    assert "two or more electoral divisions" in str(refused.value)


def test_the_lifecycle_publish_defer_publish_again_withdraw(officer):
    entry = plan_entry(cabinet_maker())
    assert entry.status == ForwardPlanEntry.Status.PROPOSED
    entry = services.plan_entry_publish_notice(entry=entry, published_on=days_ago(0), by=officer)
    assert entry.may_be_taken_from == days_ago(0) + timedelta(days=29)
    with pytest.raises(ValidationError):
        services.plan_entry_publish_notice(entry=entry, published_on=days_ago(0), by=officer)
    later = entry.decision_due + timedelta(days=30)
    entry = services.plan_entry_defer(entry=entry, reason="Awaiting the audit", new_date=later, by=officer)
    assert (entry.status, entry.decision_due) == (ForwardPlanEntry.Status.DEFERRED, later)
    entry = services.plan_entry_publish_notice(entry=entry, published_on=days_ago(0), by=officer)
    entry = services.plan_entry_withdraw(entry=entry, reason="No longer needed", by=officer)
    assert entry.status == ForwardPlanEntry.Status.WITHDRAWN
    assert entry.history.first().history_user == officer


def test_a_key_decision_28_clear_days_after_its_notice_is_recorded_and_decides_the_entry(officer):
    maker = cabinet_maker()
    entry = published_entry(maker, noticed_on=days_ago(29), by=officer)
    made = decision(maker, decided_on=days_ago(0), entry=entry, by=officer)
    entry.refresh_from_db()
    assert made.is_key_decision and entry.status == ForwardPlanEntry.Status.DECIDED


def test_a_key_decision_too_soon_is_refused_without_an_exception(officer):
    maker = cabinet_maker()
    entry = published_entry(maker, noticed_on=days_ago(10), by=officer)
    with pytest.raises(ValidationError) as refused:
        decision(maker, decided_on=days_ago(0), entry=entry, by=officer)
    assert "28 clear days, reg 9" in refused.value.message_dict["decided_on"][0]
    assert "reg 10(2)(a)" in refused.value.message_dict["plan_entry"][0]


def test_the_general_exception_recorded_on_the_entry_allows_it(officer):
    maker = cabinet_maker()
    entry = published_entry(
        maker,
        noticed_on=days_ago(10),
        by=officer,
        scrutiny_chair_notified_on=days_ago(7),
        exception_notice_on=days_ago(6),
        exception_reasons="The grant offer lapses at the end of the month.",
    )
    assert decision(maker, decided_on=days_ago(0), entry=entry, by=officer).pk


def test_special_urgency_needs_the_chairs_agreement(officer):
    maker = cabinet_maker()
    entry = published_entry(
        maker, noticed_on=days_ago(2), by=officer, urgency_agreed_by="County Councillor Geoff Driver CBE"
    )
    with pytest.raises(ValidationError) as refused:
        decision(maker, decided_on=days_ago(0), entry=entry, by=officer)
    assert "reg 11(3)" in refused.value.message_dict["plan_entry"][0]
    ForwardPlanEntry.objects.filter(pk=entry.pk).update(urgency_agreed_on=days_ago(1), urgency_reasons="Flooding.")
    entry.refresh_from_db()
    assert decision(maker, decided_on=days_ago(0), entry=entry, by=officer).pk


def test_a_decision_on_an_unpublished_entry_is_refused(officer):
    maker = cabinet_maker()
    entry = plan_entry(maker)
    with pytest.raises(ValidationError) as refused:
        decision(maker, decided_on=days_ago(0), entry=entry, by=officer)
    assert "publish its notice first" in refused.value.message_dict["plan_entry"][0]


def test_the_notice_starts_the_call_in_clock_with_closure_days(officer):
    CouncilClosureDay.objects.create(date=date(2024, 12, 27), reason="Christmas closure")
    made = decision(member_maker(), decided_on=date(2024, 12, 19), by=officer)
    notice = services.decision_publish_notice(decision=made, published_on=date(2024, 12, 20), by=officer)
    assert (notice.call_in_deadline, notice.may_be_implemented_from) == (date(2025, 1, 2), date(2025, 1, 3))
    with pytest.raises(ValidationError):
        services.decision_publish_notice(decision=made, published_on=date(2024, 12, 20), by=officer)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.decision_save(decision=made, by=officer)


def test_the_call_in_period_is_the_number_of_working_days_the_council_sets(officer, settings):
    """QUORUM_CALL_IN_WORKING_DAYS (docs/decisions.md): a constitution of three working days."""
    settings.QUORUM_CALL_IN_WORKING_DAYS = 3
    made = decision(member_maker(), decided_on=date(2025, 3, 3), by=officer)
    notice = services.decision_publish_notice(decision=made, published_on=date(2025, 3, 3), by=officer)  # a Monday
    assert (notice.call_in_deadline, notice.may_be_implemented_from) == (date(2025, 3, 6), date(2025, 3, 7))


def test_an_urgent_decision_may_be_implemented_at_once_and_not_called_in(officer):
    made = decision(member_maker(), decided_on=days_ago(0), is_urgent=True, urgency_reasons="Storm damage", by=officer)
    notice = services.decision_publish_notice(decision=made, published_on=days_ago(0), by=officer)
    assert notice.call_in_deadline is None and notice.may_be_implemented_from == days_ago(0)
    assert selectors.decision_detail(selectors.gate.Reader.public(), made.pk).status == "May be implemented"
    problems = services.call_in_problems(decision=made, members=scrutiny_members(3), requested_on=days_ago(0))
    assert "not subject to call-in" in problems["decision"]


def test_status_within_call_in_then_called_in_then_may_be_implemented(officer, settings):
    settings.QUORUM_CALL_IN_MEMBERS_REQUIRED = 3
    made = decision(member_maker(), decided_on=days_ago(0), by=officer)
    services.decision_publish_notice(decision=made, published_on=days_ago(0), by=officer)
    public = selectors.gate.Reader.public()
    assert selectors.decision_detail(public, made.pk).status == "Within call-in"

    too_few = scrutiny_members(2)
    with pytest.raises(ValidationError) as refused:
        services.call_in_record(decision=made, members=too_few, requested_on=days_ago(0), reasons="x", by=officer)
    assert "needs 3 scrutiny members" in refused.value.message_dict["members"][0]

    call_in = services.call_in_record(
        decision=made, members=scrutiny_members(3), requested_on=days_ago(0), reasons="Consultation was too short.",
        by=officer,
    )  # fmt: skip
    assert selectors.decision_detail(public, made.pk).status == "Called in"
    services.call_in_outcome(
        call_in=call_in, outcome=CallIn.Outcome.NO_FURTHER_ACTION, outcome_on=days_ago(0), notes="", by=officer
    )
    notice = made.notice
    assert selectors.status_of(selectors.decision_detail(public, made.pk), notice.may_be_implemented_from) == (
        "May be implemented"
    )


def test_call_in_by_members_not_on_scrutiny_or_after_the_deadline_is_refused(officer):
    made = decision(member_maker(), decided_on=date(2025, 4, 16), by=officer)
    services.decision_publish_notice(decision=made, published_on=date(2025, 4, 17), by=officer)
    from tests.factories import MemberFactory

    problems = services.call_in_problems(decision=made, members=[MemberFactory()], requested_on=date(2025, 4, 29))
    assert "28 April 2025" in problems["requested_on"]
    assert "Not a member of a scrutiny committee" in problems["members"]

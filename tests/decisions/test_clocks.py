"""The clocks of executive decisions, on worked examples (docs/domain-rules.md, "Executive
decisions"). Christmas 2024: 25 and 26 December and 1 January are bank holidays; Easter
2025: Good Friday 18 April and Easter Monday 21 April."""

from datetime import date
from decimal import Decimal

import pytest

from decisions import clocks
from decisions.clocks import ExceptionRecord, Route

# Reg 8: what makes a key decision ---------------------------------------------------------


def test_spending_at_the_threshold_is_a_key_decision():
    grounds = clocks.key_decision_grounds(
        amount=Decimal("1000000"), threshold=1_000_000, significant_in_divisions=False, divisions=[]
    )
    assert grounds == ["Spending or savings of £1,000,000 or more than the £1,000,000 threshold (reg 8(1)(a))"]


def test_spending_below_the_threshold_in_one_division_is_not():
    assert not clocks.key_decision_grounds(
        amount=Decimal("999999"), threshold=1_000_000, significant_in_divisions=True, divisions=["Preston East"]
    )


def test_significant_effects_in_two_divisions_is_a_key_decision():
    grounds = clocks.key_decision_grounds(
        amount=None, threshold=1_000_000, significant_in_divisions=True, divisions=["Preston East", "Chorley North"]
    )
    assert grounds == ["Significant effects on communities in 2 electoral divisions (reg 8(1)(b))"]


# Reg 9: 28 clear days --------------------------------------------------------------------


def test_a_key_decision_noticed_on_2_december_may_be_taken_from_31_december():
    # 28 clear days: 3 to 30 December, over Christmas (calendar days: SI 2012/2089 does not
    # count working days).
    assert clocks.key_decision_may_be_taken_from(date(2024, 12, 2)) == date(2024, 12, 31)
    assert clocks.clear_days_between(date(2024, 12, 2), date(2024, 12, 31)) == 28


def test_a_key_decision_noticed_on_20_march_2025_may_be_taken_on_good_friday():
    assert clocks.key_decision_may_be_taken_from(date(2025, 3, 20)) == date(2025, 4, 18)


def test_on_time_the_notice_route_needs_nothing_else():
    record = ExceptionRecord()
    assert clocks.key_decision_route(date(2024, 12, 2), date(2024, 12, 31), record) == Route.NOTICE
    assert clocks.key_decision_problems(date(2024, 12, 2), date(2024, 12, 31), record) == {}


# Reg 10: the general exception -----------------------------------------------------------


def test_one_day_too_soon_is_refused_without_the_general_exception():
    problems = clocks.key_decision_problems(date(2024, 12, 2), date(2024, 12, 30), ExceptionRecord())
    assert "31 December 2024" in problems["decided_on"]
    assert "reg 10(2)(a)" in problems["scrutiny_chair_notified_on"]
    assert "reg 10(3)" in problems["exception_reasons"]


def test_the_general_exception_allows_a_decision_five_clear_days_after_its_notice():
    record = ExceptionRecord(
        scrutiny_chair_notified_on=date(2024, 12, 19),
        exception_notice_on=date(2024, 12, 20),
        exception_reasons="The contractor's offer lapses on 31 December.",
    )
    # 5 clear days after 20 December: 21 to 25 December; the decision from 26 December.
    assert clocks.general_exception_may_be_taken_from(date(2024, 12, 20)) == date(2024, 12, 26)
    assert clocks.key_decision_route(date(2024, 12, 10), date(2024, 12, 26), record) == Route.GENERAL_EXCEPTION
    problems = clocks.key_decision_problems(date(2024, 12, 10), date(2024, 12, 24), record)
    assert "26 December 2024" in problems["exception_notice_on"]


def test_the_chair_is_told_before_the_general_exception_notice():
    record = ExceptionRecord(
        scrutiny_chair_notified_on=date(2025, 4, 15),
        exception_notice_on=date(2025, 4, 10),
        exception_reasons="Grant conditions.",
    )
    problems = clocks.key_decision_problems(None, date(2025, 4, 22), record)
    assert "before the notice" in problems["scrutiny_chair_notified_on"]


# Reg 11: special urgency -----------------------------------------------------------------


def test_special_urgency_needs_the_chairs_agreement_and_reasons():
    half = ExceptionRecord(urgency_agreed_by="County Councillor Geoff Driver CBE", urgency_agreed_on=date(2025, 4, 17))
    problems = clocks.key_decision_problems(None, date(2025, 4, 17), half)
    assert "reg 11(3)" in problems["urgency_reasons"]
    assert "urgency_agreed_by" not in problems

    whole = ExceptionRecord(
        urgency_agreed_by="County Councillor Geoff Driver CBE",
        urgency_agreed_on=date(2025, 4, 17),
        urgency_reasons="Flood damage to the A59 bridge: works must start before Easter.",
    )
    assert clocks.key_decision_route(None, date(2025, 4, 17), whole) == Route.SPECIAL_URGENCY


def test_special_urgency_agreed_after_the_decision_is_refused():
    record = ExceptionRecord(
        urgency_agreed_by="County Councillor Geoff Driver CBE",
        urgency_agreed_on=date(2025, 4, 22),
        urgency_reasons="Flood damage.",
    )
    problems = clocks.key_decision_problems(None, date(2025, 4, 17), record)
    assert "before the decision" in problems["urgency_agreed_on"]


# Call-in (LGA 2000 s.9F; the constitution) -----------------------------------------------


@pytest.mark.parametrize(
    ("published", "closures", "deadline", "implemented"),
    [
        # An ordinary week: Monday's notice, call-in to the following Monday.
        (date(2025, 6, 2), (), date(2025, 6, 9), date(2025, 6, 10)),
        # Christmas: 25 and 26 December are bank holidays.
        (date(2024, 12, 20), (), date(2024, 12, 31), date(2025, 1, 1)),
        # Christmas with the offices closed on 27 December, and New Year's Day a bank holiday.
        (date(2024, 12, 20), (date(2024, 12, 27),), date(2025, 1, 2), date(2025, 1, 3)),
        # Easter: Good Friday 18 April and Easter Monday 21 April 2025.
        (date(2025, 4, 17), (), date(2025, 4, 28), date(2025, 4, 29)),
    ],
)
def test_call_in_deadline_counts_working_days(published, closures, deadline, implemented):
    assert clocks.call_in_deadline(published, 5, closures) == deadline
    assert clocks.may_be_implemented_from(published, urgent=False, working_days=5, closures=closures) == implemented


def test_an_urgent_decision_is_implemented_at_once():
    assert clocks.may_be_implemented_from(date(2024, 12, 20), urgent=True, working_days=5) == date(2024, 12, 20)


# Reg 5: private meetings -----------------------------------------------------------------


def test_private_meeting_notices_for_the_27_june_2018_meeting():
    assert clocks.private_meeting_notice_due(date(2018, 6, 27)) == date(2018, 5, 29)
    assert clocks.private_meeting_further_notice_due(date(2018, 6, 27)) == date(2018, 6, 21)


# Days at the calendar's ends ---------------------------------------------------------------


def test_the_clocks_stop_at_the_calendars_ends():
    # Counted from a record imported with a slip in its year (0001, 9999), each clock gives the
    # calendar's first or last day, where it ran off the calendar (an error page).
    last, first = date(9999, 12, 30), date(1, 1, 10)
    assert clocks.call_in_deadline(last, 5) == date.max
    assert clocks.may_be_implemented_from(last, urgent=False, working_days=5) == date.max
    assert clocks.key_decision_may_be_taken_from(last) == date.max
    assert clocks.general_exception_may_be_taken_from(last) == date.max
    assert clocks.private_meeting_notice_due(first) == date.min
    assert clocks.private_meeting_further_notice_due(date(1, 1, 3)) == date.min

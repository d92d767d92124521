"""The clocks of executive decisions: each rule of the law one function, the regulation
beside it (docs/domain-rules.md, "Executive decisions").

SI 2012/2089 (the Local Authorities (Executive Arrangements) (Meetings and Access to
Information) (England) Regulations 2012) does not define "clear days" as working days
(unlike s100K of the Local Government Act 1972 for agendas): a clear day is a whole calendar
day, not counting the day the notice is published nor the day of the decision or meeting.
The call-in period is the council's, in working days (LGA 2000 s.9F and the constitution):
weekends, England and Wales bank holidays and the council's closure days do not count, as
in committee/deadlines.py.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from committee.deadlines import working_days_after
from core.dates import FinancialQuarter, days_after

KEY_DECISION_NOTICE_CLEAR_DAYS = 28  # reg 9(1)
GENERAL_EXCEPTION_CLEAR_DAYS = 5  # reg 10(2)(c)
PRIVATE_MEETING_NOTICE_CLEAR_DAYS = 28  # reg 5(2)
PRIVATE_MEETING_FURTHER_NOTICE_CLEAR_DAYS = 5  # reg 5(4)


def clear_days_between(first: date, last: date) -> int:
    """Whole days strictly between two dates (neither counted)."""
    return max((last - first).days - 1, 0)


def earliest_after_clear_days(notice_on: date, clear_days: int) -> date:
    """The first day on which something may happen after a notice published on
    `notice_on` with `clear_days` clear days between them."""
    return days_after(notice_on, clear_days + 1)


def latest_notice_for(day: date, clear_days: int) -> date:
    """The last day a notice may be published and still leave `clear_days` before `day`."""
    return days_after(day, -(clear_days + 1))


# Key decisions -------------------------------------------------------------------------------


def key_decision_grounds(
    *, amount: Decimal | None, threshold: Decimal, significant_in_divisions: bool, divisions: list[str]
) -> list[str]:
    """Why a decision is a key decision (reg 8(1)): (a) spending or savings significant for
    the budget, which the council sets as a threshold; (b) significant in its effects on
    communities in two or more wards or electoral divisions."""
    grounds = []
    if amount is not None and amount >= threshold:
        grounds.append(
            f"Spending or savings of £{amount:,.0f} or more than the £{threshold:,.0f} threshold (reg 8(1)(a))"
        )
    if significant_in_divisions and len(divisions) >= 2:
        grounds.append(f"Significant effects on communities in {len(divisions)} electoral divisions (reg 8(1)(b))")
    return grounds


def key_decision_may_be_taken_from(notice_on: date) -> date:
    """Reg 9(1): the notice of a key decision is published at least 28 clear days before the
    decision is made."""
    return earliest_after_clear_days(notice_on, KEY_DECISION_NOTICE_CLEAR_DAYS)


def general_exception_may_be_taken_from(exception_notice_on: date) -> date:
    """Reg 10(2)(c)-(d): under the general exception the decision is taken at least 5 clear
    days after the notice of the reasons is published."""
    return earliest_after_clear_days(exception_notice_on, GENERAL_EXCEPTION_CLEAR_DAYS)


class Route:
    """How a key decision comes to be taken on its day (regs 9-11)."""

    NOTICE = "notice"  # reg 9: 28 clear days' notice
    GENERAL_EXCEPTION = "general_exception"  # reg 10
    SPECIAL_URGENCY = "special_urgency"  # reg 11

    LABELS = {
        NOTICE: "28 clear days' notice (reg 9)",
        GENERAL_EXCEPTION: "General exception (reg 10)",
        SPECIAL_URGENCY: "Special urgency (reg 11)",
    }


@dataclass(frozen=True)
class ExceptionRecord:
    """What the forward plan entry records of a general exception or special urgency."""

    scrutiny_chair_notified_on: date | None = None
    exception_notice_on: date | None = None
    exception_reasons: str = ""
    urgency_agreed_by: str = ""
    urgency_agreed_on: date | None = None
    urgency_reasons: str = ""


def key_decision_route(notice_on: date | None, decision_on: date, record: ExceptionRecord) -> str | None:
    """Which route makes a key decision on `decision_on` lawful, or None when none does.

    Reg 9: 28 clear days after the notice; else reg 10: the chair of the relevant overview
    and scrutiny committee notified in writing and a notice with the reasons published at
    least 5 clear days before; else reg 11: the chair's agreement that the decision is
    urgent and cannot reasonably be deferred, and a notice of the reasons, published as soon
    as reasonably practicable after the agreement."""
    if notice_on is not None and decision_on >= key_decision_may_be_taken_from(notice_on):
        return Route.NOTICE
    r = record
    if (
        r.scrutiny_chair_notified_on is not None
        and r.exception_notice_on is not None
        and r.exception_reasons.strip()
        and r.scrutiny_chair_notified_on <= r.exception_notice_on
        and decision_on >= general_exception_may_be_taken_from(r.exception_notice_on)
    ):
        return Route.GENERAL_EXCEPTION
    if (
        r.urgency_agreed_by.strip()
        and r.urgency_reasons.strip()
        and r.urgency_agreed_on is not None
        and r.urgency_agreed_on <= decision_on
    ):
        return Route.SPECIAL_URGENCY
    return None


def key_decision_problems(notice_on: date | None, decision_on: date, record: ExceptionRecord) -> dict[str, str]:
    """Field by field, what is missing for a key decision to be taken on `decision_on`
    (empty when a route of regs 9-11 allows it). The messages name the regulation."""
    if key_decision_route(notice_on, decision_on, record) is not None:
        return {}
    problems: dict[str, str] = {}
    if notice_on is None:
        too_soon = "No notice of this key decision has been published (reg 9)."
    else:
        too_soon = (
            f"The notice was published on {notice_on:%-d %B %Y}: a key decision may be taken from "
            f"{key_decision_may_be_taken_from(notice_on):%-d %B %Y} (28 clear days, reg 9). Sooner needs the "
            "general exception (reg 10) or special urgency (reg 11)."
        )
    problems["decided_on"] = too_soon
    r = record
    general_started = r.scrutiny_chair_notified_on or r.exception_notice_on or r.exception_reasons.strip()
    urgency_started = r.urgency_agreed_by.strip() or r.urgency_agreed_on or r.urgency_reasons.strip()
    if general_started or not urgency_started:
        if r.scrutiny_chair_notified_on is None:
            problems["scrutiny_chair_notified_on"] = (
                "General exception (reg 10(2)(a)): record when the chair of scrutiny was told in writing."
            )
        if r.exception_notice_on is None:
            problems["exception_notice_on"] = "General exception (reg 10(2)(b)): record when the notice was published."
        elif decision_on < general_exception_may_be_taken_from(r.exception_notice_on):
            problems["exception_notice_on"] = (
                f"General exception (reg 10(2)(c)): the notice of {r.exception_notice_on:%-d %B %Y} allows the "
                f"decision from {general_exception_may_be_taken_from(r.exception_notice_on):%-d %B %Y} (5 clear "
                "days); sooner needs special urgency (reg 11)."
            )
        elif r.scrutiny_chair_notified_on is not None and r.scrutiny_chair_notified_on > r.exception_notice_on:
            problems["scrutiny_chair_notified_on"] = (
                "General exception (reg 10(2)): the chair of scrutiny is told before the notice is published."
            )
        if not r.exception_reasons.strip():
            problems["exception_reasons"] = (
                "General exception (reg 10(3)): the notice gives the reasons why 28 days' notice is impracticable."
            )
    if urgency_started:
        if not r.urgency_agreed_by.strip():
            problems["urgency_agreed_by"] = (
                "Special urgency (reg 11(2)): name the chair (or, failing them, the chair or vice-chair of the "
                "council) who agreed the decision is urgent."
            )
        if r.urgency_agreed_on is None:
            problems["urgency_agreed_on"] = "Special urgency (reg 11(2)): record when the chair agreed."
        elif r.urgency_agreed_on > decision_on:
            problems["urgency_agreed_on"] = "Special urgency (reg 11(2)): the chair agrees before the decision is made."
        if not r.urgency_reasons.strip():
            problems["urgency_reasons"] = (
                "Special urgency (reg 11(3)): the notice gives the reasons why the decision cannot reasonably be deferred."
            )
    return problems


# Call-in and implementation ------------------------------------------------------------------


def call_in_deadline(notice_published_on: date, working_days: int, closures: Iterable[date] = ()) -> date:
    """LGA 2000 s.9F and the constitution: scrutiny members may call a decision in until the
    end of the `working_days`th working day after its decision notice is published."""
    return working_days_after(notice_published_on, working_days, closures)


def may_be_implemented_from(
    notice_published_on: date, *, urgent: bool, working_days: int, closures: Iterable[date] = ()
) -> date:
    """A decision is implemented once its call-in period has passed: from the day after the
    deadline. An urgent decision (the constitution's urgency rule, recorded with its reasons)
    is not subject to call-in and may be implemented at once."""
    if urgent:
        return notice_published_on
    return days_after(call_in_deadline(notice_published_on, working_days, closures), 1)


# Private meetings ----------------------------------------------------------------------------


def private_meeting_notice_due(meeting_on: date) -> date:
    """Reg 5(2): 28 clear days' notice of the intention to hold (part of) a meeting in private."""
    return latest_notice_for(meeting_on, PRIVATE_MEETING_NOTICE_CLEAR_DAYS)


def private_meeting_further_notice_due(meeting_on: date) -> date:
    """Reg 5(4): at least 5 clear days before the meeting, a further notice with the reasons,
    the representations received and the response to them."""
    return latest_notice_for(meeting_on, PRIVATE_MEETING_FURTHER_NOTICE_CLEAR_DAYS)


# The leader's quarterly report of special urgency decisions (reg 11(5)) --------------------


# The quarters are the council's financial year's, as the performance reports' (core.dates).
Quarter = FinancialQuarter

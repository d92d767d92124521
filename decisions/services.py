"""Every write of executive decisions: the forward plan's lifecycle, decisions, their notices
(which start the call-in clock) and call-ins. Each takes the person acting as `by`."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from committee.models import Committee, CouncilClosureDay, Membership
from core import outbox
from core.dates import typed_day_problem
from core.history import Person, recorded_by

from . import clocks
from .models import CallIn, Decision, DecisionNotice, ForwardPlanEntry


def closures() -> frozenset[date]:
    return frozenset(CouncilClosureDay.objects.values_list("date", flat=True))


# The forward plan --------------------------------------------------------------------------


def plan_entry_save(*, entry: ForwardPlanEntry, by: Person | None = None) -> ForwardPlanEntry:
    """Save an entry, with its key decision flag worked out from its grounds (reg 8)."""
    entry.is_key_decision = bool(entry.key_decision_grounds)
    entry.full_clean()
    recorded_by(entry, by).save()
    return entry


def _locked(entry: ForwardPlanEntry) -> ForwardPlanEntry:
    return ForwardPlanEntry.objects.select_for_update().get(pk=entry.pk)


@transaction.atomic
def plan_entry_publish_notice(*, entry: ForwardPlanEntry, published_on: date, by: Person) -> ForwardPlanEntry:
    """Publish the notice (reg 9): from now on the entry is on the public forward plan. A
    deferred entry is noticed again with its new date."""
    entry = _locked(entry)
    if not entry.can_publish_notice:
        raise ValidationError(f"The notice cannot be published: the entry is {entry.get_status_display().lower()}.")
    problem = typed_day_problem(published_on, **_notice_not_before(entry))
    if problem:
        raise ValidationError({"published_on": problem})
    entry.status = ForwardPlanEntry.Status.NOTICE_PUBLISHED
    entry.notice_published_on = published_on
    recorded_by(entry, by, reason="Notice published")
    entry.save(update_fields=["status", "notice_published_on", "updated_at"])
    # Subscribers hear of the notice (reg 9, or the reg 10/11 notice recorded on the entry).
    outbox.record(kind=outbox.Kind.FORWARD_PLAN_PUBLISHED, plan_entry=entry)
    return entry


def _notice_not_before(entry: ForwardPlanEntry) -> dict:
    """The first day the entry's notice may be dated (reg 9's 28 clear days run from it): the
    day the entry was recorded, or for a deferred entry noticed again, the day it was
    deferred (the new notice is of the new date, so it is not the old one's)."""
    deferred_at = (
        entry.history.filter(history_change_reason="Deferred").values_list("history_date", flat=True).first()
        if entry.status == ForwardPlanEntry.Status.DEFERRED
        else None
    )
    if deferred_at is not None and timezone.localdate(deferred_at) > entry.recorded_on:
        return {"not_before": timezone.localdate(deferred_at), "because": "the day the entry was deferred: its new "
                "notice is of the new date"}  # fmt: skip
    return {"not_before": entry.recorded_on, "because": ForwardPlanEntry.NOT_BEFORE_RECORDED}


@transaction.atomic
def plan_entry_defer(*, entry: ForwardPlanEntry, reason: str, new_date: date, by: Person) -> ForwardPlanEntry:
    entry = _locked(entry)
    if not entry.can_defer:
        raise ValidationError(
            f"Only a published entry can be deferred: this one is {entry.get_status_display().lower()}."
        )
    if new_date <= entry.decision_due:
        raise ValidationError({"new_date": "A deferred decision is due later than it was."})
    entry.status = ForwardPlanEntry.Status.DEFERRED
    entry.status_reason = reason
    entry.decision_due, entry.decision_due_end = new_date, None
    recorded_by(entry, by, reason="Deferred")
    entry.save(update_fields=["status", "status_reason", "decision_due", "decision_due_end", "updated_at"])
    return entry


@transaction.atomic
def plan_entry_withdraw(*, entry: ForwardPlanEntry, reason: str, by: Person) -> ForwardPlanEntry:
    entry = _locked(entry)
    if not entry.can_withdraw:
        raise ValidationError(f"The entry cannot be withdrawn: it is {entry.get_status_display().lower()}.")
    entry.status = ForwardPlanEntry.Status.WITHDRAWN
    entry.status_reason = reason
    recorded_by(entry, by, reason="Withdrawn")
    entry.save(update_fields=["status", "status_reason", "updated_at"])
    return entry


# Decisions ---------------------------------------------------------------------------------


def decision_problems(decision: Decision) -> dict[str, str]:
    """What the law refuses in a decision as recorded, field by field (the admin's form shows
    these at the fields; the services refuse them too)."""
    problems: dict[str, str] = {}
    entry = decision.plan_entry
    if entry is not None:
        if entry.maker_id != decision.maker_id:
            problems["maker"] = f"The forward plan entry names {entry.maker} as the decision maker."
        if entry.status not in (ForwardPlanEntry.Status.NOTICE_PUBLISHED, ForwardPlanEntry.Status.DECIDED):
            problems["plan_entry"] = (
                f"The forward plan entry is {entry.get_status_display().lower()}: publish its notice first."
            )
        elif decision.is_key_decision and decision.decided_on is not None:
            # Regs 9-11: the key decision's day needs its notice, or the general exception,
            # or special urgency, recorded on the forward plan entry.
            found = clocks.key_decision_problems(entry.notice_published_on, decision.decided_on, entry.exception_record)
            if found:
                problems["decided_on"] = found.pop("decided_on")
                if found:
                    problems["plan_entry"] = "On the forward plan entry: " + " ".join(found.values())
    if decision.decided_on and decision.decided_on > timezone.localdate():
        problems["decided_on"] = "A decision is recorded once it is made: this date is in the future."
    if decision.agenda_item_id is not None and decision.decided_on is not None:
        held_on = timezone.localdate(decision.agenda_item.meeting.starts_at)
        if held_on != decision.decided_on:
            problems["decided_on"] = (
                f"The agenda item's meeting was on {held_on:%-d %B %Y}: that is the decision's date."
            )
    return problems


@transaction.atomic
def decision_save(*, decision: Decision, by: Person | None = None) -> Decision:
    """Record a decision; its forward plan entry is decided with it. A published decision
    cannot be changed (its notice is the record the call-in period runs from)."""
    if decision.pk is not None and DecisionNotice.objects.filter(decision_id=decision.pk).exists():
        raise ValidationError("The decision notice is published: the decision can no longer be changed.")
    decision.full_clean()
    problems = decision_problems(decision)
    if problems:
        raise ValidationError(problems)
    was_under = Decision.objects.filter(pk=decision.pk).values_list("plan_entry_id", flat=True).first()
    recorded_by(decision, by).save()
    entry = decision.plan_entry
    if entry is not None and entry.status != ForwardPlanEntry.Status.DECIDED:
        entry = _locked(entry)
        entry.status = ForwardPlanEntry.Status.DECIDED
        recorded_by(entry, by, reason="Decided")
        entry.save(update_fields=["status", "updated_at"])
    if was_under is not None and was_under != decision.plan_entry_id:
        _decided_no_more(was_under, by=by)
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision, by: Person | None = None) -> None:
    """Delete a decision whose notice is not published; its forward plan entry is to be
    decided again."""
    if DecisionNotice.objects.filter(decision_id=decision.pk).exists():
        raise ValidationError("The decision notice is published: the decision can no longer be deleted.")
    entry_id = decision.plan_entry_id
    recorded_by(decision, by).delete()
    if entry_id is not None:
        _decided_no_more(entry_id, by=by)


def _decided_no_more(entry_id: int, *, by: Person | None) -> None:
    """An entry whose decision was deleted, or recorded under another entry, has not been
    decided: it goes back on the forward plan as its notice left it (a decided entry had its
    notice published: decision_problems), not left "Decided" with no decision."""
    entry = ForwardPlanEntry.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None or entry.status != ForwardPlanEntry.Status.DECIDED:
        return
    if Decision.objects.filter(plan_entry_id=entry_id).exists():
        return
    entry.status = ForwardPlanEntry.Status.NOTICE_PUBLISHED
    recorded_by(entry, by, reason="Decision removed")
    entry.save(update_fields=["status", "updated_at"])


@transaction.atomic
def decision_publish_notice(*, decision: Decision, published_on: date, by: Person) -> DecisionNotice:
    """Publish the decision notice (regs 12-13); the call-in period runs from it (LGA 2000
    s.9F; the constitution), unless the decision was urgent."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if DecisionNotice.objects.filter(decision=decision).exists():
        raise ValidationError("The decision notice is already published.")
    # Not before the decision, nor before it was recorded here: an earlier notice would start
    # the call-in period before anyone could read it.
    if decision.decided_on >= decision.recorded_on:
        not_before = {"not_before": decision.decided_on, "because": "the day of the decision"}
    else:
        not_before = {"not_before": decision.recorded_on, "because": "the day the decision was recorded: an "
                      "earlier notice would start the call-in period before anyone could read it"}  # fmt: skip
    problem = typed_day_problem(published_on, **not_before)
    if problem:
        raise ValidationError({"published_on": problem})
    problems = decision_problems(decision)
    if problems:
        raise ValidationError(list(problems.values()))
    days, shut = settings.QUORUM_CALL_IN_WORKING_DAYS, closures()
    notice = DecisionNotice(
        decision=decision,
        published_on=published_on,
        call_in_deadline=None if decision.is_urgent else clocks.call_in_deadline(published_on, days, shut),
        may_be_implemented_from=clocks.may_be_implemented_from(
            published_on, urgent=decision.is_urgent, working_days=days, closures=shut
        ),
    )
    notice.full_clean()
    recorded_by(notice, by).save()
    recorded_by(decision, by, reason="Decision notice published")
    decision.save(update_fields=["updated_at"])
    outbox.record(kind=outbox.Kind.DECISION_PUBLISHED, decision=decision)
    return notice


# Call-in -----------------------------------------------------------------------------------


def call_in_problems(*, decision: Decision, members: list, requested_on: date | None) -> dict[str, str]:
    """Whether a call-in may be made: of a published, non-urgent decision, within its call-in
    period, by the number of scrutiny members the constitution requires."""
    problems: dict[str, str] = {}
    notice = DecisionNotice.objects.filter(decision=decision).first()
    if notice is None:
        problems["decision"] = "The decision notice is not published yet: a call-in runs from its publication."
    elif decision.is_urgent:
        problems["decision"] = "This decision was taken as urgent: it is not subject to call-in."
    elif requested_on is not None and not (notice.published_on <= requested_on <= notice.call_in_deadline):
        problems["requested_on"] = (
            f"The call-in period ran from {notice.published_on:%-d %B %Y} to {notice.call_in_deadline:%-d %B %Y}."
        )
    required = settings.QUORUM_CALL_IN_MEMBERS_REQUIRED
    on = requested_on or timezone.localdate()
    scrutiny = set(
        Membership.objects.current(on)
        .filter(committee__kind=Committee.Kind.SCRUTINY, member__in=members)
        .values_list("member_id", flat=True)
    )
    outside = [str(m) for m in members if m.pk not in scrutiny]
    if outside:
        problems["members"] = f"Not a member of a scrutiny committee on that day: {', '.join(outside)}."
    elif len(members) < required:
        problems["members"] = f"A call-in needs {required} scrutiny members (the constitution); {len(members)} named."
    return problems


@transaction.atomic
def call_in_record(*, decision: Decision, members: list, requested_on: date, reasons: str, by: Person) -> CallIn:
    problems = call_in_problems(decision=decision, members=members, requested_on=requested_on)
    if not reasons.strip():
        problems["reasons"] = "Give the reasons for the call-in."
    if problems:
        raise ValidationError(problems)
    call_in = CallIn(decision=decision, requested_on=requested_on, reasons=reasons)
    call_in.full_clean()
    recorded_by(call_in, by).save()
    call_in.members.set(members)
    return call_in


@transaction.atomic
def call_in_outcome(*, call_in: CallIn, outcome: str, outcome_on: date, notes: str, by: Person) -> CallIn:
    call_in = CallIn.objects.select_for_update().get(pk=call_in.pk)
    if call_in.outcome != CallIn.Outcome.PENDING:
        raise ValidationError("This call-in already has its outcome.")
    call_in.outcome, call_in.outcome_on, call_in.outcome_notes = outcome, outcome_on, notes
    call_in.full_clean()
    recorded_by(call_in, by, reason="Outcome recorded").save()
    outbox.record(kind=outbox.Kind.CALL_IN_OUTCOME, decision=call_in.decision, call_in_id=call_in.pk, outcome=outcome)
    return call_in

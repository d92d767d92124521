"""Writes: publishing the plan, key tasks and their dates, progress updates, snapshots.

Progress is only ever added (progress_update_add); nothing here edits or deletes an update
or a snapshot. Each function refuses with a ValidationError, changing nothing, when the
plan's rules are not met.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.history import Person, recorded_by

from . import selectors
from .models import ActionPlan, KeyTask, PlanSnapshot, ProgressUpdate, normalise


@transaction.atomic
def plan_publish(*, plan: ActionPlan, by: Person | None = None) -> ActionPlan:
    """Publish the live plan on the website (Ofsted requires it to be published so that
    parents, carers, children and young people can follow it). Publishing twice keeps the
    first date."""
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.published_at is None:
        plan.published_at = timezone.now()
        plan.full_clean()
        recorded_by(plan, by).save(update_fields=["published_at"])
    return plan


@transaction.atomic
def key_task_save(*, task: KeyTask) -> KeyTask:
    """Create or edit a key task. A new task's date to complete is also kept as its
    original, so that a later change shows what the plan first said."""
    if task.pk is None and task.original_due_date is None:
        task.original_due_date = normalise(task.due_date, task.due_precision)
        task.original_due_precision = task.due_precision
    if task.group_action_id and not task.plan_id:
        task.plan_id = task.group_action.working_group.plan_id
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def key_task_change_due_date(
    *, task: KeyTask, due_date: date, due_precision: str, reason: str, by: Person | None = None
) -> KeyTask:
    """Move a task's date to complete. The original date stays, and the reason is recorded
    with the change (and in the task's history)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"due_change_reason": "Give the reason for changing the date."}, code="reason")
    task = KeyTask.objects.select_for_update().get(pk=task.pk)
    task.due_date = due_date
    task.due_precision = due_precision
    task.due_change_reason = reason
    recorded_by(task, by, reason=reason)  # simple_history keeps the reason with this version
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def progress_update_add(
    *,
    task: KeyTask,
    as_of: date,
    status: str,
    made_by: str,
    narrative: str = "",
    completed_on: date | None = None,
    by: Person | None = None,
) -> ProgressUpdate:
    """Record a task's progress. It becomes the task's status; earlier updates stay as its
    history. The task row is locked so that two officers' updates are checked in turn."""
    KeyTask.objects.select_for_update().filter(pk=task.pk).exists()
    update = ProgressUpdate(
        task=task,
        as_of=as_of,
        status=status,
        completed_on=completed_on,
        narrative=(narrative or "").strip(),
        made_by=(made_by or "").strip(),
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    update.full_clean()
    update.save()
    return update


@transaction.atomic
def plan_snapshot_take(
    *, plan: ActionPlan, label: str = "", as_at: date | None = None, by: Person | None = None
) -> PlanSnapshot:
    """Freeze the plan for a report to a meeting: every group, action and task with its
    progress as recorded on or before `as_at` (overdue judged on that date)."""
    today = timezone.localdate()
    as_at = as_at or today
    if as_at > today:
        raise ValidationError({"as_at": "A snapshot cannot be taken as at a future date."}, code="future")
    snapshot = PlanSnapshot(
        plan=plan,
        label=(label or "").strip() or f"As at {as_at.day} {as_at:%B %Y}",
        as_at=as_at,
        taken_by=by if getattr(by, "pk", None) else None,
        data=selectors.plan_tables(plan, as_at).as_data(),
    )
    snapshot.full_clean()
    snapshot.save()
    return snapshot

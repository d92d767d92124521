"""The plan's rules: task codes, dates to complete, progress updates and overdue tasks."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from send_actions import selectors, services
from send_actions.models import (
    Action,
    DatePrecision,
    KeyTask,
    ProgressUpdate,
    Status,
    WorkingGroupAction,
    month_or_day_display,
    parse_month,
)

from .plans import make_plan, task

pytestmark = pytest.mark.django_db


def _new_task(plan, code, letter="A", **fields):
    group_action = WorkingGroupAction.objects.get(working_group__plan=plan, action__letter=letter)
    return KeyTask(
        plan=plan,
        group_action=group_action,
        code=code,
        description=fields.get("description", "A task"),
        due_date=fields.get("due_date", date(2018, 9, 1)),
        due_precision=fields.get("due_precision", DatePrecision.MONTH),
        expected_outcome="An outcome",
    )


# Codes ------------------------------------------------------------------------------------


def test_a_task_code_starts_with_its_actions_letter(small_plan):
    with pytest.raises(ValidationError) as exc:
        services.key_task_save(task=_new_task(small_plan, "B3"))
    assert exc.value.error_dict["code"][0].code == "code_letter"
    with pytest.raises(ValidationError):
        services.key_task_save(task=_new_task(small_plan, "AX"))
    assert services.key_task_save(task=_new_task(small_plan, "A3")).pk


def test_a_task_code_is_unique_within_its_plan(small_plan):
    with pytest.raises(ValidationError) as exc:
        services.key_task_save(task=_new_task(small_plan, "A1"))
    assert exc.value.messages == ["This plan already has a key task with this code."]
    # The database refuses it too, whatever path writes it.
    original = task(small_plan, "A1")
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyTask.objects.create(
            plan=small_plan,
            group_action=original.group_action,
            code="A1",
            description="Twin",
            due_date=original.due_date,
            original_due_date=original.due_date,
            original_due_precision="month",
            expected_outcome="x",
        )


def test_the_same_code_may_be_used_in_another_plan(small_plan):
    other = make_plan("another-plan")
    assert task(other, "A1").plan == other
    assert task(small_plan, "A1").plan == small_plan


def test_a_group_and_an_action_of_different_plans_cannot_be_joined(small_plan):
    other = make_plan("another-plan", letters="B")
    group_action = WorkingGroupAction(
        working_group=small_plan.working_groups.get(),
        action=Action.objects.get(plan=other, letter="B"),
        statement="To mix plans",
    )
    with pytest.raises(ValidationError):
        group_action.full_clean()


def test_an_action_worked_on_by_two_groups_keeps_each_groups_tasks(seed_plan):
    """The seed's Action C: C1-C3 in Strategy, C4-C5 in Improving Outcomes."""
    c = Action.objects.get(plan=seed_plan, letter="C")
    parts = {ga.working_group.name: ga for ga in c.group_actions.select_related("working_group")}
    assert set(parts) == {"Strategy", "Improving Outcomes"}
    assert [t.code for t in parts["Strategy"].key_tasks.order_by("code")] == ["C1", "C2", "C3"]
    assert [t.code for t in parts["Improving Outcomes"].key_tasks.order_by("code")] == ["C4", "C5"]
    assert parts["Strategy"].statement == (
        "To develop an effective strategy to improve the outcomes for children and young people with SEND"
    )
    assert parts["Strategy"].wording == (
        "Develop an effective strategy to improve the outcomes for children and young people with SEND"
    )
    assert parts["Improving Outcomes"].statement == (
        "To improve the outcomes of CYP with SEND towards the national average and statistical neighbours"
    )
    assert [a.number for a in c.areas_of_concern.all()] == [8]


# Dates to complete ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [("July 2018", date(2018, 7, 1)), ("Sept 2018", date(2018, 9, 1)), ("Mar 2018", date(2018, 3, 1)),
     ("Jan 2019", date(2019, 1, 1)), ("April 2019", date(2019, 4, 1)), ("September 2018", date(2018, 9, 1))],
)  # fmt: skip
def test_month_dates_are_read_and_printed_as_the_seed_writes_them(written, expected):
    assert parse_month(written) == expected
    if written != "September 2018":
        assert month_or_day_display(expected, DatePrecision.MONTH) == written


def test_a_month_is_kept_as_its_first_day(small_plan):
    saved = services.key_task_save(task=_new_task(small_plan, "A3", due_date=date(2018, 9, 17)))
    assert saved.due_date == date(2018, 9, 1)
    assert saved.due_display == "Sept 2018"


def test_a_changed_date_keeps_the_original_and_the_reason(small_plan):
    a1 = task(small_plan, "A1")
    with pytest.raises(ValidationError):
        services.key_task_change_due_date(task=a1, due_date=date(2018, 12, 1), due_precision="month", reason=" ")
    changed = services.key_task_change_due_date(
        task=a1, due_date=date(2018, 12, 1), due_precision="month", reason="Waiting for the JSNA."
    )
    changed.refresh_from_db()
    assert (changed.due_display, changed.original_due_display) == ("Dec 2018", "Sept 2018")
    assert changed.due_change_reason == "Waiting for the JSNA."
    assert changed.history.first().history_change_reason == "Waiting for the JSNA."
    row = next(t for t in selectors.plan_tables(small_plan, date(2018, 10, 1)).tasks() if t.code == "A1")
    assert (row.due_display, row.original_due_display, row.due_change_reason) == (
        "Dec 2018",
        "Sept 2018",
        "Waiting for the JSNA.",
    )


def test_the_database_refuses_a_changed_date_without_a_reason(small_plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyTask.objects.filter(pk=task(small_plan, "A1").pk).update(due_date=date(2019, 1, 1))


# Progress ---------------------------------------------------------------------------------


def _status(plan, code, on=None):
    return KeyTask.objects.with_status(on or timezone.localdate()).get(plan=plan, code=code).status


def test_a_task_without_updates_is_planned(small_plan):
    assert _status(small_plan, "A1") == Status.PLANNED


def test_the_status_is_the_latest_updates_and_earlier_ones_stay(small_plan):
    a1 = task(small_plan, "A1")
    services.progress_update_add(task=a1, as_of=date(2018, 5, 1), status="underway", made_by="Board")
    services.progress_update_add(task=a1, as_of=date(2018, 6, 1), status="planned", made_by="Board")
    services.progress_update_add(
        task=a1, as_of=date(2018, 7, 1), status="complete", completed_on=date(2018, 6, 28), made_by="Group 1"
    )
    assert _status(small_plan, "A1") == Status.COMPLETE
    assert list(a1.progress_updates.values_list("status", flat=True)) == ["underway", "planned", "complete"]
    # As of an earlier date, the status then.
    assert _status(small_plan, "A1", on=date(2018, 5, 15)) == Status.UNDERWAY
    assert _status(small_plan, "A1", on=date(2018, 4, 30)) == Status.PLANNED
    row = next(t for t in selectors.plan_tables(small_plan, date(2018, 7, 2)).tasks() if t.code == "A1")
    assert (row.status_label, row.completed_display) == ("Action Complete", "28 June 2018")


def test_two_updates_on_one_day_the_later_recorded_wins(small_plan):
    a1 = task(small_plan, "A1")
    services.progress_update_add(task=a1, as_of=date(2018, 5, 1), status="planned", made_by="Board")
    services.progress_update_add(task=a1, as_of=date(2018, 5, 1), status="underway", made_by="Board")
    assert _status(small_plan, "A1") == Status.UNDERWAY


def test_an_update_cannot_be_dated_before_the_latest_or_in_the_future(small_plan):
    a1 = task(small_plan, "A1")
    services.progress_update_add(task=a1, as_of=date(2018, 6, 1), status="underway", made_by="Board")
    with pytest.raises(ValidationError) as exc:
        services.progress_update_add(task=a1, as_of=date(2018, 5, 1), status="complete", made_by="Board",
                                     completed_on=date(2018, 5, 1))  # fmt: skip
    assert exc.value.error_dict["as_of"][0].code == "before_latest"
    with pytest.raises(ValidationError) as exc:
        services.progress_update_add(
            task=a1, as_of=timezone.localdate() + timedelta(days=1), status="underway", made_by="Board"
        )
    assert exc.value.error_dict["as_of"][0].code == "future"
    assert a1.progress_updates.count() == 1


def test_a_completed_task_has_its_completion_date(small_plan):
    a1 = task(small_plan, "A1")
    with pytest.raises(ValidationError) as exc:
        services.progress_update_add(task=a1, as_of=date(2018, 6, 1), status="complete", made_by="Board")
    assert "completed_on" in exc.value.error_dict
    with pytest.raises(ValidationError):
        services.progress_update_add(
            task=a1, as_of=date(2018, 6, 1), status="underway", made_by="Board", completed_on=date(2018, 6, 1)
        )
    with pytest.raises(ValidationError):
        services.progress_update_add(
            task=a1, as_of=date(2018, 6, 1), status="complete", made_by="Board", completed_on=date(2018, 6, 2)
        )
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.create(task=a1, as_of=date(2018, 6, 1), status="complete", made_by="Board")
    assert a1.progress_updates.count() == 0


# Overdue ----------------------------------------------------------------------------------


def test_overdue_once_the_whole_month_has_passed_and_not_complete(small_plan):
    """A1 and A2 are due "Sept 2018"."""
    services.progress_update_add(task=task(small_plan, "A1"), as_of=date(2018, 5, 1), status="underway", made_by="B")
    on_time = {t.code for t in KeyTask.objects.overdue(date(2018, 9, 30)).filter(plan=small_plan)}
    late = {t.code for t in KeyTask.objects.overdue(date(2018, 10, 1)).filter(plan=small_plan)}
    assert on_time == set()
    assert late == {"A1", "A2"}
    services.progress_update_add(
        task=task(small_plan, "A2"), as_of=date(2018, 10, 5), status="complete", completed_on=date(2018, 10, 5),
        made_by="B",
    )  # fmt: skip
    assert {t.code for t in KeyTask.objects.overdue(date(2018, 10, 6)).filter(plan=small_plan)} == {"A1"}
    # As of 1 October A2 was not yet complete, so it was overdue then.
    assert {t.code for t in KeyTask.objects.overdue(date(2018, 10, 1)).filter(plan=small_plan)} == {"A1", "A2"}


def test_overdue_for_a_date_given_to_the_day(small_plan):
    a1 = task(small_plan, "A1")
    a1.due_date, a1.due_precision = date(2018, 6, 27), DatePrecision.DAY
    a1.due_change_reason = "Set to the day of the meeting."
    services.key_task_save(task=a1)
    assert not KeyTask.objects.overdue(date(2018, 6, 27)).filter(pk=a1.pk).exists()
    assert KeyTask.objects.overdue(date(2018, 6, 28)).filter(pk=a1.pk).exists()


def test_the_seeds_tasks_overdue_at_the_june_meeting(seed_plan):
    """As at 27 June 2018, with the seed's May 2018 statuses: A2 and A5 (May 2018, underway)."""
    tables = selectors.plan_tables(seed_plan, date(2018, 6, 27))
    assert [t.code for t in tables.tasks() if t.is_overdue] == ["A2", "A5"]
    assert tables.tally.overdue == 2
    # E1 (Mar 2018) and A4 (April 2018) were complete, so not overdue.
    assert {t.code: t.status for t in tables.tasks()}["E1"] == Status.COMPLETE
    # On 1 May 2018 nothing was overdue yet.
    assert selectors.plan_tables(seed_plan, date(2018, 5, 1)).tally.overdue == 0

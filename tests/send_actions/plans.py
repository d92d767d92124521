"""Small made-up plans for the tests (the seed's plan comes from the demo file)."""

from datetime import date

from send_actions import services
from send_actions.models import (
    Action,
    ActionPlan,
    AreaOfConcern,
    DatePrecision,
    KeyTask,
    WorkingGroup,
    WorkingGroupAction,
)

PLAN_SLUG = "lancashire-send-written-statement-of-action"


def make_plan(
    slug: str = "test-plan",
    *,
    groups: int = 1,
    letters: str = "A",
    tasks_per_action: int = 2,
    due: date = date(2018, 9, 1),
    published: bool = True,
) -> ActionPlan:
    """A plan with `groups` working groups, each working on the actions in `letters`
    (split between the groups), each action with `tasks_per_action` key tasks."""
    plan = ActionPlan.objects.create(title=f"Plan {slug}", slug=slug, dated=date(2018, 5, 1))
    area = AreaOfConcern.objects.create(plan=plan, number=1, text="An area of concern.")
    group_rows = [
        WorkingGroup.objects.create(plan=plan, number=n, name=f"Group {n}", lead_name=f"Lead {n}", lead_role="Role")
        for n in range(1, groups + 1)
    ]
    for i, letter in enumerate(letters):
        action = Action.objects.create(plan=plan, letter=letter)
        action.areas_of_concern.add(area)
        group_action = WorkingGroupAction.objects.create(
            working_group=group_rows[i % groups], action=action, statement=f"To do {letter}", wording=f"Do {letter}"
        )
        for n in range(1, tasks_per_action + 1):
            services.key_task_save(
                task=KeyTask(
                    plan=plan,
                    group_action=group_action,
                    code=f"{letter}{n}",
                    description=f"Task {letter}{n}",
                    due_date=due,
                    due_precision=DatePrecision.MONTH,
                    expected_outcome=f"Outcome of {letter}{n}",
                )
            )
    if published:
        services.plan_publish(plan=plan)
    return plan


def task(plan: ActionPlan, code: str) -> KeyTask:
    return KeyTask.objects.get(plan=plan, code=code)

"""The plan's key tasks as a CSV or XLSX download (django-tables2's export)."""

import django_tables2 as tables

from .selectors import PlanTables


class KeyTaskExportTable(tables.Table):
    working_group = tables.Column(verbose_name="Working group")
    action = tables.Column(verbose_name="Action")
    code = tables.Column(verbose_name="Key task")
    description = tables.Column(verbose_name="Task")
    due = tables.Column(verbose_name="Date to Complete")
    original_due = tables.Column(verbose_name="Original date to complete")
    due_change_reason = tables.Column(verbose_name="Reason the date changed")
    expected_outcome = tables.Column(verbose_name="Expected Outcome")
    progress = tables.Column(verbose_name="Progress")
    overdue = tables.Column(verbose_name="Overdue")
    completed_on = tables.Column(verbose_name="Completed on")

    class Meta:
        orderable = False

    @classmethod
    def for_plan(cls, plan: PlanTables) -> "KeyTaskExportTable":
        rows = [
            {
                "working_group": group.title,
                "action": f"Action {action.letter}: {action.wording}",
                "code": task.code,
                "description": task.description,
                "due": task.due_display,
                "original_due": task.original_due_display,
                "due_change_reason": task.due_change_reason,
                "expected_outcome": task.expected_outcome,
                "progress": task.status_label,
                "overdue": f"Overdue at {plan.on_display}" if task.is_overdue else "",
                "completed_on": task.completed_display,
            }
            for group in plan.groups
            for action in group.actions
            for task in action.tasks
        ]
        return cls(rows)

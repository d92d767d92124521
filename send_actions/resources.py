"""Bulk progress updates from a CSV or XLSX file (django-import-export).

One row is one new progress update: "Key task" (A1), "Date", "Progress" ("Action
Underway"), "Completed on", "Update", "Made by". Rows are only ever added; nothing is
overwritten. The file is checked row by row in a preview, and the import is all or nothing:
if any row is refused, no row is recorded (settings.IMPORT_EXPORT_USE_TRANSACTIONS, and
validation errors roll back too, see import_data).
"""

from datetime import date, datetime

from django.utils import dateformat
from import_export import fields, widgets

from core.dates import mistyped_year_problem
from core.imports import AllOrNothingResource, KeyWidget

from .models import ActionPlan, KeyTask, ProgressUpdate, Status

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y", "%d-%m-%Y")


class UKDateWidget(widgets.Widget):
    """Dates as a council writes them (27/06/2018, 27 June 2018) or ISO; never month first."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            day = value.date()
        elif isinstance(value, date):
            day = value
        else:
            day = self.read(value)
        # A slip in the year (0001 for 2001) is refused as the forms refuse it (core.dates).
        if problem := mistyped_year_problem(day):
            raise ValueError(problem)
        return day

    def read(self, value) -> date:
        text = str(value).strip()
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(f'"{text}" is not a date: write it as 27/06/2018 or 2018-06-27.')

    def render(self, value, obj=None, **kwargs):
        # Django's format, whose year is always four figures (strftime writes 0001 as "1").
        return dateformat.format(value, "d/m/Y") if value else ""


class StatusWidget(widgets.Widget):
    """ "Action Underway", "Underway" or "underway"."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().lower()
        for status, label in Status.choices:
            if text in (status, label.lower(), label.lower().removeprefix("action ")):
                return status
        allowed = ", ".join(label for _, label in Status.choices)
        raise ValueError(f'"{value}" is not a progress status: use one of {allowed}.')

    def render(self, value, obj=None, **kwargs):
        return Status(value).label if value else ""


class KeyTaskCodeWidget(KeyWidget):
    """A key task by its code within the plan chosen for the import."""

    def __init__(self, plan: ActionPlan | None = None):
        super().__init__(
            KeyTask,
            "code",
            asks="Give the key task's code, such as A1.",
            missing='There is no key task "{key}" in {widget.plan}.',
            upper=True,
        )
        self.plan = plan

    def get_queryset(self, value, row, *args, **kwargs):
        return KeyTask.objects.filter(plan=self.plan)


class ProgressUpdateResource(AllOrNothingResource):
    task = fields.Field(attribute="task", column_name="Key task", widget=KeyTaskCodeWidget())
    as_of = fields.Field(attribute="as_of", column_name="Date", widget=UKDateWidget())
    status = fields.Field(attribute="status", column_name="Progress", widget=StatusWidget())
    completed_on = fields.Field(attribute="completed_on", column_name="Completed on", widget=UKDateWidget())
    narrative = fields.Field(attribute="narrative", column_name="Update", widget=widgets.CharWidget())
    made_by = fields.Field(attribute="made_by", column_name="Made by", widget=widgets.CharWidget())

    class Meta:
        model = ProgressUpdate
        fields = ("task", "as_of", "status", "completed_on", "narrative", "made_by")
        import_id_fields = ()
        force_init_instance = True  # every row is a new update; none is ever changed
        clean_model_instances = True  # the model's rules (completion date, order of updates)
        skip_unchanged = False

    def __init__(self, plan: ActionPlan | None = None, **kwargs):
        super().__init__(**kwargs)
        self.plan = plan
        self.fields["task"].widget = KeyTaskCodeWidget(plan)

    def before_save_instance(self, instance, row, **kwargs):
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            instance.recorded_by = user

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # The same file imported again (or a row given twice) records each update once: an
        # update the task already has, word for word, is the same report of progress.
        if import_validation_errors or instance.task_id is None:
            return False
        return ProgressUpdate.objects.filter(
            **{name: getattr(instance, name) for name in self._meta.fields if name != "task"}, task_id=instance.task_id
        ).exists()

    def import_data(self, dataset, **kwargs):
        if self.plan is None:
            raise ValueError("Choose the plan the progress updates belong to.")
        return super().import_data(dataset, **kwargs)

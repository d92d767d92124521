from django import forms
from django.utils import timezone
from django.utils.text import Truncator
from import_export.forms import ConfirmImportForm, ImportForm

from core.forms import MistypedYearsMixin

from .models import (
    Action,
    ActionPlan,
    GovernanceBody,
    KeyTask,
    ProgressUpdate,
    Status,
    WorkingGroup,
    loop_message,
    reporting_loop,
)
from .selectors import OVERDUE


class TaskFilterForm(forms.Form):
    """The public page's filters: by progress (or overdue), by working group and by the area
    of concern the task's action addresses."""

    status = forms.ChoiceField(
        label="Progress",
        required=False,
        choices=[("", "All tasks"), *Status.choices, (OVERDUE, "Overdue (date passed, not complete)")],
    )
    group = forms.TypedChoiceField(label="Working group", required=False, coerce=int, empty_value=None)
    area = forms.TypedChoiceField(label="Area of concern", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, groups=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "All working groups")] + [(g.number, g.title) for g in groups]
        # The areas are long sentences: the start of each is enough to choose by on a phone.
        self.fields["area"].choices = [("", "All areas of concern")] + [
            (a.number, f"{a.number}. {Truncator(a.text).chars(80)}") for a in areas
        ]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProgressUpdateForm(MistypedYearsMixin, forms.ModelForm):
    """The officer's one-step update on the task's page."""

    class Meta:
        model = ProgressUpdate
        fields = ["as_of", "status", "completed_on", "narrative", "made_by"]
        widgets = {
            "as_of": DateInput(),
            "completed_on": DateInput(),
            "narrative": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"as_of": "Date of this update", "status": "Progress", "narrative": "Update (optional)"}

    def __init__(self, *args, task: KeyTask, **kwargs):
        kwargs.setdefault("instance", ProgressUpdate(task=task))
        super().__init__(*args, **kwargs)
        if not self.initial.get("as_of"):
            self.initial["as_of"] = timezone.localdate()
        self.fields["completed_on"].help_text = "Required when the progress is Action Complete."


class KeyTaskAdminForm(forms.ModelForm):
    """A changed date to complete needs its reason; cross references stay within the plan."""

    class Meta:
        model = KeyTask
        fields = [
            "plan",
            "group_action",
            "code",
            "description",
            "due_date",
            "due_precision",
            "due_change_reason",
            "expected_outcome",
            "see_also",
        ]

    def clean(self):
        cleaned = super().clean()
        date_changed = self.instance.pk and {"due_date", "due_precision"} & set(self.changed_data)
        new_reason = "due_change_reason" in self.changed_data and (cleaned.get("due_change_reason") or "").strip()
        if date_changed and not new_reason:
            self.add_error("due_change_reason", "Give the reason for changing the date to complete.")
        plan = cleaned.get("plan")
        group_action = cleaned.get("group_action")
        if plan and group_action and group_action.working_group.plan_id != plan.pk:
            self.add_error("group_action", "Choose a working group and action of this plan.")
        others = [task for task in cleaned.get("see_also") or [] if plan and task.plan_id != plan.pk]
        if others:
            self.add_error("see_also", "A task can only refer to tasks of the same plan.")
        if self.instance.pk and any(task.pk == self.instance.pk for task in cleaned.get("see_also") or []):
            self.add_error("see_also", "A task cannot refer to itself.")
        return cleaned


class ActionAdminForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["plan", "letter", "areas_of_concern"]

    def clean(self):
        cleaned = super().clean()
        plan = cleaned.get("plan")
        if plan and any(area.plan_id != plan.pk for area in cleaned.get("areas_of_concern") or []):
            self.add_error("areas_of_concern", "Choose areas of concern of this plan.")
        return cleaned


class WorkingGroupAdminForm(forms.ModelForm):
    """A working group's own page: the bodies it may report to are its plan's."""

    class Meta:
        model = WorkingGroup
        fields = ["plan", "number", "name", "lead_name", "lead_role", "reports_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.plan_id and "reports_to" in self.fields:
            self.fields["reports_to"].queryset = GovernanceBody.objects.filter(plan_id=self.instance.plan_id)


class PlanImportForm(ImportForm):
    plan = forms.ModelChoiceField(queryset=ActionPlan.objects.all(), label="Plan")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if ActionPlan.objects.count() == 1:
            self.fields["plan"].initial = ActionPlan.objects.get()


class PlanConfirmImportForm(ConfirmImportForm):
    plan = forms.ModelChoiceField(queryset=ActionPlan.objects.all(), widget=forms.HiddenInput())


class PlanBodiesFormSet(forms.BaseInlineFormSet):
    """Rows of a plan (its governance bodies, its working groups) that say which of the
    plan's governance bodies they report to: only this plan's bodies are offered."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "reports_to" in form.fields:
            plan = self.instance if self.instance.pk else None
            form.fields["reports_to"].queryset = GovernanceBody.objects.filter(plan=plan).order_by("order", "name")


class GovernanceBodyFormSet(PlanBodiesFormSet):
    """The plan's governance bodies. Each row's own check sees the others as saved; here
    the rows are checked together, so that two rows changed at once cannot make a loop
    (A reports to B, B to A) that neither makes alone."""

    def clean(self):
        super().clean()
        if self.instance.pk is None:
            return
        links = dict(GovernanceBody.objects.filter(plan=self.instance).values_list("pk", "reports_to_id"))
        rows = []
        for form in self.forms:
            pk = form.instance.pk
            if pk is None or not hasattr(form, "cleaned_data"):
                continue
            if self.can_delete and self._should_delete_form(form):
                links.pop(pk, None)
                continue
            above = form.cleaned_data.get("reports_to")
            links[pk] = above.pk if above else None
            rows.append(form)
        # A deleted body's reporters report to no one (on_delete=SET_NULL).
        links = {pk: (above if above in links else None) for pk, above in links.items()}
        for form in rows:
            loop = reporting_loop(links, form.instance.pk)
            if loop and "reports_to" not in form.errors:
                name = form.cleaned_data.get("name") or form.instance.name
                form.add_error("reports_to", loop_message(name, loop))

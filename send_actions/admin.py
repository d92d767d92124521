"""The officers' workplace for the plan. Every model keeps its history; progress updates
are only ever added (here, on the task's page, or in bulk from a CSV/XLSX file); snapshots
are taken from the plan and never edited."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from import_export.admin import ImportMixin
from simple_history.admin import SimpleHistoryAdmin

from core.forms import CarefulAdminMixin
from core.imports import IMPORT_FORMATS
from core.text import person_name

from . import services
from .forms import (
    ActionAdminForm,
    GovernanceBodyFormSet,
    KeyTaskAdminForm,
    PlanBodiesFormSet,
    PlanConfirmImportForm,
    PlanImportForm,
    WorkingGroupAdminForm,
)
from .models import (
    Action,
    ActionPlan,
    AreaOfConcern,
    GovernanceBody,
    KeyTask,
    PlanSnapshot,
    ProgressUpdate,
    Status,
    WorkingGroup,
    WorkingGroupAction,
)
from .resources import ProgressUpdateResource
from .selectors import OVERDUE


class AreaOfConcernInline(admin.TabularInline):
    model = AreaOfConcern
    extra = 0


class WorkingGroupInline(admin.TabularInline):
    model = WorkingGroup
    formset = PlanBodiesFormSet
    extra = 0


class GovernanceBodyInline(admin.StackedInline):
    """The boards and committees of the plan's governance structure, and who reports to
    whom (working groups say whom they report to in their own rows). A new body can be
    chosen to report to once it is saved."""

    model = GovernanceBody
    formset = GovernanceBodyFormSet
    extra = 0
    fields = [("name", "order"), "chair", "reports_to", "purpose"]


@admin.register(ActionPlan)
class ActionPlanAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "dated_display", "kind", "published_at"]
    list_filter = ["kind"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["published_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", ("dated", "dated_precision"), "published_at"]}),
        (
            "The inspection",
            {"fields": ["inspection", ("inspection_started_on", "inspection_ended_on"), "submitted_on", "accepted_on"]},
        ),
        ("Owners", {"fields": ["senior_leadership_owners", "senior_officer_support_owners"]}),
        (
            "Text of the plan",
            {"fields": ["introduction", "delivery", "governance", "key_terms", "working_groups_note"]},
        ),
        ("Governance structure", {"fields": ["governance_structure_title"]}),
    ]
    inlines = [AreaOfConcernInline, GovernanceBodyInline, WorkingGroupInline]
    actions = ["publish", "take_snapshot"]

    @admin.display(description="Dated", ordering="dated")
    def dated_display(self, plan):
        return plan.dated_display

    @admin.action(description="Publish the selected plans on the website", permissions=["change"])
    def publish(self, request, queryset):
        for plan in queryset:
            services.plan_publish(plan=plan, by=request.user)
        self.message_user(request, "Published. Parents, carers and the public can now read the plan.", messages.SUCCESS)

    @admin.action(description="Take a snapshot for a report (progress as at today)", permissions=["snapshot"])
    def take_snapshot(self, request, queryset):
        for plan in queryset:
            snapshot = services.plan_snapshot_take(plan=plan, by=request.user)
            self.message_user(
                request,
                format_html(
                    'Snapshot <a href="{}">{}</a> taken (id {}). To report it, add an appendix of kind '
                    '"Structured data" to the report, with content type "plan snapshot" and this id.',
                    reverse("admin:send_actions_plansnapshot_change", args=[snapshot.pk]),
                    snapshot.label,
                    snapshot.pk,
                ),
                messages.SUCCESS,
            )

    def has_snapshot_permission(self, request):
        return request.user.has_perm("send_actions.add_plansnapshot")


@admin.register(WorkingGroup)
class WorkingGroupAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "lead_name", "lead_role", "reports_to", "plan"]
    list_select_related = ["plan", "reports_to"]
    list_filter = ["plan"]
    search_fields = ["name", "lead_name"]
    form = WorkingGroupAdminForm


class WorkingGroupActionInline(admin.StackedInline):
    model = WorkingGroupAction
    extra = 0
    fields = ["working_group", "statement", "wording"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "working_group":
            kwargs["queryset"] = WorkingGroup.objects.select_related("plan")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Action)
class ActionAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    form = ActionAdminForm
    list_display = ["letter", "areas_display", "plan"]
    list_select_related = ["plan"]
    list_filter = ["plan"]
    search_fields = ["letter", "group_actions__statement", "group_actions__wording"]
    filter_horizontal = ["areas_of_concern"]
    inlines = [WorkingGroupActionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("areas_of_concern")

    @admin.display(description="Areas of concern")
    def areas_display(self, action):
        return ", ".join(str(area.number) for area in action.areas_of_concern.all())


def recorder_name(update) -> str:
    return person_name(update.recorded_by) if update.recorded_by else "-"


class ProgressUpdateInline(admin.TabularInline):
    """The task's history, read only: updates are added, never changed."""

    model = ProgressUpdate
    extra = 0
    can_delete = False
    fields = ["as_of", "status", "completed_on", "narrative", "made_by", "recorder", "recorded_at"]
    readonly_fields = fields
    ordering = ["-as_of", "-pk"]

    @admin.display(description="Recorded by")
    def recorder(self, update):
        return recorder_name(update)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProgressListFilter(admin.SimpleListFilter):
    title = "progress"
    parameter_name = "progress"

    def lookups(self, request, model_admin):
        return [*Status.choices, (OVERDUE, "Overdue")]

    def queryset(self, request, queryset):
        if self.value() == OVERDUE:
            return queryset.filter(is_overdue=True)
        if self.value() in Status.values:
            return queryset.filter(status=self.value())
        return queryset


@admin.register(KeyTask)
class KeyTaskAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    form = KeyTaskAdminForm
    list_display = ["code", "description_short", "group", "due", "progress", "overdue"]
    list_filter = ["plan", "group_action__working_group__name", ProgressListFilter]
    list_select_related = ["plan", "group_action__working_group", "group_action__action"]
    search_fields = ["code", "description", "expected_outcome"]
    filter_horizontal = ["see_also"]
    readonly_fields = ["original_due", "progress_now", "update_link"]
    fields = [
        "plan",
        "group_action",
        "code",
        "description",
        ("due_date", "due_precision"),
        "original_due",
        "due_change_reason",
        "expected_outcome",
        "see_also",
        "progress_now",
        "update_link",
    ]
    inlines = [ProgressUpdateInline]

    def get_queryset(self, request):
        # Progress is computed from the updates, as of today.
        return super().get_queryset(request).with_status(timezone.localdate())

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "group_action":
            kwargs["queryset"] = WorkingGroupAction.objects.select_related("working_group", "action")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_record(self, request, obj, form, change):
        if change and {"due_date", "due_precision"} & set(form.changed_data):
            obj._change_reason = obj.due_change_reason
        services.key_task_save(task=obj)

    @admin.display(description="Key task")
    def description_short(self, task):
        return task.description if len(task.description) <= 90 else task.description[:88] + "…"

    @admin.display(description="Working group", ordering="group_action__working_group__number")
    def group(self, task):
        return task.group_action.working_group

    @admin.display(description="Date to complete", ordering="due_date")
    def due(self, task):
        return task.due_display

    @admin.display(description="Progress", ordering="status")
    def progress(self, task):
        return Status(task.status).label

    @admin.display(description="Overdue", boolean=True, ordering="is_overdue")
    def overdue(self, task):
        return task.is_overdue

    @admin.display(description="Original date to complete")
    def original_due(self, task):
        return task.original_due_display if task.pk else "Set from the date to complete when the task is added."

    @admin.display(description="Progress now")
    def progress_now(self, task):
        if task.pk is None:
            return "Action Planned until a progress update is added."
        return f"{Status(task.status).label}{' (overdue)' if task.is_overdue else ''}"

    @admin.display(description="Add a progress update")
    def update_link(self, task):
        if task.pk is None:
            return "Save the task first."
        return format_html('<a href="{}#add-update">On the task\'s page</a>', task.get_absolute_url())


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(CarefulAdminMixin, ImportMixin, SimpleHistoryAdmin):
    import_formats = IMPORT_FORMATS
    """Add one update, or import many from CSV/XLSX (previewed, and all or nothing)."""

    resource_classes = [ProgressUpdateResource]
    import_form_class = PlanImportForm
    confirm_form_class = PlanConfirmImportForm
    list_display = ["task_code", "as_of", "status", "completed_on", "made_by", "recorder", "recorded_at"]
    list_filter = ["status", "task__plan"]
    list_select_related = ["task", "recorded_by"]
    search_fields = ["task__code", "narrative", "made_by"]
    date_hierarchy = "as_of"
    autocomplete_fields = ["task"]
    fields = ["task", "as_of", "status", "completed_on", "narrative", "made_by"]

    @admin.display(description="Key task", ordering="task__code")
    def task_code(self, update):
        return update.task.code

    @admin.display(description="Recorded by", ordering="recorded_by")
    def recorder(self, update):
        return recorder_name(update)

    def get_changeform_initial_data(self, request):
        # Who reports the progress is usually the officer typing it: offered, not imposed.
        return {"made_by": person_name(request.user), **super().get_changeform_initial_data(request)}

    def has_change_permission(self, request, obj=None):
        return False  # an update is never overwritten; add a new one

    def has_delete_permission(self, request, obj=None):
        return False

    def has_import_permission(self, request):
        return self.has_add_permission(request)

    def save_record(self, request, obj, form, change):
        try:
            services.progress_update_add(
                task=obj.task,
                as_of=obj.as_of,
                status=obj.status,
                completed_on=obj.completed_on,
                narrative=obj.narrative,
                made_by=obj.made_by,
                by=request.user,
            )
        except ValidationError as exc:  # already checked by the form; a race is reported, not hidden
            self.message_user(request, " ".join(exc.messages), messages.ERROR)

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        cleaned = getattr(form, "cleaned_data", None) or {}
        return {"plan": cleaned.get("plan")}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["plan"] = import_form.cleaned_data["plan"].pk
        return initial


@admin.register(PlanSnapshot)
class PlanSnapshotAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    """Snapshots are frozen: only their label may be corrected, and none is deleted (a
    report that shows one stays as it was published)."""

    list_display = ["label", "plan", "as_at", "taken_at", "taken_by", "pk"]
    list_select_related = ["plan", "taken_by"]
    list_filter = ["plan"]
    fields = ["plan", "label", "as_at", "taken_at", "taken_by", "summary", "pk"]
    readonly_fields = ["plan", "as_at", "taken_at", "taken_by", "summary", "pk"]

    @admin.display(description="Progress at the time")
    def summary(self, snapshot):
        tally = snapshot.data.get("tally", {})
        return (
            f"{tally.get('complete', 0)} of {tally.get('total', 0)} tasks complete, "
            f"{tally.get('underway', 0)} underway, {tally.get('planned', 0)} planned, "
            f"{tally.get('overdue', 0)} overdue"
        )

    def has_add_permission(self, request):
        return False  # taken from the plan (action "Take a snapshot")

    def has_delete_permission(self, request, obj=None):
        return False

"""Public pages of the plan, the task pages (with the officers' one-step update), the
councillors' and officers' dashboard, and the snapshots reported to meetings.

The live plan is read only once published (officers also see drafts); a snapshot only
through committee.gate.structured_readable, the one gate for papers."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from committee import gate
from core.exports import SafeTableExport
from core.text import person_name

from . import selectors, services
from .forms import ProgressUpdateForm, TaskFilterForm
from .models import STATUS_MEANINGS, KeyTask, Status
from .tables import KeyTaskExportTable

UPDATE_PERMISSION = "send_actions.add_progressupdate"


def _not_public(response):
    """Pages only officers or councillors can see are kept out of shared caches and search."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def index(request):
    reader = gate.reader_for(request.user)
    today = timezone.localdate()
    return render(
        request,
        "send_actions/index.html",
        {
            "summaries": selectors.plan_summaries(reader, today),
            "today": today,
            "may_see_dashboard": selectors.may_see_dashboard(request.user),
        },
    )


@require_GET
def plan_detail(request, slug):
    reader = gate.reader_for(request.user)
    plan = selectors.plan_for_reader(slug, reader)
    today = timezone.localdate()
    tables = selectors.plan_tables(plan, today)
    form = TaskFilterForm(request.GET or None, groups=tables.groups, areas=tables.areas)
    status, group, area = "", None, None
    if form.is_bound and form.is_valid():
        status, group, area = (form.cleaned_data[name] for name in ("status", "group", "area"))
    response = render(
        request,
        "send_actions/plan_detail.html",
        {
            "plan": plan,
            "tables": tables,
            "shown": selectors.filter_tables(tables, status=status, group=group, area=area),
            "filtering": bool(status or group or area),
            "form": form,
            "statuses": STATUS_KEY,
            "snapshots": selectors.snapshots_for_plan(plan, reader),
            "may_see_dashboard": selectors.may_see_dashboard(request.user),
        },
    )
    return response if plan.is_published else _not_public(response)


@require_GET
def plan_export(request, slug, fmt):
    if fmt not in (SafeTableExport.CSV, SafeTableExport.XLSX):
        raise Http404("No such format")
    reader = gate.reader_for(request.user)
    plan = selectors.plan_for_reader(slug, reader)
    today = timezone.localdate()
    table = KeyTaskExportTable.for_plan(selectors.plan_tables(plan, today))
    exporter = SafeTableExport(fmt, table, dataset_kwargs={"title": "Key tasks"})
    response = exporter.response(f"{plan.slug}-key-tasks-{today.isoformat()}.{fmt}")
    return response if plan.is_published else _not_public(response)


def _task_page(request, plan, code, form=None, status=200):
    today = timezone.localdate()
    task, updates = selectors.task_detail(plan, code, today)
    if form is None and request.user.has_perm(UPDATE_PERMISSION):
        form = ProgressUpdateForm(task=task, initial={"made_by": person_name(request.user), "status": task.status})
    response = render(
        request,
        "send_actions/task_detail.html",
        {
            "plan": plan,
            "task": task,
            "areas": selectors.task_areas(task),
            "updates": updates,
            "today": today,
            "form": form,
            "status_meaning": STATUS_MEANINGS[task.status],
        },
        status=status,
    )
    return response if plan.is_published else _not_public(response)


@require_GET
def task_detail(request, slug, code):
    reader = gate.reader_for(request.user)
    plan = selectors.plan_for_reader(slug, reader)
    return _task_page(request, plan, code)


@require_POST
def task_add_update(request, slug, code):
    """The officer's one step: record the task's progress from its own page."""
    if not request.user.has_perm(UPDATE_PERMISSION):
        raise PermissionDenied
    reader = gate.reader_for(request.user)
    plan = selectors.plan_for_reader(slug, reader)
    task = get_object_or_404(KeyTask, plan=plan, code=code)
    form = ProgressUpdateForm(request.POST, task=task)
    if form.is_valid():
        try:
            services.progress_update_add(task=task, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Progress of {task.code} recorded.")
            return redirect(f"{task.get_absolute_url()}#history")
    return _task_page(request, plan, code, form=form, status=400)


@require_GET
def dashboard(request, slug):
    """Progress across the groups, and how it changed since the last report."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.may_see_dashboard(request.user):
        raise PermissionDenied
    reader = gate.reader_for(request.user)
    plan = selectors.plan_for_reader(slug, reader)
    data = selectors.dashboard(plan, reader, timezone.localdate())
    return _not_public(render(request, "send_actions/dashboard.html", {"plan": plan, "dashboard": data}))


@require_GET
def snapshot_detail(request, pk):
    """A snapshot as it was reported, for whoever may read the report it is attached to."""
    reader = gate.reader_for(request.user)
    snapshot = selectors.snapshot_for_reader(pk, reader)
    reported_in = gate.appendices_carrying(reader, snapshot)
    response = render(
        request,
        "send_actions/snapshot_detail.html",
        {**selectors.snapshot_appendix_context(snapshot), "medium": "web", "reported_in": reported_in},
    )
    return response if selectors.snapshot_is_public(snapshot.pk) else _not_public(response)


STATUS_KEY = [(Status(value).label, meaning) for value, meaning in STATUS_MEANINGS.items()]

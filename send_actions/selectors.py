"""Reads for the published plan, the task pages, the dashboard, the exports and the pack.

`plan_tables` turns the live plan into `PlanTables`: working groups, their actions, each
action's key tasks with their progress as of a date, and a tally of progress at every level.
A snapshot stores the same structure as JSON (services.plan_snapshot_take), and
`snapshot_tables` reads it back, so the public page, the dashboard and the pack's appendix
all show one shape and one set of rules.

Who may see what: the live plan once an officer has published it (officers see drafts);
a snapshot only through committee.gate.structured_readable, the one gate for papers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.safestring import mark_safe

from committee import gate
from committee.models import Member
from core.richtext import sanitise

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
    month_or_day_display,
    month_or_day_iso,
)

# Bumped if the shape of PlanTables changes, so that old snapshots can still be read.
SNAPSHOT_SCHEMA = 1
OVERDUE = "overdue"  # the status filter's extra choice
RICH_TEXT_FIELDS = ("introduction", "delivery", "governance", "key_terms", "working_groups_note")


@dataclass
class Tally:
    total: int = 0
    complete: int = 0
    underway: int = 0
    planned: int = 0
    overdue: int = 0

    def count(self, task: TaskRow) -> None:
        self.total += 1
        setattr(self, task.status, getattr(self, task.status) + 1)
        self.overdue += task.is_overdue

    @property
    def percent_complete(self) -> int:
        return round(100 * self.complete / self.total) if self.total else 0


@dataclass
class TaskRow:
    code: str
    description: str
    due_display: str
    due_iso: str
    original_due_display: str  # "" unless the date to complete was changed
    due_change_reason: str
    expected_outcome: str
    status: str
    status_label: str
    is_overdue: bool
    completed_display: str
    completed_iso: str
    see_also: list[str]
    group_number: int
    action_letter: str
    url: str = ""  # the live task page; empty in a snapshot


@dataclass
class AreaRef:
    number: int
    text: str


@dataclass
class ActionBlock:
    group_number: int
    letter: str
    statement: str  # as the Working Group Actions overview states it
    wording: str  # as the head of the group's table words it
    areas: list[AreaRef]
    tasks: list[TaskRow]
    tally: Tally = field(default_factory=Tally)

    @property
    def anchor(self) -> str:
        return f"group-{self.group_number}-action-{self.letter}"


@dataclass
class GroupBlock:
    number: int
    name: str
    lead_name: str
    lead_role: str
    actions: list[ActionBlock]
    tally: Tally = field(default_factory=Tally)

    @property
    def title(self) -> str:
        return f"Working Group {self.number}: {self.name}"

    @property
    def anchor(self) -> str:
        return f"group-{self.number}"

    @property
    def lead_display(self) -> str:
        return f"{self.lead_name} ({self.lead_role})" if self.lead_role else self.lead_name

    @property
    def tasks_heading(self) -> str:
        """The head of the group's table: "Key tasks to address actions A - C" / "H & I"."""
        letters = [action.letter for action in self.actions]
        if len(letters) == 1:
            return f"Key tasks to address action {letters[0]}"
        if len(letters) == 2:
            return f"Key tasks to address actions {letters[0]} & {letters[1]}"
        return f"Key tasks to address actions {letters[0]} - {letters[-1]}" if letters else "Key tasks"


@dataclass
class GovernanceNode:
    """A box of the governance diagram: a board, committee or working group, and the boxes
    that report to it. `reports_to` names the box above (the text alternative says it)."""

    name: str
    purpose: str = ""
    chair: str = ""
    lead: str = ""  # a working group's lead
    reports_to: str = ""
    is_working_group: bool = False
    children: list[GovernanceNode] = field(default_factory=list)

    @classmethod
    def from_data(cls, data: dict) -> GovernanceNode:
        return cls(**{**data, "children": [cls.from_data(child) for child in data.get("children", [])]})


@dataclass
class AreaRow:
    number: int
    text: str
    actions: list[str]


@dataclass
class PlanTables:
    schema: int
    slug: str
    title: str
    full_title: str
    kind_label: str
    dated_display: str
    inspection: str
    inspection_dates: str
    submitted_display: str
    accepted_display: str
    senior_leadership_owners: str
    senior_officer_support_owners: str
    introduction: str
    delivery: str
    governance: str
    key_terms: str
    working_groups_note: str
    on_iso: str  # progress is as of this date
    on_display: str
    areas: list[AreaRow]
    groups: list[GroupBlock]
    tally: Tally = field(default_factory=Tally)
    shown: int = 0  # tasks left after filtering
    # The boxes at the top of the governance diagram (a snapshot taken before the plan
    # kept its governance structure has none).
    governance_structure: list[GovernanceNode] = field(default_factory=list)
    governance_structure_title: str = ""

    def as_data(self) -> dict:
        data = asdict(self)
        for group in data["groups"]:
            for action in group["actions"]:
                for task in action["tasks"]:
                    task["url"] = ""  # a snapshot does not point into the live plan
        return data

    @classmethod
    def from_data(cls, data: dict) -> PlanTables:
        data = dict(data)
        for name in RICH_TEXT_FIELDS:
            # Copied from sanitised fields; cleaned again because it is read back as HTML.
            data[name] = mark_safe(sanitise(data.get(name, "")))  # noqa: S308 - sanitised
        data["areas"] = [AreaRow(**area) for area in data["areas"]]
        data["groups"] = [
            GroupBlock(
                **{
                    **group,
                    "tally": Tally(**group["tally"]),
                    "actions": [
                        ActionBlock(
                            **{
                                **action,
                                "tally": Tally(**action["tally"]),
                                "areas": [AreaRef(**area) for area in action["areas"]],
                                "tasks": [TaskRow(**task) for task in action["tasks"]],
                            }
                        )
                        for action in group["actions"]
                    ],
                }
            )
            for group in data["groups"]
        ]
        data["tally"] = Tally(**data["tally"])
        data["governance_structure"] = [GovernanceNode.from_data(n) for n in data.get("governance_structure", [])]
        return cls(**data)

    def tasks(self) -> list[TaskRow]:
        return [task for group in self.groups for action in group.actions for task in action.tasks]


def _day(value: date | None) -> str:
    return month_or_day_display(value, "day")


def _dates(start: date | None, end: date | None) -> str:
    if start and end and start != end:
        return f"{_day(start)} to {_day(end)}"
    return _day(start or end)


# The live plan -----------------------------------------------------------------------------


def plans_for_reader(reader: gate.Reader) -> QuerySet[ActionPlan]:
    """Published plans for everyone; officers also see plans not yet published."""
    plans = ActionPlan.objects.all()
    return plans if reader.is_officer else plans.published()


def plan_for_reader(slug: str, reader: gate.Reader) -> ActionPlan:
    try:
        return plans_for_reader(reader).get(slug=slug)
    except ActionPlan.DoesNotExist as exc:
        raise Http404("No such plan") from exc


def plan_summaries(reader: gate.Reader, on: date) -> list[tuple[ActionPlan, Tally]]:
    """Each plan the reader may see, with the tally of its tasks' progress (two queries)."""
    plans = list(plans_for_reader(reader))
    tallies = {plan.pk: Tally() for plan in plans}
    rows = KeyTask.objects.filter(plan__in=plans).with_status(on).values_list("plan_id", "status", "is_overdue")
    for plan_id, status, is_overdue in rows:
        tally = tallies[plan_id]
        tally.total += 1
        setattr(tally, status, getattr(tally, status) + 1)
        tally.overdue += is_overdue
    return [(plan, tallies[plan.pk]) for plan in plans]


def plan_tables(plan: ActionPlan, on: date) -> PlanTables:
    """The whole plan with every task's progress as of `on`.

    Queries (the same for any number of groups, actions and tasks):
    1 areas of concern, 2 the actions each addresses, 3 working groups,
    4 working group actions with their action, 5 the areas each action addresses,
    6 key tasks with their status as of `on`, 7 their cross references, 8 the governance
    bodies.
    """
    areas = list(
        AreaOfConcern.objects.filter(plan=plan).prefetch_related(
            Prefetch("actions", queryset=Action.objects.order_by("letter"))
        )
    )
    groups = list(WorkingGroup.objects.filter(plan=plan).order_by("number"))
    group_actions = list(
        WorkingGroupAction.objects.filter(working_group__plan=plan)
        .select_related("action")
        .prefetch_related(Prefetch("action__areas_of_concern", queryset=AreaOfConcern.objects.order_by("number")))
        .order_by("working_group__number", "action__letter")
    )
    tasks = list(
        KeyTask.objects.filter(plan=plan)
        .with_status(on)
        .prefetch_related(Prefetch("see_also", queryset=KeyTask.objects.only("pk", "code")))
    )
    tasks.sort(key=lambda task: task.sort_key)
    tasks_by_group_action: dict[int, list[KeyTask]] = {}
    for task in tasks:
        tasks_by_group_action.setdefault(task.group_action_id, []).append(task)

    groups_by_pk = {group.pk: group for group in groups}
    actions_by_group: dict[int, list[ActionBlock]] = {group.pk: [] for group in groups}
    for group_action in group_actions:
        group = groups_by_pk[group_action.working_group_id]
        block = ActionBlock(
            group_number=group.number,
            letter=group_action.action.letter,
            statement=group_action.statement,
            wording=group_action.wording or group_action.statement,
            areas=[AreaRef(area.number, area.text) for area in group_action.action.areas_of_concern.all()],
            tasks=[
                _task_row(task, plan, group.number, group_action.action.letter)
                for task in tasks_by_group_action.get(group_action.pk, [])
            ],
        )
        actions_by_group[group.pk].append(block)

    total = Tally()
    group_blocks = []
    for group in groups:
        block = GroupBlock(
            number=group.number,
            name=group.name,
            lead_name=group.lead_name,
            lead_role=group.lead_role,
            actions=actions_by_group[group.pk],
        )
        for action in block.actions:
            for task in action.tasks:
                action.tally.count(task)
                block.tally.count(task)
                total.count(task)
        group_blocks.append(block)

    return PlanTables(
        schema=SNAPSHOT_SCHEMA,
        slug=plan.slug,
        title=plan.title,
        full_title=plan.full_title,
        kind_label=plan.get_kind_display(),
        dated_display=plan.dated_display,
        inspection=plan.inspection,
        inspection_dates=_dates(plan.inspection_started_on, plan.inspection_ended_on),
        submitted_display=_day(plan.submitted_on),
        accepted_display=_day(plan.accepted_on),
        senior_leadership_owners=plan.senior_leadership_owners,
        senior_officer_support_owners=plan.senior_officer_support_owners,
        introduction=plan.introduction,
        delivery=plan.delivery,
        governance=plan.governance,
        key_terms=plan.key_terms,
        working_groups_note=plan.working_groups_note,
        on_iso=on.isoformat(),
        on_display=_day(on),
        areas=[AreaRow(area.number, area.text, [action.letter for action in area.actions.all()]) for area in areas],
        groups=group_blocks,
        tally=total,
        shown=total.total,
        governance_structure=governance_structure(plan, groups),
        governance_structure_title=plan.governance_structure_title,
    )


def governance_structure(plan: ActionPlan, groups: list[WorkingGroup]) -> list[GovernanceNode]:
    """The plan's governance bodies as a tree (one query): each body with the bodies and
    then the working groups that report to it, the top bodies first. The forms refuse a
    loop; a body caught in one all the same (written around them) is left out rather than
    followed for ever."""
    bodies = list(GovernanceBody.objects.filter(plan=plan).order_by("order", "name"))
    names = {body.pk: body.name for body in bodies}
    below: dict[int | None, list[GovernanceBody]] = {}
    for body in bodies:
        below.setdefault(body.reports_to_id if body.reports_to_id in names else None, []).append(body)
    groups_below: dict[int, list[WorkingGroup]] = {}
    for group in groups:
        if group.reports_to_id in names:
            groups_below.setdefault(group.reports_to_id, []).append(group)

    def node(body: GovernanceBody, seen: frozenset[int]) -> GovernanceNode:
        seen = seen | {body.pk}
        children = [node(child, seen) for child in below.get(body.pk, []) if child.pk not in seen]
        children += [
            GovernanceNode(name=str(group), lead=group.lead_display, reports_to=body.name, is_working_group=True)
            for group in groups_below.get(body.pk, [])
        ]
        return GovernanceNode(
            name=body.name,
            purpose=body.purpose,
            chair=body.chair,
            reports_to=names.get(body.reports_to_id, ""),
            children=children,
        )

    return [node(body, frozenset()) for body in below.get(None, [])]


def _task_row(task: KeyTask, plan: ActionPlan, group_number: int, letter: str) -> TaskRow:
    return TaskRow(
        code=task.code,
        description=task.description,
        due_display=task.due_display,
        due_iso=month_or_day_iso(task.due_date, task.due_precision),
        original_due_display=task.original_due_display if task.due_changed else "",
        due_change_reason=task.due_change_reason if task.due_changed else "",
        expected_outcome=task.expected_outcome,
        status=task.status,
        status_label=Status(task.status).label,
        is_overdue=task.is_overdue,
        completed_display=_day(task.completed_on),
        completed_iso=task.completed_on.isoformat() if task.completed_on else "",
        see_also=sorted((other.code for other in task.see_also.all()), key=_code_key),
        group_number=group_number,
        action_letter=letter,
        url=reverse("send_actions:task-detail", args=[plan.slug, task.code]),
    )


def _code_key(code: str) -> tuple[str, int]:
    letters = code.rstrip("0123456789")
    return letters, int(code[len(letters) :] or 0)


def filter_tables(
    tables: PlanTables, *, status: str = "", group: int | None = None, area: int | None = None
) -> PlanTables:
    """The tables with only the tasks that match; tallies still count every task, so the
    progress bars say the same whatever is filtered. An area of concern keeps the tasks of
    the actions that address it."""

    def keep(task: TaskRow) -> bool:
        if status == OVERDUE:
            return task.is_overdue
        return not status or task.status == status

    def addresses_area(action: ActionBlock) -> bool:
        return area is None or any(ref.number == area for ref in action.areas)

    groups = []
    shown = 0
    for block in tables.groups:
        if group is not None and block.number != group:
            continue
        actions = [
            replace(action, tasks=[t for t in action.tasks if keep(t)] if addresses_area(action) else [])
            for action in block.actions
        ]
        shown += sum(len(action.tasks) for action in actions)
        groups.append(replace(block, actions=actions))
    return replace(tables, groups=groups, shown=shown)


def task_detail(plan: ActionPlan, code: str, on: date) -> tuple[KeyTask, list[ProgressUpdate]]:
    """A task with its progress as of `on`, and its history, newest first (3 queries:
    the task, its cross references, its updates)."""
    try:
        task = (
            KeyTask.objects.filter(plan=plan, code=code)
            .with_status(on)
            .select_related("group_action__working_group", "group_action__action")
            .prefetch_related(
                Prefetch("see_also", queryset=KeyTask.objects.only("pk", "code", "description").order_by("code")),
            )
            .get()
        )
    except KeyTask.DoesNotExist as exc:
        raise Http404("No such task") from exc
    task.status_label = Status(task.status).label
    updates = list(task.progress_updates.order_by("-as_of", "-pk"))
    for update in updates:
        update.is_current = False
    current = next((u for u in updates if u.as_of <= on), None)
    if current is not None:
        current.is_current = True
    return task, updates


def task_areas(task: KeyTask) -> list[AreaOfConcern]:
    return list(task.group_action.action.areas_of_concern.order_by("number"))


# Snapshots ---------------------------------------------------------------------------------


def snapshot_tables(snapshot: PlanSnapshot) -> PlanTables:
    return PlanTables.from_data(snapshot.data)


def snapshot_appendix_context(snapshot: PlanSnapshot, reader=None) -> dict:
    """The context of the "action plan" structured appendix: no query, the snapshot is frozen."""
    return {"snapshot": snapshot, "plan": snapshot_tables(snapshot)}


def snapshot_for_reader(pk: int, reader: gate.Reader) -> PlanSnapshot:
    try:
        return gate.structured_readable(reader, PlanSnapshot).get(pk=pk)
    except PlanSnapshot.DoesNotExist as exc:
        raise Http404("No such report") from exc


def snapshot_is_public(pk: int) -> bool:
    return gate.structured_readable(gate.Reader.public(), PlanSnapshot).filter(pk=pk).exists()


def snapshots_for_plan(plan: ActionPlan, reader: gate.Reader) -> QuerySet[PlanSnapshot]:
    """The snapshots of the plan this reader may see (those reported in papers they may read)."""
    return (
        gate.structured_readable(reader, PlanSnapshot).filter(plan=plan).order_by("-as_at", "-taken_at").defer("data")
    )


# The dashboard -----------------------------------------------------------------------------


def may_see_dashboard(user) -> bool:
    """Officers (staff) and councillors."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or Member.objects.filter(user=user).exists()


@dataclass
class Comparison:
    key: str  # "1" for a working group, "C" for an action
    title: str
    now: Tally
    then: Tally | None

    @property
    def complete_change(self) -> int | None:
        return None if self.then is None else self.now.complete - self.then.complete


@dataclass
class TaskChange:
    code: str
    description: str
    url: str
    was: str  # status label at the last report, "" if the task is new
    now: str
    was_overdue: bool
    now_overdue: bool


@dataclass
class Dashboard:
    live: PlanTables
    snapshot: PlanSnapshot | None
    reported: PlanTables | None
    groups: list[Comparison]
    actions: list[Comparison]
    changes: list[TaskChange]
    newly_overdue: list[TaskRow]


def action_tallies(tables: PlanTables) -> dict[str, Tally]:
    """Progress of each action across every group working on it (Action C has two)."""
    tallies: dict[str, Tally] = {}
    for group in tables.groups:
        for action in group.actions:
            tally = tallies.setdefault(action.letter, Tally())
            for task in action.tasks:
                tally.count(task)
    return dict(sorted(tallies.items()))


def dashboard(plan: ActionPlan, reader: gate.Reader, on: date) -> Dashboard:
    """The live plan compared with the latest snapshot this reader may see (the last report)."""
    live = plan_tables(plan, on)
    snapshot = gate.structured_readable(reader, PlanSnapshot).filter(plan=plan).order_by("-as_at", "-taken_at").first()
    reported = snapshot_tables(snapshot) if snapshot else None

    then_groups = {group.number: group.tally for group in reported.groups} if reported else {}
    groups = [
        Comparison(str(group.number), group.title, group.tally, then_groups.get(group.number) if reported else None)
        for group in live.groups
    ]
    then_actions = action_tallies(reported) if reported else {}
    actions = [
        Comparison(letter, f"Action {letter}", tally, then_actions.get(letter) if reported else None)
        for letter, tally in action_tallies(live).items()
    ]

    changes: list[TaskChange] = []
    newly_overdue: list[TaskRow] = []
    if reported:
        before = {task.code: task for task in reported.tasks()}
        for task in live.tasks():
            old = before.get(task.code)
            if old is None or old.status != task.status:
                changes.append(
                    TaskChange(
                        code=task.code,
                        description=task.description,
                        url=task.url,
                        was=old.status_label if old else "",
                        now=task.status_label,
                        was_overdue=bool(old and old.is_overdue),
                        now_overdue=task.is_overdue,
                    )
                )
            if task.is_overdue and not (old and old.is_overdue):
                newly_overdue.append(task)
    return Dashboard(live, snapshot, reported, groups, actions, changes, newly_overdue)


def overdue_key_tasks(on: date) -> QuerySet[KeyTask]:
    """Key tasks past their date to complete and not complete as of `on` (for the officer's
    dashboard): one query."""
    return KeyTask.objects.overdue(on).select_related("plan").order_by("due_date", "plan_id", "code")


def snapshot_choice_label(snapshot: PlanSnapshot) -> str:
    """How an officer attaching it recognises a plan snapshot: the plan, then the snapshot's
    own label ("As reported to ..., 27 June 2018")."""
    return f"{snapshot.plan.full_title}: {snapshot.label}"

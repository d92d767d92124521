"""Load the seed's SEND Written Statement of Action (send_actions/demo_data/wsoa.toml).

The whole plan: areas of concern 1-12, the governance structure, the five working groups
and their leads, actions A-L, every key task with its date to complete, expected outcome and the seed's progress.
The seed gives one status per task, as at the WSoA's date (May 2018); the demo records it
as one progress update dated 1 May 2018 by the SEND Partnership Board, and invents no
progress after it. The plan is published, and a snapshot "as reported" to the meeting of
27 June 2018 is attached as Appendix 'B' of the Quarterly Corporate Performance Monitoring
Report.

Idempotent: if the plan is already there nothing is changed (an officer may have edited it).
"""

import tomllib
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from committee import demo as committee_demo
from committee import services as committee_services
from committee.models import Appendix

from . import services
from .models import (
    Action,
    ActionPlan,
    AreaOfConcern,
    DatePrecision,
    GovernanceBody,
    KeyTask,
    Status,
    WorkingGroup,
    WorkingGroupAction,
    parse_month,
)

DEMO_FILE = Path(__file__).parent / "demo_data" / "wsoa.toml"
SEED_UPDATE_DATE = date(2018, 5, 1)  # the WSoA's date: "May 2018"
SEED_UPDATE_BY = "SEND Partnership Board"
REPORT_TITLE = "Quarterly Corporate Performance Monitoring Report"
MEETING = "2018-06-27"
STATUS_BY_LABEL = {label: value for value, label in Status.choices}


def load(*, stdout=None) -> bool:
    data = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
    if ActionPlan.objects.filter(slug=data["plan"]["slug"]).exists():
        return False
    with transaction.atomic():
        plan = load_plan(data)
        services.plan_publish(plan=plan)
        _attach_to_report(plan)
    return True


def load_plan(data: dict) -> ActionPlan:
    """Create the plan from the parsed demo file (also used by the tests)."""
    p = data["plan"]
    plan = ActionPlan(
        title=p["title"],
        slug=p["slug"],
        kind=p["kind"],
        dated=parse_month(p["dated"]),
        dated_precision=DatePrecision.MONTH,
        inspection=p.get("inspection", ""),
        inspection_started_on=p.get("inspection_started_on"),
        inspection_ended_on=p.get("inspection_ended_on"),
        submitted_on=p.get("submitted_on"),
        accepted_on=p.get("accepted_on"),
        senior_leadership_owners=p.get("senior_leadership_owners", ""),
        senior_officer_support_owners=p.get("senior_officer_support_owners", ""),
        introduction=p.get("introduction", ""),
        delivery=p.get("delivery", ""),
        governance=p.get("governance", ""),
        key_terms=p.get("key_terms", ""),
        governance_structure_title=p.get("governance_structure_title", ""),
        working_groups_note=p.get("working_groups_note", ""),
    )
    plan.full_clean()
    plan.save()
    bodies = _load_governance(plan, data.get("governance", []))
    areas = {}
    for a in data["areas"]:
        areas[a["number"]] = AreaOfConcern.objects.create(plan=plan, number=a["number"], text=a["text"])
    actions: dict[str, Action] = {}
    tasks: dict[str, KeyTask] = {}
    cross_references: list[tuple[KeyTask, list[str]]] = []
    for g in data["groups"]:
        group = WorkingGroup.objects.create(
            plan=plan,
            number=g["number"],
            name=g["name"],
            lead_name=g["lead_name"],
            lead_role=g.get("lead_role", ""),
            reports_to=bodies[g["reports_to"]] if g.get("reports_to") else None,
        )
        for a in g["actions"]:
            # Action C is worked on by two groups: one action, two groups' parts of it.
            action = actions.get(a["letter"])
            if action is None:
                action = actions[a["letter"]] = Action.objects.create(plan=plan, letter=a["letter"])
            action.areas_of_concern.add(*(areas[n] for n in a["areas"]))
            group_action = WorkingGroupAction.objects.create(
                working_group=group, action=action, statement=a["statement"], wording=a.get("wording", "")
            )
            for t in a["tasks"]:
                task = services.key_task_save(
                    task=KeyTask(
                        plan=plan,
                        group_action=group_action,
                        code=t["code"],
                        description=t["description"],
                        due_date=parse_month(t["due"]),
                        due_precision=DatePrecision.MONTH,
                        expected_outcome=t["expected_outcome"],
                    )
                )
                tasks[task.code] = task
                if t.get("see_also"):
                    cross_references.append((task, t["see_also"]))
                services.progress_update_add(
                    task=task,
                    as_of=SEED_UPDATE_DATE,
                    status=STATUS_BY_LABEL[t["progress"]],
                    # The seed says only that these were complete by the WSoA's date.
                    completed_on=SEED_UPDATE_DATE if t["progress"] == Status.COMPLETE.label else None,
                    made_by=SEED_UPDATE_BY,
                    narrative="Progress as published in the Written Statement of Action (May 2018).",
                )
    for task, codes in cross_references:
        task.see_also.add(*(tasks[code] for code in codes))
    return plan


def _load_governance(plan: ActionPlan, rows: list[dict]) -> dict[str, GovernanceBody]:
    """The governance bodies, then whom each reports to (named in the file)."""
    bodies = {
        row["name"]: GovernanceBody.objects.create(
            plan=plan, name=row["name"], purpose=row.get("purpose", ""), chair=row.get("chair", ""), order=row["order"]
        )
        for row in rows
    }
    for row in rows:
        if row.get("reports_to"):
            body = bodies[row["name"]]
            body.reports_to = bodies[row["reports_to"]]
            body.full_clean()
            body.save(update_fields=["reports_to"])
    return bodies


def _attach_to_report(plan: ActionPlan) -> None:
    report = committee_demo.demo_report(REPORT_TITLE)
    meeting = committee_demo.demo_meeting(MEETING)
    day = timezone.localtime(meeting.starts_at).date()
    snapshot = services.plan_snapshot_take(
        plan=plan,
        label=f"As reported to the {meeting.committee.name}, {day.day} {day:%B %Y}",
        as_at=day,
    )
    committee_services.structured_appendix_attach(
        report=report,
        row=snapshot,
        placement=Appendix.Placement.APPENDIX,
        letter="B",
        order=2,  # between 'A' (order 1) and 'C' (order 2, after 'B' by letter)
        title=plan.full_title,
        by=None,
    )

"""Every rule the database enforces is checked in the admin's forms first: a form that
breaks one comes back (status 200) with the message and everything typed, and nothing is
saved; never an error page.

The test walks every Meta.constraints of every model an admin form edits (its own page or
an inline), so a constraint added later fails here until a case below breaks it through a
form, or NOT_REACHABLE says why no form can."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client

from alerts.models import Webhook
from committee import db_rules
from committee.models import Appendix, Attendance, Meeting, Minutes
from core.admin_helpers import WrittenByServicesMixin
from interests.models import Declaration, Dispensation, Interest
from performance.models import Comparator, Directorate, ReportingPeriod, Target
from risks import services as risk_services
from send_actions.models import Action, GovernanceBody, WorkingGroup
from tests.decisions.admin_cases import NOT_REACHABLE as DECISIONS_NOT_REACHABLE
from tests.decisions.admin_cases import cases as decision_cases
from tests.factories import (
    AgendaItemFactory,
    CommitteeFactory,
    MeetingFactory,
    MemberFactory,
    MembershipFactory,
    OfficerFactory,
    ReportFactory,
    VenueFactory,
)
from tests.performance.factories import MeasureFactory, PeriodFactory, fy, value
from tests.risks.conftest import make_entry
from tests.send_actions.plans import make_plan, task

from .admin_pages import add_url, admin_models, change_url, form_data

pytestmark = pytest.mark.django_db

NOT_REACHABLE = {
    "committee.meeting_status_valid": "The status is read-only on the meeting's page; only the lifecycle services set it.",
    "committee.meeting_published_has_date": "Status and publication date are read-only; publishing sets both at once.",
    "risks.snapshot_unique_period": "The period is read-only on a snapshot's page; snapshots are taken on the "
    "register's 'Take a quarterly snapshot' page, whose service refuses a period already taken.",
    **{
        f"risks.{name}": "A snapshot's entries show their scores, reference, position, kind and direction read-only; "
        "only the snapshot service writes them."
        for name in [
            *(
                f"risks_snapshotentry_{position}_{rule}"
                for position in ("inherent", "residual")
                for rule in ("likelihood_1_5", "impact_1_5", "rated_in_pairs", "score_possible", "score_is_product")
            ),
            "snapshotentry_unique_reference",
            "snapshotentry_unique_position",
            "snapshotentry_kind_valid",
            "snapshotentry_direction_valid",
        ]
    },
}


def add_row(data: dict, prefix: str, **fields) -> dict:
    """A new inline row, as the admin's "Add another" makes it."""
    index = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data = {**data, f"{prefix}-TOTAL_FORMS": [str(index + 1)]}
    for name, typed in fields.items():
        data[f"{prefix}-{index}-{name}"] = typed if isinstance(typed, list) else [str(typed)]
    return data


def change(obj, **fields):
    return change_url(obj), lambda data: {
        **data,
        **{k: v if isinstance(v, list) else [str(v)] for k, v in fields.items()},
    }


def add(model, **fields):
    return add_url(model), lambda data: {
        **data,
        **{k: v if isinstance(v, list) else [str(v)] for k, v in fields.items()},
    }


def rows(obj, prefix, *new_rows):
    def edit(data):
        for row in new_rows:
            data = add_row(data, prefix, **row)
        return data

    return change_url(obj), edit


def _appendix(**fields):
    defaults = {"report": ReportFactory(), "title": "Letter", "letter": "A", "kind": "rich_text", "body": "<p>x</p>"}
    return Appendix.objects.create(**{**defaults, **fields})


def _two_items():
    meeting = MeetingFactory()
    return AgendaItemFactory(meeting=meeting, order=1, number="1"), AgendaItemFactory(
        meeting=meeting, order=2, number="2"
    )


def _plan_with_board():
    plan = make_plan()
    GovernanceBody.objects.create(plan=plan, name="SEND Partnership Board")
    return plan


def _register():
    return risk_services.register_create(name="Corporate Risk Register", slug="corporate")


def _snapshot():
    register = _register()
    make_entry(register, "CR1")
    return risk_services.snapshot_take(register=register, period_label="Q1 2018/19", by=None)


def _entry(**fields):
    return change(make_entry(_register(), "CR1"), **fields)


SELECT_A_VALID_CHOICE = "Select a valid choice"
SCORE_POSSIBLE = "A score is likelihood x impact, so one of 1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25"

# constraint -> () -> (url, edit of the posted form[, the message expected when it is not
# the constraint's own: a check of the form that comes first and says more])
CASES = {
    "committee.membership_ends_after_start": lambda: rows(
        CommitteeFactory(), "memberships",
        {"member": MemberFactory().pk, "role": "member", "start_date": "2024-05-01", "end_date": "2024-04-01"},
    ),
    "committee.membership_unique_start": lambda: (lambda m: rows(
        m.committee, "memberships", {"member": m.member_id, "role": "member", "start_date": m.start_date.isoformat()}
    ))(MembershipFactory()),
    "committee.officer_unique_name_title": lambda: (lambda o: add(
        type(o), name=o.name, job_title=o.job_title
    ))(OfficerFactory()),
    "committee.venue_unique": lambda: (lambda v: add(type(v), name=v.name, address=v.address))(VenueFactory()),
    "committee.committee_agendaitem_access_basis": lambda: (
        *change(AgendaItemFactory(), access="exempt", public_interest_reasons="Commercially sensitive"),
        "Tick the Schedule 12A paragraphs that make this Part II.",
    ),
    "committee.agendaitem_unique_order": lambda: change(_two_items()[1], order=1),
    "committee.agendaitem_unique_number": lambda: change(_two_items()[1], number="1"),
    "committee.attendance_unique": lambda: (lambda a: rows(
        a.meeting, "attendances", {"member": a.member_id, "status": "present"}
    ))(Attendance.objects.create(meeting=MeetingFactory(), member=MemberFactory())),
    "committee.minute_item_of_own_meeting": lambda: rows(
        Minutes.objects.create(meeting=MeetingFactory()), "entries",
        {"agenda_item": AgendaItemFactory().pk, "text": "<p>Resolved: That the report be noted.</p>"},
    ),
    "committee.attendance_one_chair": lambda: rows(
        MeetingFactory(), "attendances",
        {"member": MemberFactory().pk, "status": "present", "in_the_chair": "on"},
        {"member": MemberFactory().pk, "status": "present", "in_the_chair": "on"},
    ),
    "committee.committee_appendix_access_basis": lambda: (
        *change(_appendix(), access="exempt", paragraphs="3"),
        "Give the public interest reasons for withholding it",
    ),
    "committee.appendix_unique_letter": lambda: (lambda a: change(
        _appendix(report=a.report, letter="B", title="Second"), letter="A"
    ))(_appendix()),
    "committee.appendix_lettered_unless_within": lambda: change(_appendix(), letter=""),
    "committee.appendix_content_matches_kind": lambda: change(_appendix(), body=""),
    "risks.register_prefixes_differ": lambda: change(_register(), opportunity_prefix="CR"),
    "risks.scoreband_unique_name": lambda: (lambda r: rows(
        r, "bands", {"name": r.bands.first().name, "min_score": 1, "max_score": 1, "colour": "#ffffff",
                     "text_colour": "#000000"}
    ))(_register()),
    "risks.scoreband_range": lambda: (lambda r: change(
        r, **{"bands-0-min_score": 9, "bands-0-max_score": 3}
    ))(_register()),
    "risks.risks_entry_inherent_likelihood_1_5": lambda: (*_entry(inherent_likelihood=7), SELECT_A_VALID_CHOICE),
    "risks.risks_entry_inherent_impact_1_5": lambda: (*_entry(inherent_impact=7), SELECT_A_VALID_CHOICE),
    "risks.risks_entry_inherent_rated_in_pairs": lambda: _entry(inherent_likelihood=3, inherent_impact=""),
    "risks.risks_entry_inherent_score_possible": lambda: (*_entry(inherent_score=7), SCORE_POSSIBLE),
    "risks.risks_entry_inherent_score_is_product": lambda: (
        *_entry(inherent_likelihood=2, inherent_impact=3, inherent_score=12),
        "Likelihood 2 x impact 3 is 6, not 12.",
    ),
    "risks.risks_entry_residual_likelihood_1_5": lambda: (*_entry(residual_likelihood=0), SELECT_A_VALID_CHOICE),
    "risks.risks_entry_residual_impact_1_5": lambda: (*_entry(residual_impact=9), SELECT_A_VALID_CHOICE),
    "risks.risks_entry_residual_rated_in_pairs": lambda: _entry(residual_likelihood="", residual_impact=4),
    "risks.risks_entry_residual_score_possible": lambda: (*_entry(residual_score=11), SCORE_POSSIBLE),
    "risks.risks_entry_residual_score_is_product": lambda: (
        *_entry(residual_likelihood=4, residual_impact=4, residual_score=12),
        "Likelihood 4 x impact 4 is 16, not 12.",
    ),
    "risks.entry_unique_reference": lambda: (lambda e: change(
        make_entry(e.register, "CR2"), reference="CR1"
    ))(make_entry(_register(), "CR1")),
    "risks.entry_kind_valid": lambda: (*_entry(kind="threat"), SELECT_A_VALID_CHOICE),
    "risks.snapshotsummary_threshold_1_25": lambda: (
        *add(apps.get_model("risks.snapshotsummary"), snapshot=_snapshot().pk, threshold=30),
        "Ensure this value is less than or equal to 25.",
    ),
    "risks.snapshotsummary_unique": lambda: (lambda s: add(
        type(s), snapshot=s.snapshot_id, threshold=s.threshold
    ))(risk_services.summary_create(snapshot=_snapshot(), threshold=12)),
    "performance.servicearea_unique_name": lambda: (lambda d: rows(
        d, "service_areas", {"name": "Children's Social Care", "order": 1},
        {"name": "Children's Social Care", "order": 2},
    ))(Directorate.objects.create(name="Education and Children's Services")),
    "performance.reportingperiod_unique_dates": lambda: (lambda p: add(
        ReportingPeriod, kind=p.kind, label="Another 2017/18", start=p.start.isoformat(), end=p.end.isoformat()
    ))(PeriodFactory()),
    "performance.reportingperiod_ends_after_start": lambda: change(PeriodFactory(), end="2017-03-31"),
    "performance.measure_retired_after_introduced": lambda: change(
        MeasureFactory(), introduced="2018-04-01", retired="2017-04-01"
    ),
    "performance.measure_count_not_counted_twice": lambda: (
        *change(MeasureFactory(), unit="count", decimal_places=0, reports_count="on"),
        "A count cannot also report a count: choose the rate or percentage as the unit.",
    ),
    "performance.value_unique_period": lambda: (lambda v: add(
        type(v), measure=v.measure_id, period=v.period_id, value="40.0", decimal_places=1
    ))(value(MeasureFactory(), fy(2017), "32.0", 1)),
    "performance.comparator_unique_period_kind": lambda: (lambda c: add(
        Comparator, measure=c.measure_id, period=c.period_id, kind=c.kind, value="40.0", decimal_places=1
    ))(Comparator.objects.create(measure=MeasureFactory(), period=fy(2017), kind="england", value=30)),
    "performance.target_unique_period": lambda: (lambda t: add(
        Target, measure=t.measure_id, period=t.period_id, value="40.0", decimal_places=1
    ))(Target.objects.create(measure=MeasureFactory(), period=fy(2017), value=30)),
    "send_actions.actionplan_inspection_dates_in_order": lambda: change(
        make_plan(), inspection_started_on="2018-01-29", inspection_ended_on="2018-01-22"
    ),
    "send_actions.areaofconcern_unique_number": lambda: rows(
        make_plan(), "areas_of_concern", {"number": 1, "text": "The same number again."}
    ),
    "send_actions.workinggroup_unique_number": lambda: rows(
        make_plan(), "working_groups", {"number": 1, "name": "Again", "lead_name": "Lead", "lead_role": "Role"}
    ),
    "send_actions.governancebody_unique_name": lambda: (lambda p: rows(
        p, "governance_bodies", {"name": "SEND Partnership Board", "order": 0},
    ))(_plan_with_board()),
    "send_actions.governancebody_not_reporting_to_itself": lambda: (lambda p: change(
        p, **{"governance_bodies-0-reports_to": p.governance_bodies.get().pk},
    ))(_plan_with_board()),
    "send_actions.action_unique_letter": lambda: (lambda p: add(Action, plan=p.pk, letter="A"))(make_plan()),
    "send_actions.workinggroupaction_unique": lambda: (lambda p: rows(
        Action.objects.get(plan=p, letter="A"), "group_actions",
        {"working_group": WorkingGroup.objects.get(plan=p).pk, "statement": "Again", "wording": "Again"},
    ))(make_plan()),
    "send_actions.keytask_unique_code_in_plan": lambda: (lambda p: change(task(p, "A2"), code="A1"))(make_plan()),
    "send_actions.keytask_changed_due_date_has_reason": lambda: (
        *change(task(make_plan(), "A1"), due_date="2019-01-01"),
        "Give the reason for changing the date to complete.",
    ),
    "send_actions.progressupdate_status_valid": lambda: (
        *add(apps.get_model("send_actions.progressupdate"), task=task(make_plan(), "A1").pk, as_of="2018-06-30",
             status="finished"),
        SELECT_A_VALID_CHOICE,
    ),
    "send_actions.progressupdate_complete_has_completion_date": lambda: (
        *add(apps.get_model("send_actions.progressupdate"), task=task(make_plan(), "A1").pk, as_of="2018-06-30",
             status="complete", completed_on=""),
        "Give the date the task was completed.",
    ),
    "send_actions.progressupdate_completed_by_date": lambda: add(
        apps.get_model("send_actions.progressupdate"), task=task(make_plan(), "A1").pk, as_of="2018-06-30",
        status="complete", completed_on="2018-07-31",
    ),
    "interests.interest_sensitive_has_reason": lambda: add(Interest, **_interest(), is_sensitive="on"),
    "interests.interest_gift_has_value": lambda: add(Interest, **{**_interest(), "category": "gift"}),
    "interests.interest_ends_after_it_arose": lambda: add(Interest, **_interest(), ended_on="2018-05-01"),
    "interests.interest_notified_after_it_arose": lambda: add(Interest, **_interest(), notified_on="2018-05-01"),
    "interests.dispensation_ends_after_it_starts": lambda: add(
        Dispensation, member=MemberFactory().pk, for_what="The budget", ground="b", granted_by="Standards Committee",
        granted_on="2018-01-10", valid_from="2018-01-10", valid_to="2018-01-01",
    ),
    "interests.declaration_unique_per_item_member_kind": lambda: (lambda d: add(
        Declaration, agenda_item=d.agenda_item_id, member=d.member_id, kind=d.kind, nature="Again"
    ))(Declaration.objects.create(
        agenda_item=AgendaItemFactory(), member=MemberFactory(), kind="pecuniary", nature="Shares"
    )),
    "interests.declaration_nature_unless_sensitive": lambda: add(
        Declaration, agenda_item=AgendaItemFactory().pk, member=MemberFactory().pk, kind="pecuniary",
        nature="Shares", is_sensitive="on",
    ),
}  # fmt: skip
CASES.update(decision_cases(add, change))
CASES["alerts.alerts_webhook_unique_url"] = lambda: (
    lambda hook: add(Webhook, organisation=hook.organisation, url=hook.url, events=["decision_published"])
)(Webhook.objects.create(organisation="Lancashire Post newsroom", url="https://news.example.org/quorum"))
NOT_REACHABLE["alerts.alerts_webhook_delivery_once"] = (
    "A webhook's deliveries are read-only on its page; only the fan-out writes them, one per event."
)
NOT_REACHABLE.update(DECISIONS_NOT_REACHABLE)


def _interest() -> dict:
    return {"member": MemberFactory().pk, "category": "land", "description": "Home", "arose_on": "2018-05-04"}


def _constraints_behind_admin_forms() -> dict[str, object]:
    """Every constraint of every model that an admin page edits, itself or as an inline row,
    and the rules the database keeps by trigger (committee/db_rules.py)."""
    found = {}
    for model in admin_models():
        model_admin = admin.site._registry[model]
        if isinstance(model_admin, WrittenByServicesMixin):
            continue
        for edited in [model, *(inline.model for inline in model_admin.inlines)]:
            for constraint in [*edited._meta.constraints, *db_rules.rules_of(edited)]:
                found[f"{edited._meta.app_label}.{constraint.name}"] = (edited, constraint)
    return found


def test_every_constraint_is_checked_in_a_form_or_said_to_be_unreachable():
    found = set(_constraints_behind_admin_forms())
    assert found - set(CASES) - set(NOT_REACHABLE) == set(), "constraints without a form check or a reason"
    assert set(CASES) - found == set() and set(NOT_REACHABLE) - found == set(), "cases for constraints that are gone"
    assert set(CASES) & set(NOT_REACHABLE) == set()


def test_every_constraint_has_a_message_an_officer_understands():
    for name, (_, constraint) in _constraints_behind_admin_forms().items():
        assert constraint.violation_error_message != constraint.default_violation_error_message, name


def _everything(models) -> list:
    return [list(model._default_manager.order_by("pk").values()) for model in models]


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_form_breaking_the_rule_comes_back_with_the_message(name, django_user_model):
    model, constraint = _constraints_behind_admin_forms()[name]
    url, edit, *expected = CASES[name]()
    message = expected[0] if expected else constraint.get_violation_error_message()
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("officer"))
    history = [m for m in apps.get_models() if hasattr(m, "instance_type")]
    before = _everything([model, Meeting, *history])
    shown = form_data(client.get(url))
    data = edit(shown)

    response = client.post(url, data)

    assert response.status_code == 200, response
    assert message in response.content.decode().replace("&#x27;", "'")
    assert _everything([model, Meeting, *history]) == before
    if message != SELECT_A_VALID_CHOICE:  # a value that is not among the choices cannot be shown chosen
        again = form_data(response)
        typed = {key for key in data if data[key] != shown.get(key) and not key.endswith("TOTAL_FORMS")}
        assert {key: again.get(key) for key in typed} == {key: data[key] for key in typed}

"""The decisions app's rows of tests/core/test_constraints_in_forms.py: each database rule
broken through its admin form, or the reason no form can break it."""

from datetime import date

from django.utils import timezone

from committee.models import Committee
from decisions.models import CallIn, Decision, DecisionMaker, ForwardPlanEntry, PrivateMeetingNotice
from tests.factories import CommitteeFactory, MeetingFactory, OfficerFactory

from .kit import cabinet_maker, member_maker, scrutiny_members

NOT_REACHABLE = {
    "decisions.forwardplanentry_published_has_date": "Status and notice date are read-only on the entry's page; "
    "publishing the notice sets both at once.",
    "decisions.decisionnotice_implemented_after_publication": "The notice is shown read-only on the decision's "
    "page; only the publishing service writes it, from the clocks.",
}


def _plan(**fields):
    return {
        "reference": "FP/2026/077",
        "title": "Closure of a household waste recycling centre",
        "maker": cabinet_maker().pk,
        "decision_due": "2026-03-02",
        **fields,
    }


def _decision(**fields):
    return {
        "title": "Resurfacing of the A59",
        "maker": member_maker().pk,
        "decided_on": "2025-06-02",
        "decision": "<p>Resolved: to resurface the A59.</p>",
        "access": "public",
        **fields,
    }


def _decision_record():
    return Decision.objects.create(
        maker=member_maker(), title="Resurfacing", decided_on=date(2025, 6, 2), recorded_on=date(2025, 6, 2),
        decision="<p>Resolved.</p>",
    )  # fmt: skip


def _call_in():
    from decisions import services

    made = _decision_record()
    services.decision_publish_notice(decision=made, published_on=date(2025, 6, 2), by=None)
    call_in = CallIn.objects.create(decision=made, requested_on=date(2025, 6, 3), reasons="Too short a consultation")
    call_in.members.set(scrutiny_members(3))
    return call_in


def cases(add, change):
    """`add(model, **fields)` and `change(obj, **fields)` as the core test defines them."""
    return {
        "decisions.forwardplanentry_private_has_reasons": lambda: add(
            ForwardPlanEntry, **_plan(in_private="on", private_reasons="")
        ),
        "decisions.forwardplanentry_period_in_order": lambda: add(
            ForwardPlanEntry, **_plan(decision_due_end="2026-02-01")
        ),
        "decisions.decisionmaker_one_of_kind": lambda: add(DecisionMaker, kind="member", officer=OfficerFactory().pk),
        "decisions.decisionmaker_unique_committee": lambda: (lambda m: add(
            DecisionMaker, kind="committee", committee=m.committee_id
        ))(cabinet_maker(CommitteeFactory(kind=Committee.Kind.CABINET))),
        "decisions.decisionmaker_unique_member_role": lambda: (lambda m: add(
            DecisionMaker, kind="member", member=m.member_id, role=m.role
        ))(member_maker()),
        "decisions.decisionmaker_unique_officer_role": lambda: (lambda m: add(
            DecisionMaker, kind="officer", officer=m.officer_id, role=m.role
        ))(DecisionMaker.objects.create(kind="officer", officer=OfficerFactory(), role="Director of Highways")),
        "decisions.decision_urgent_has_reasons": lambda: add(Decision, **_decision(is_urgent="on")),
        "decisions.decision_key_has_plan_entry": lambda: add(Decision, **_decision(is_key_decision="on")),
        "decisions.decisions_decision_access_basis": lambda: (
            *change(_decision_record(), access="exempt", public_interest_reasons="Commercially sensitive"),
            "Tick the Schedule 12A paragraphs that make this Part II.",
        ),
        "decisions.callin_outcome_has_date": lambda: change(_call_in(), outcome="referred_back", outcome_on=""),
        "decisions.callin_outcome_after_request": lambda: change(
            _call_in(), outcome="referred_back", outcome_on="2025-06-01"
        ),
        "decisions.forwardplanentry_notices_after_recorded": lambda: (
            *add(ForwardPlanEntry, **_plan(exception_notice_on="2020-01-01")),
            "the day this entry was recorded",
        ),
        "decisions.privatemeetingnotice_published_after_recorded": lambda: (
            *(lambda m: add(
                PrivateMeetingNotice, meeting=m.pk, items="Item 9: sale of land", reasons="Paragraph 3",
                published_on="2020-01-01",
            ))(MeetingFactory()),
            "the day this notice was recorded",
        ),
        "decisions.privatemeetingnotice_response_to_representations": lambda: (lambda m: add(
            PrivateMeetingNotice, meeting=m.pk, items="Item 9: sale of land", reasons="Paragraph 3",
            published_on=timezone.localdate().isoformat(), representations="Hold it in public, please.", response="",
        ))(MeetingFactory()),
    }  # fmt: skip

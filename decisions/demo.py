"""The demo's executive decisions (docs/decisions.md).

The seed's minutes (those of 18 April 2018, printed for confirmation in the 27 June 2018
agenda pack) record the cabinet committee's resolutions on its four reports: each becomes a
decision of the committee, taken on its agenda item, not a key decision. The seed does not
say when their notices were published (the demo publishes each on the next working day),
nor the reasons or the alternatives considered (the demo's wording says it is illustrative).
One forward plan entry, labelled illustrative (not from the seed), shows an upcoming key
decision. Idempotent: what is already there is left alone.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from committee import demo as committee_demo
from committee.deadlines import is_working_day
from committee.models import AgendaItem, Minute

from . import services
from .models import Decision, DecisionMaker, ForwardPlanEntry

SEED_MEETING = "2018-04-18"
ILLUSTRATIVE_REFERENCE = "FP/DEMO/1"
# The seed's minutes record each resolution, not its reasons or the options considered: the
# record of a decision needs both (regs 12-13), so the demo gives them, marked on the page as
# the demo's illustration (tests/decisions/test_demo.py checks every one is seed or marked).
ILLUSTRATIVE = "Illustrative text of the demo"
REASONS = (
    f"<p><strong>{ILLUSTRATIVE}</strong> (the seed's minutes record the resolution, not its reasons): "
    "the Cabinet Committee noted the report presented to it.</p>"
)
ALTERNATIVES = (
    f"<p><strong>{ILLUSTRATIVE}</strong> (the seed's minutes record none): no alternative options were put "
    "to the Cabinet Committee.</p>"
)


def _officer():
    return get_user_model().objects.filter(username="officer").first()


def load(*, stdout=None) -> bool:
    loaded = False
    with transaction.atomic():
        meeting = committee_demo.demo_meeting(SEED_MEETING)
        maker, _ = DecisionMaker.objects.get_or_create(kind=DecisionMaker.Kind.COMMITTEE, committee=meeting.committee)
        if not Decision.objects.filter(agenda_item__meeting=meeting).exists():
            _seed_decisions(meeting, maker)
            loaded = True
        if not ForwardPlanEntry.objects.filter(reference=ILLUSTRATIVE_REFERENCE).exists():
            _illustrative_entry(maker)
            loaded = True
    return loaded


def _next_working_day(day):
    day += timedelta(days=1)
    while not is_working_day(day, services.closures()):
        day += timedelta(days=1)
    return day


def _seed_decisions(meeting, maker) -> None:
    held_on = timezone.localdate(meeting.starts_at)
    minutes = (
        Minute.objects.filter(agenda_item__meeting=meeting, agenda_item__kind=AgendaItem.Kind.REPORT)
        .exclude(resolution="")
        .select_related("agenda_item")
        .order_by("agenda_item__order")
    )
    by = _officer()
    for minute in minutes:
        item = minute.agenda_item
        decision = services.decision_save(
            decision=Decision(
                maker=maker,
                agenda_item=item,
                title=item.title,
                decided_on=held_on,
                recorded_on=held_on,  # recorded at the time, as the seed's minutes were
                decision=minute.resolution,
                reasons=REASONS,
                alternatives_rejected=ALTERNATIVES,
            ),
            by=by,
        )
        services.decision_publish_notice(decision=decision, published_on=_next_working_day(held_on), by=by)


def _illustrative_entry(maker) -> None:
    today = timezone.localdate()
    entry = services.plan_entry_save(
        entry=ForwardPlanEntry(
            reference=ILLUSTRATIVE_REFERENCE,
            title="Illustrative example (not from the seed): renewal of the ICT services partnership",
            summary="An illustrative forward plan entry, so that the demo shows an upcoming key decision. Whether "
            "to renew the strategic partnership for ICT and payroll services from April, for five years.",
            maker=maker,
            decision_due=today + timedelta(days=45),
            amount=Decimal("12000000"),
            divisions="All divisions",
            documents="Report of the Director of Corporate Services, with the options appraisal.",
            how_to_get_documents="From Democratic Services, County Hall, Preston, five clear working days before "
            "the meeting; send other documents for the decision maker to the same address.",
        ),
        by=_officer(),
    )
    services.plan_entry_publish_notice(entry=entry, published_on=today, by=_officer())

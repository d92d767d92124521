"""Every read of executive decisions, through the gate (committee.gate.plan_entry_q,
decision_q): the forward plan, the decisions list and pages, the feeds and the API."""

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

from django.db.models import Exists, Min, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from committee import gate

from . import clocks
from .models import CallIn, Decision, ForwardPlanEntry, PrivateMeetingNotice

# What the public forward plan lists: the decisions still to be taken.
CURRENT = (ForwardPlanEntry.Status.NOTICE_PUBLISHED, ForwardPlanEntry.Status.DEFERRED)


def plan_entries(reader: gate.Reader) -> QuerySet[ForwardPlanEntry]:
    return ForwardPlanEntry.objects.filter(gate.plan_entry_q(reader)).select_related(
        "maker__committee", "maker__member", "maker__officer"
    )


def forward_plan(reader: gate.Reader) -> QuerySet[ForwardPlanEntry]:
    """The current and upcoming entries, by decision maker and then by date."""
    return (
        plan_entries(reader).filter(status__in=CURRENT).order_by("maker__kind", "maker_id", "decision_due", "reference")
    )


@dataclass
class MakerGroup:
    maker: object
    months: list[tuple[date, list[ForwardPlanEntry]]]


def forward_plan_grouped(reader: gate.Reader) -> list[MakerGroup]:
    """The forward plan grouped by decision maker and month (one query)."""
    groups = []
    for _, rows in groupby(forward_plan(reader), key=lambda entry: entry.maker_id):
        rows = list(rows)
        months = [
            (month, list(entries))
            for month, entries in groupby(rows, key=lambda entry: entry.decision_due.replace(day=1))
        ]
        groups.append(MakerGroup(maker=rows[0].maker, months=months))
    return groups


def plan_entry_detail(reader: gate.Reader, pk: int) -> ForwardPlanEntry:
    entry = plan_entries(reader).filter(pk=pk).first()
    if entry is None:
        raise Http404("No such forward plan entry")
    return entry


# Decisions ---------------------------------------------------------------------------------


class Status:
    WITHIN_CALL_IN = "Within call-in"
    CALLED_IN = "Called in"
    MAY_BE_IMPLEMENTED = "May be implemented"
    NOT_PUBLISHED = "Notice not published"


def status_of(decision: Decision, today: date | None = None) -> str:
    """Where a decision stands (LGA 2000 s.9F): called in while a call-in holds it; within
    call-in until the period has passed; then it may be implemented (an urgent one at once).
    Needs `held` (selectors annotate it) and the notice."""
    notice = getattr(decision, "notice", None)
    if notice is None:
        return Status.NOT_PUBLISHED
    if decision.held:
        return Status.CALLED_IN
    today = today or timezone.localdate()
    return Status.MAY_BE_IMPLEMENTED if today >= notice.may_be_implemented_from else Status.WITHIN_CALL_IN


def _held():
    return Exists(CallIn.objects.filter(decision=OuterRef("pk")).exclude(outcome=CallIn.Outcome.NO_FURTHER_ACTION))


def decisions(reader: gate.Reader) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(gate.decision_q(reader))
        .select_related(
            "notice",
            "maker__committee",
            "maker__member",
            "maker__officer",
            "plan_entry",
            "agenda_item__meeting__committee",
        )
        .defer("agenda_item__standing_text")
        .annotate(held=_held())
    )


def decision_list(reader: gate.Reader) -> list[Decision]:
    rows = list(decisions(reader).order_by("-decided_on", "-pk"))
    today = timezone.localdate()
    for row in rows:
        row.status = status_of(row, today)
    return rows


def decision_detail(reader: gate.Reader, pk: int) -> Decision:
    decision = (
        decisions(reader)
        .prefetch_related(
            Prefetch("call_ins", queryset=CallIn.objects.prefetch_related("members").order_by("requested_on"))
        )
        .filter(pk=pk)
        .first()
    )
    if decision is None:
        raise Http404("No such decision")
    decision.status = status_of(decision)
    return decision


def decision_for_notice(reader: gate.Reader, pk: int) -> Decision:
    """The decision whose published notice is printed: as readable as the decision."""
    decision = decision_detail(reader, pk)
    if getattr(decision, "notice", None) is None:
        raise Http404("No published notice")
    return decision


# The leader's quarterly report of special urgency decisions (reg 11(5)) --------------------


def _taken_under_special_urgency(decision: Decision) -> bool:
    entry = decision.plan_entry
    route = clocks.key_decision_route(entry.notice_published_on, decision.decided_on, entry.exception_record)
    return route == clocks.Route.SPECIAL_URGENCY


def special_urgency_decisions(reader: gate.Reader, quarter: clocks.Quarter | None = None) -> list[Decision]:
    """The key decisions taken under special urgency (reg 11), in `quarter` or in every
    quarter, oldest first, as `reader` may read them (one query). Which route a decision took
    is the clocks' (regs 9-11): one that its notice or the general exception allowed is not
    a special urgency decision, whatever else its entry records."""
    rows = decisions(reader).filter(is_key_decision=True, plan_entry__urgency_agreed_on__isnull=False)
    if quarter is not None:
        rows = rows.filter(decided_on__gte=quarter.start, decided_on__lte=quarter.end)
    return [d for d in rows.order_by("decided_on", "pk") if _taken_under_special_urgency(d)]


def special_urgency_by_quarter(reader: gate.Reader) -> list[tuple[clocks.Quarter, list[Decision]]]:
    """The public page: the quarters with special urgency decisions, latest first."""
    found = special_urgency_decisions(reader)
    quarters = [
        (quarter, list(rows)) for quarter, rows in groupby(found, key=lambda d: clocks.Quarter.of(d.decided_on))
    ]
    return list(reversed(quarters))  # found is oldest first, so its quarters are too


def special_urgency_report_quarter(slug: str) -> clocks.Quarter:
    """The quarter a public address names, if the Leader can have reported on it: from the
    quarter of the first public decision to the quarter of today, the council's day (Europe/London:
    Q1 begins at midnight on 1 April there, an hour before it does in UTC in summer time).
    A quarter still to come, one before any public decision, or an address that names no
    quarter is Http404, so a report of an impossible quarter is never printed (one query)."""
    quarter = clocks.Quarter.from_slug(slug)
    if quarter is None:
        raise Http404("No such quarter")
    current = clocks.Quarter.of(timezone.localdate())
    first = Decision.objects.filter(gate.decision_q(gate.Reader.public())).aggregate(first=Min("decided_on"))["first"]
    # Before any public decision, the current quarter's report is a nil report, not an impossible one.
    earliest = min(clocks.Quarter.of(first), current) if first else current
    if not earliest <= quarter <= current:
        raise Http404("No report for this quarter")
    return quarter


# Notices of private meetings (reg 5) -------------------------------------------------------


def private_notices(reader: gate.Reader) -> QuerySet[PrivateMeetingNotice]:
    """The notices `reader` may read, soonest meeting first (one query)."""
    return (
        PrivateMeetingNotice.objects.filter(gate.private_notice_q(reader))
        .select_related("meeting__committee")
        .order_by("meeting__starts_at", "pk")
    )


def private_notices_listed(reader: gate.Reader) -> tuple[list, list]:
    """The public page: notices of meetings still to come, and those of the past year."""
    now = timezone.now()
    rows = list(private_notices(reader).filter(meeting__starts_at__gte=now - timedelta(days=365)))
    return [n for n in rows if n.meeting.starts_at >= now], [n for n in reversed(rows) if n.meeting.starts_at < now]


@dataclass
class PrivateNoticeState:
    """For a meeting's page: its notice as the reader may read it, and whether officers are
    warned that a meeting with Part II business has no 28-day notice (reg 5(2))."""

    notice: PrivateMeetingNotice | None = None
    missing: bool = False
    due: date | None = None


def private_notice_state(meeting, items, reader: gate.Reader) -> PrivateNoticeState:
    """No query unless the agenda has Part II business; then one."""
    if not any(getattr(item, "is_restricted", False) for item in items):
        return PrivateNoticeState()
    notice = private_notices(reader).filter(meeting=meeting).first()
    due = clocks.private_meeting_notice_due(timezone.localdate(meeting.starts_at))
    published = gate.private_notice_published(notice)
    return PrivateNoticeState(
        notice=notice if published else None, missing=reader.is_officer and not published, due=due
    )

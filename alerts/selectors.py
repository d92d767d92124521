"""Reads for alerts: what a message about an event says, always as the public reads it.

Every message is composed from `committee.selectors.agenda_for(meeting, Reader.public())`
and the public packs (`pack.selectors.meeting_packs` with the public reader): the gate
decides, so a Part II item appears by its number, title and paragraph only, and no Part II
text, report or pack ever reaches an email, councillors' notices included (they are told to
sign in for the confidential pack).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.urls import reverse

from committee import gate
from committee import selectors as committee_selectors
from committee.gate import Reader
from committee.models import Membership, Report
from committee.pack.content import prints_part_ii
from committee.pack.selectors import meeting_packs
from core.dates import long_date
from decisions import selectors as decision_selectors
from decisions.models import CallIn

from .models import DECISION_KINDS, PLAN_KINDS, Event, EventKind, Subscription, SubscriptionKind


def absolute(path: str) -> str:
    return settings.QUORUM_SITE_URL + path


@dataclass
class Link:
    text: str
    url: str


@dataclass
class ItemLine:
    number: str
    title: str
    url: str = ""
    part_ii: str = ""  # "Part II: Paragraph 3" for an exempt item (its title and paragraph only)


@dataclass
class EventMessage:
    """What one event's message says, the same for every public recipient."""

    kind: str
    subject: str
    headline: str
    lines: list[str] = field(default_factory=list)
    items: list[ItemLine] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    committee_id: int | None = None
    # False when the event's decision or forward plan entry is not the public's (the gate):
    # nobody outside is told of it (publicly_told).
    public: bool = True


def _when(meeting) -> str:
    return _at(meeting.starts_at)


def _at(moment) -> str:
    from django.utils import timezone

    local = timezone.localtime(moment)
    return f"{long_date(local)} at {local.strftime('%-I:%M%p').lower().replace(':00', '')}"


def _moved(event: Event, message: "EventMessage") -> None:
    """Says what moved: the date or time (with the old one), the place (with the old one), or
    both. `was_venue` is missing from events recorded before it was kept."""
    from django.utils.dateparse import parse_datetime

    meeting, name = event.meeting, event.committee.name
    was = parse_datetime(event.details.get("was_starts_at") or "")
    was_venue = event.details.get("was_venue")
    venue = str(meeting.venue)
    if was is not None and was != meeting.starts_at:
        message.headline = f"The meeting of {name} has moved to {_when(meeting)} (it was {_at(was)})."
    elif was_venue is not None and was_venue != venue:
        message.headline = f"The meeting of {name} on {_when(meeting)} has moved to {venue} (it was at {was_venue})."
    else:
        message.headline = f"The meeting of {name} on {_when(meeting)} has changed."
    if was_venue is not None and was_venue != venue:
        message.lines.append(f"Venue: {venue} (it was {was_venue}).")
    else:
        message.lines.append(f"Venue: {venue}.")


def _item_line(item) -> ItemLine:
    if item.readable:
        url = item.report_if_readable.get_absolute_url() if item.report_if_readable else item.get_absolute_url()
        return ItemLine(item.number, item.title, absolute(url))
    # As the public agenda shows it: the title and the paragraph, nothing else.
    return ItemLine(item.number, item.title, part_ii=f"Part II: {item.paragraphs_display or 'confidential'}")


def event_message(event: Event) -> EventMessage:
    if event.kind in DECISION_KINDS:
        return _decision_message(event)
    if event.kind in PLAN_KINDS:
        return _plan_message(event)
    meeting, committee = event.meeting, event.committee
    public = Reader.public()
    message = EventMessage(kind=event.kind, subject="", headline="", committee_id=committee.pk)
    where = f"{committee.name}, {_when(meeting)}" if meeting else committee.name
    meeting_link = Link("The meeting page", absolute(meeting.get_absolute_url())) if meeting else None
    kind = event.kind
    if kind == EventKind.MEETING_ADDED:
        message.subject = f"New meeting: {where}"
        message.headline = f"A meeting of {committee.name} has been arranged for {_when(meeting)}."
        message.lines.append(f"Venue: {meeting.venue}.")
    elif kind == EventKind.MEETING_MOVED:
        message.subject = f"Meeting moved: {where}"
        _moved(event, message)
    elif kind in (EventKind.MEETING_POSTPONED, EventKind.MEETING_CANCELLED):
        word = "postponed" if kind == EventKind.MEETING_POSTPONED else "cancelled"
        message.subject = f"Meeting {word}: {where}"
        message.headline = f"The meeting of {committee.name} on {_when(meeting)} has been {word}."
        if event.details.get("reason"):
            message.lines.append(f"Reason: {event.details['reason']}")
    elif kind == EventKind.AGENDA_PUBLISHED:
        message.subject = f"Agenda published: {where}"
        message.headline = f"The agenda for {committee.name} on {_when(meeting)} has been published."
        message.items = [_item_line(item) for item in committee_selectors.agenda_for(meeting, public)]
    elif kind == EventKind.PAPER_CHANGED:
        item = _changed_item(event)
        message.subject = f"Paper changed: {where}"
        if item is None:
            message.headline = f"A paper for {committee.name} on {_when(meeting)} was changed after publication."
        elif event.details.get("added"):
            message.subject = f"Item added to the agenda: {where}"
            message.headline = (
                f"Item {item.number}, {item.title}, has been added to the agenda for {committee.name} "
                f"on {_when(meeting)} after it was published."
            )
            message.items = [_item_line(item)]
        else:
            message.headline = (
                f"Item {item.number}, {item.title}, for {committee.name} on {_when(meeting)} "
                "was changed after the agenda was published."
            )
            message.items = [_item_line(item)]
        if event.details.get("added"):
            message.lines.append("A supplementary agenda pack is made with the added item.")
        elif item is not None and not item.readable and event.details.get("public_pack_withdrawn"):
            # Made Part II after publication: the public version that printed it is withdrawn.
            message.lines.append(
                "The paper is now Part II (not for publication): the version of the public agenda pack that "
                "printed it is withdrawn, and a new version is made without it; a new version of the "
                "confidential agenda pack is made for those who may read it."
            )
        elif item is not None and not item.readable:
            # The public pack prints nothing of a Part II paper: no new public version.
            message.lines.append(
                "The paper is Part II: the public agenda pack does not print it and stays as it was; "
                "a new version of the confidential agenda pack is made for those who may read it."
            )
        else:
            message.lines.append("A new version of the agenda pack is made from the changed papers.")
    elif kind == EventKind.SUPPLEMENTARY_PACK:
        message.subject = f"Supplementary agenda pack: {where}"
        message.headline = (
            f"A supplementary agenda pack for {committee.name} on {_when(meeting)} has been published, "
            "with the papers added to the agenda after it was published."
        )
        items = committee_selectors.agenda_for(meeting, public)
        message.items = [_item_line(item) for item in items if item.added_after_publication_at is not None]
        pack = meeting_packs(meeting=meeting, reader=public).supplementary
        if pack is not None:
            message.links.append(
                Link(f"The supplementary agenda pack (PDF, version {pack.number})", absolute(pack.get_absolute_url()))
            )
    elif kind == EventKind.MINUTES_PUBLISHED:
        message.subject = f"Minutes published: {where}"
        message.headline = f"The minutes of {committee.name} on {_when(meeting)} have been published."
        meeting_link = Link("The minutes", absolute(meeting.get_absolute_url() + "#minutes"))
    if meeting_link:
        message.links.append(meeting_link)
    if meeting is not None and kind in (EventKind.AGENDA_PUBLISHED, EventKind.PAPER_CHANGED):
        for label, pack in meeting_packs(meeting=meeting, reader=public).current:
            message.links.append(Link(f"{label} (PDF, version {pack.number})", absolute(pack.get_absolute_url())))
    return message


def _as_public(read, pk):
    """`read(Reader.public(), pk)` through a decisions selector, or None where it answers 404."""
    try:
        return read(Reader.public(), pk)
    except Http404:
        return None


def public_decision(event: Event):
    """The event's decision as the public reads it (decisions.selectors, through the gate), or
    None: a decision on a Part II item, or withheld, is not the public's to be told of."""
    return _as_public(decision_selectors.decision_detail, event.decision_id)


def public_plan_entry(event: Event):
    return _as_public(decision_selectors.plan_entry_detail, event.plan_entry_id)


def about_a_decision(event: Event) -> bool:
    """A decision's or forward plan entry's event: whether the public hears of it is the gate's."""
    return event.kind in DECISION_KINDS or event.kind in PLAN_KINDS


def publicly_told(event: Event, message: EventMessage | None = None) -> bool:
    """Whether the public (subscribers, webhooks) may hear of the event at all: a decision or
    forward plan entry the gate keeps from the public is not announced to it either. Given the
    event's message, read from it (its decision or entry was read to compose it)."""
    if not about_a_decision(event):
        return True
    if message is not None:
        return message.public
    if event.kind in DECISION_KINDS:
        return public_decision(event) is not None
    return public_plan_entry(event) is not None


def publicly_told_now(events: list[Event]) -> set[int]:
    """Of these decisions' and forward plan entries' events, the ids of those the public may
    hear of now: one query, through the public selectors (the gate), however many events."""
    public = Reader.public()
    told = Q(kind__in=DECISION_KINDS, decision__in=decision_selectors.decisions(public).values("pk")) | Q(
        kind__in=PLAN_KINDS, plan_entry__in=decision_selectors.plan_entries(public).values("pk")
    )
    return set(Event.objects.filter(told, pk__in=[event.pk for event in events]).values_list("pk", flat=True))


def _decision_message(event: Event) -> EventMessage:
    """A decision notice published, or a call-in decided: what was decided, by whom and when,
    and where it stands under call-in. Never its Part II papers: the decision is read through
    the gate, and the message carries no decision text at all, only a link to its page."""
    decision = public_decision(event)
    message = EventMessage(kind=event.kind, subject="", headline="", committee_id=event.committee_id)
    if decision is None:  # not for the public (publicly_told keeps such events from the public)
        message.public = False
        message.subject = message.headline = event.get_kind_display()
        return message
    notice = decision.notice
    who = str(decision.maker)
    if event.kind == EventKind.DECISION_PUBLISHED:
        message.subject = f"Decision published: {decision.title}"
        message.headline = (
            f"{who} decided “{decision.title}” on {long_date(decision.decided_on)}; "
            f"the decision notice was published on {long_date(notice.published_on)}."
        )
        if decision.is_key_decision and decision.plan_entry_id:
            message.lines.append(f"A key decision (forward plan reference {decision.plan_entry.reference}).")
        if decision.is_urgent:
            message.lines.append("Taken as urgent, so it is not subject to call-in: it may be implemented at once.")
        else:
            message.lines.append(
                f"It may be called in until {long_date(notice.call_in_deadline)}; unless it is, it may be "
                f"implemented from {long_date(notice.may_be_implemented_from)}."
            )
    else:
        outcome = event.details.get("outcome", "")
        label = CallIn.Outcome(outcome).label if outcome in CallIn.Outcome.values else "decided"
        message.subject = f"Call-in outcome: {decision.title}"
        message.headline = (
            f"The call-in of “{decision.title}” ({who}, {long_date(decision.decided_on)}) has been decided: {label}."
        )
        if decision.status == decision_selectors.Status.MAY_BE_IMPLEMENTED:
            message.lines.append("The decision may now be implemented.")
        elif decision.status == decision_selectors.Status.CALLED_IN:
            message.lines.append("The decision is not implemented while it is reconsidered.")
        else:  # no further action, within the call-in period still
            message.lines.append(f"It may be implemented from {long_date(notice.may_be_implemented_from)}.")
    message.links.append(Link("The decision", absolute(decision.get_absolute_url())))
    message.links.append(
        Link("The decision notice (PDF)", absolute(reverse("decisions:decision-notice-pdf", args=[decision.pk])))
    )
    if decision.agenda_item_id:
        meeting = decision.agenda_item.meeting
        message.links.append(Link("The meeting it was taken at", absolute(meeting.get_absolute_url())))
    return message


def _plan_message(event: Event) -> EventMessage:
    """A forward plan notice published (reg 9, or under the general exception or special
    urgency, regs 10-11): the matter, the decision maker, when, and whether in private (the
    reasons stay on the public page)."""
    entry = public_plan_entry(event)
    message = EventMessage(kind=event.kind, subject="", headline="", committee_id=event.committee_id)
    if entry is None:
        message.public = False
        message.subject = message.headline = event.get_kind_display()
        return message
    what = "a key decision" if entry.is_key_decision else "a decision"
    when = f"on {long_date(entry.decision_due)}"
    if entry.decision_due_end:
        when = f"between {long_date(entry.decision_due)} and {long_date(entry.decision_due_end)}"
    message.subject = f"Forward plan: {entry.reference} {entry.title}"
    message.headline = f"{entry.maker} is to take {what} on “{entry.title}” {when}."
    message.lines.append(f"Notice published on {long_date(entry.notice_published_on)} (reference {entry.reference}).")
    if entry.urgency_agreed_on:
        message.lines.append(
            f"Taken under special urgency (reg 11): agreed on {long_date(entry.urgency_agreed_on)} by "
            f"{entry.urgency_agreed_by}."
        )
    elif entry.exception_notice_on:
        message.lines.append(
            f"Taken under the general exception (reg 10): notice published on {long_date(entry.exception_notice_on)}."
        )
    if entry.in_private:
        message.lines.append("It is to be taken in private; the forward plan page says why.")
    message.links.append(Link("The forward plan entry", absolute(entry.get_absolute_url())))
    message.links.append(Link("The forward plan", absolute(reverse("decisions:forward-plan"))))
    return message


def _changed_item(event: Event):
    """The changed item as the public agenda lists it (a Part II item: title and paragraph only)."""
    item_id = event.details.get("item_id")
    if item_id is None and event.report_id:
        item_id = Report.objects.filter(pk=event.report_id).values_list("agenda_item_id", flat=True).first()
    if item_id is None:
        return None
    for item in committee_selectors.agenda_for(event.meeting, Reader.public()):
        if item.pk == item_id:
            return item
    return None


# Who hears of an event ------------------------------------------------------------------------


def matching_subscriptions(event: Event):
    """Confirmed subscriptions, of addresses not paused, that this event concerns. The forward
    plan and decisions go to their subscribers, and to those of the deciding committee."""
    committee_id = event.committee_id
    live = Q(confirmed_at__isnull=False, subscriber__paused_at__isnull=True)
    if event.kind in DECISION_KINDS or event.kind in PLAN_KINDS:
        q = Q(kind=SubscriptionKind.DECISIONS)
        if committee_id is not None:
            q |= Q(kind=SubscriptionKind.COMMITTEE, committee_id=committee_id)
        return Subscription.objects.filter(q, live)
    sitting = Membership.objects.current().filter(committee_id=committee_id).values("member_id")
    q = (
        Q(kind=SubscriptionKind.ALL_MEETINGS)
        | Q(kind=SubscriptionKind.COMMITTEE, committee_id=committee_id)
        | Q(kind=SubscriptionKind.COUNCILLOR, member_id__in=sitting)
    )
    words = search_words_matching(event)
    if words:
        q |= Q(kind=SubscriptionKind.SEARCH, words__in=words)
    return Subscription.objects.filter(q, live)


def search_words_matching(event: Event) -> list[str]:
    """The saved searches that new papers match: every word of the search in the title or
    summary of a paper the public may read (through the gate), of an agenda published or of
    the items added to it since (a supplementary pack)."""
    if event.kind not in (EventKind.AGENDA_PUBLISHED, EventKind.SUPPLEMENTARY_PACK) or event.meeting_id is None:
        return []
    reports = Report.objects.filter(gate.report_q(Reader.public()), agenda_item__meeting_id=event.meeting_id)
    if event.kind == EventKind.SUPPLEMENTARY_PACK:
        reports = reports.filter(agenda_item__added_after_publication_at__isnull=False)
    texts = [f"{title} {summary}".lower() for title, summary in reports.values_list("title", "executive_summary")]
    saved = Subscription.objects.filter(kind=SubscriptionKind.SEARCH, confirmed_at__isnull=False)
    matching = []
    for words in saved.values_list("words", flat=True).distinct():
        wanted = words.lower().split()
        if any(all(word in text for word in wanted) for text in texts):
            matching.append(words)
    return matching


def councillors_to_tell(event: Event) -> list[tuple[int, str]]:
    """(member id, address) of the councillors sitting on the committee: told when its agenda is
    published or a paper changes."""
    if event.kind not in (EventKind.AGENDA_PUBLISHED, EventKind.PAPER_CHANGED, EventKind.SUPPLEMENTARY_PACK):
        return []
    rows = (
        Membership.objects.current()
        .filter(committee_id=event.committee_id)
        .values_list("member_id", "member__email", "member__user__email")
    )
    return [(member_id, own or login) for member_id, own, login in rows if own or login]


def sign_in_url(meeting) -> str:
    """Where a councillor's notice sends them to read the confidential pack; none for a
    meeting without Part II papers, which has no confidential pack (only the public one)."""
    if meeting is None or not prints_part_ii(meeting):
        return ""
    return absolute(reverse("login") + "?next=" + meeting.get_absolute_url())

"""The papers the browser suite reads: the demo (the seed meeting, as `make run` loads it)
and one upcoming meeting of the same committee with a Part II item, published the way an
officer publishes it, so that the real worker builds its packs."""

import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from committee import services
from committee.demo import COMMITTEE_SLUG, DEMO_USERS
from committee.models import AgendaItem, AgendaPack, Appendix, Committee, Meeting, Report, Venue
from committee.pack.content import kinds_needed

PASSWORDS = {username: password for username, password, _ in DEMO_USERS}

# Words that appear only in the Part II paper: a public surface that shows them has leaked it.
PART_II_SECRET = "Northway Recycling Limited"
PART_II_PRICE = "£4,812,950"
PUBLIC_PHRASE = "resurfaces 42 kilometres of the county's roads"
APPENDIX_PHRASE = "Resurfacing schedule by district"


@dataclass(frozen=True)
class UpcomingMeeting:
    meeting_id: int
    committee_name: str
    starts_at: datetime
    public_report_id: int
    public_report_title: str
    part_ii_report_id: int
    part_ii_title: str
    appendix_id: int


def appendix_pdf(title: str = APPENDIX_PHRASE, pages: int = 2) -> bytes:
    """A small real PDF with text, as an officer would upload one (made by WeasyPrint)."""
    from weasyprint import HTML

    body = "".join(
        f"<section style='break-after: page'><h1>{title}</h1><p>Page {n} of the schedule: "
        f"Chorley, Preston, South Ribble.</p></section>"
        for n in range(1, pages + 1)
    )
    return HTML(
        string=f"<!DOCTYPE html><html lang='en-GB'><title>{title}</title><body>{body}</body></html>"
    ).write_pdf()


def meeting_starts(days_ahead: int, hour: int = 10) -> datetime:
    """A time far enough ahead that publishing today keeps five clear working days."""
    day = timezone.localdate() + timedelta(days=days_ahead)
    return timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=hour))


def draft_meeting(days_ahead: int) -> Meeting:
    """A draft meeting of the demo's committee at its first venue, `days_ahead` days from now
    at 10.00 (each journey takes a day of its own, so that their meetings never share a name)."""
    return services.meeting_save(
        meeting=Meeting(
            committee=Committee.objects.get(slug=COMMITTEE_SLUG),
            starts_at=meeting_starts(days_ahead),
            venue=Venue.objects.order_by("pk").first(),
        )
    )


def publish_upcoming_meeting() -> UpcomingMeeting:
    committee = Committee.objects.get(slug=COMMITTEE_SLUG)
    officer = get_user_model().objects.get(username="officer")
    meeting = services.meeting_save(
        meeting=Meeting(committee=committee, starts_at=meeting_starts(40), venue=Venue.objects.order_by("pk").first())
    )
    AgendaItem.objects.create(meeting=meeting, order=1, number="1", title="Apologies for Absence", kind="apologies")
    public_item = AgendaItem.objects.create(
        meeting=meeting, order=2, number="2", title="Highway Maintenance Programme", kind="report"
    )
    public_report = Report.objects.create(
        agenda_item=public_item,
        title="Highway Maintenance Programme",
        report_of="Director of Highways and Transport",
        executive_summary=f"<p>The programme {PUBLIC_PHRASE}, prioritised by the annual condition survey.</p>",
        recommendation="<p>The Cabinet Committee is asked to note the programme.</p>",
    )
    appendix = Appendix(
        report=public_report,
        letter="A",
        title="Resurfacing schedule",
        kind=Appendix.Kind.DOCUMENT,
        document=ContentFile(appendix_pdf(), name="resurfacing-schedule.pdf"),
    )
    services.appendix_prepare(appendix=appendix)
    appendix.full_clean()
    appendix.save()
    exempt_item = AgendaItem(
        meeting=meeting,
        order=3,
        number="3",
        title="Waste Disposal Contract: Tender Evaluation",
        kind="report",
        access="exempt",
        public_interest_reasons="The report gives the tendered prices while the contract is being negotiated.",
    )
    exempt_item.paragraph_numbers = [3]
    exempt_item.full_clean()
    exempt_item.save()
    part_ii = Report.objects.create(
        agenda_item=exempt_item,
        title="Waste Disposal Contract: Tender Evaluation",
        report_of="Director of Corporate Services",
        executive_summary=f"<p>The lowest compliant tender was {PART_II_PRICE} from {PART_II_SECRET}.</p>",
        recommendation="<p>The Cabinet Committee is asked to approve the award of the contract.</p>",
        reason_for_part_ii="Not for publication by virtue of paragraph 3 of Part 1 of Schedule 12A.",
    )
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    return UpcomingMeeting(
        meeting_id=meeting.pk,
        committee_name=committee.name,
        starts_at=meeting.starts_at,
        public_report_id=public_report.pk,
        public_report_title=public_report.title,
        part_ii_report_id=part_ii.pk,
        part_ii_title=part_ii.title,
        appendix_id=appendix.pk,
    )


def wait_for_packs(meeting_id: int, *, kinds=None, newer_than: int = 0, timeout: float = 180):
    """Wait for the worker to finish the meeting's packs (by default those it needs: the
    confidential one only where there are Part II papers); return the newest ready version
    of each kind. Fails with what the builds say if one fails or the time runs out."""
    if kinds is None:
        kinds = kinds_needed(Meeting.objects.get(pk=meeting_id))
    deadline = time.monotonic() + timeout
    while True:
        rows = list(AgendaPack.objects.filter(meeting_id=meeting_id, is_preview=False, scope="full"))
        ready = {}
        for pack in sorted(rows, key=lambda p: p.number or 0):
            if pack.status == AgendaPack.Status.READY and pack.number > newer_than:
                ready[pack.kind] = pack  # the newest, as they are in version order
        if all(kind in ready for kind in kinds):
            return ready
        # A failure counts only if nothing of its kind has been built since.
        failed = [
            p for p in rows if p.status == AgendaPack.Status.FAILED and (p.kind not in ready or ready[p.kind].pk < p.pk)
        ]
        if failed:
            raise AssertionError(f"A pack build failed: {[(p.kind, p.error) for p in failed]}")
        if time.monotonic() > deadline:
            raise AssertionError(
                f"The packs were not ready after {timeout:.0f}s: "
                f"{[(p.kind, p.status, p.progress, p.progress_note) for p in rows]}"
            )
        time.sleep(0.5)


URGENT = "Emergency repairs to the Ribble bridge"


def recorded_on(model, day, **lookup) -> None:
    """A record keyed in the browser today, as if recorded on `day`: a journey that dates its
    notices weeks back cannot wait for them."""
    assert model.objects.filter(**lookup).update(recorded_on=day) == 1


@contextmanager
def urgent_and_private():
    """A special urgency decision published ten days ago, and a meeting in six weeks with a
    Part II item whose notice of being held in private is published; removed afterwards.
    The decisions journey reads them, and the accessibility tour checks their pages."""
    from decisions import services as decision_services
    from decisions.models import Decision, DecisionMaker, ForwardPlanEntry, PrivateMeetingNotice

    def day(days_ago: int):
        return timezone.localdate() - timedelta(days=days_ago)

    officer = get_user_model().objects.get(username="officer")
    committee = Committee.objects.get(slug=COMMITTEE_SLUG)
    maker = DecisionMaker.objects.get(committee=committee)
    entry = decision_services.plan_entry_save(
        entry=ForwardPlanEntry(
            reference="FP/URGENT/1", title=URGENT, maker=maker, decision_due=day(10), amount=2_000_000, recorded_on=day(12),
            urgency_agreed_by="Chair of the Scrutiny Committee", urgency_agreed_on=day(11),
            urgency_reasons="The bridge was closed by flood damage.",
        ),
        by=officer,
    )  # fmt: skip
    entry = decision_services.plan_entry_publish_notice(entry=entry, published_on=day(12), by=officer)
    made = decision_services.decision_save(
        decision=Decision(
            maker=maker, plan_entry=entry, title=URGENT, decided_on=day(10), recorded_on=day(10), is_key_decision=True,
            decision="<p>Resolved: That the repairs be made at once.</p>",
        ),
        by=officer,
    )  # fmt: skip
    decision_services.decision_publish_notice(decision=made, published_on=day(10), by=officer)
    meeting = services.meeting_save(
        meeting=Meeting(committee=committee, starts_at=meeting_starts(45), venue=Venue.objects.order_by("pk").first())
    )
    AgendaItem.objects.create(
        meeting=meeting, order=1, number="1", title="Disposal of the depot", kind="report", access="exempt",
        exempt_paragraphs=1 << 2, public_interest_reasons="Commercial negotiations.",
    )  # fmt: skip
    notice = PrivateMeetingNotice(
        meeting=meeting, items="Item 1: Disposal of the depot.", reasons="Paragraph 3 of Schedule 12A.",
        published_on=timezone.localdate(),
    )  # fmt: skip
    notice.full_clean()
    notice.save()
    try:
        yield
    finally:
        notice.delete()
        meeting.items.all().delete()
        meeting.delete()
        Decision.objects.filter(pk=made.pk).delete()
        entry.delete()

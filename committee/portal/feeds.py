"""Feeds: iCalendar for meetings (cancellations sent as cancelled events) and RSS/Atom for
newly published papers. Feeds are public, so they read as `Reader.public()`."""

from datetime import UTC, datetime, timedelta

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from icalendar import Calendar, Event, vText

from committee import gate, selectors
from committee.models import Committee
from core.dates import long_date
from core.feeds import SafeFeed, xml_safe

MEETING_LENGTH = timedelta(hours=2)  # calendars need an end; councils publish only the start
# A subscribed calendar wants what is coming and the recent past, not ten years of archive
# (which would make every refresh megabytes long); the archive is on the pages and the API.
FEED_HISTORY = timedelta(days=366)


def _ends_at(starts_at: datetime) -> datetime:
    # A meeting imported dated in the calendar's last hours (31/12/9999, a slip in ModernGov)
    # ends with the calendar rather than making the whole feed an error page.
    try:
        return starts_at + MEETING_LENGTH
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC)


def _calendar(request, meetings, name: str) -> HttpResponse:
    # Every text is given as vText, which escapes line breaks, commas and semicolons and folds
    # long lines: a name typed with a line break would otherwise break the whole feed (the
    # X-WR- properties are unknown to icalendar, which would write them raw).
    cal = Calendar()
    cal.add("prodid", "-//Quorum//Committee meetings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", vText(name))
    cal.add("x-wr-timezone", vText("Europe/London"))
    stamp = timezone.now()
    host = request.get_host().split(":")[0]
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", _ends_at(meeting.starts_at))
        event.add("summary", vText(meeting.committee.name))
        event.add("location", vText(str(meeting.venue)))
        event.add("url", request.build_absolute_uri(meeting.get_absolute_url()))
        cancelled = meeting.is_called_off
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        # A change of status is a new revision of the event for calendar applications.
        event.add("sequence", 1 if cancelled else 0)
        description = f"Agenda and papers: {request.build_absolute_uri(meeting.get_absolute_url())}"
        if cancelled:
            description = f"{meeting.get_status_display()}: {meeting.status_reason}\n{description}"
        event.add("description", vText(description))
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response


def _feed_meetings(committee_id: int | None = None):
    return (
        selectors.meeting_list(committee_id=committee_id)
        .filter(starts_at__gte=timezone.now() - FEED_HISTORY)
        .order_by("starts_at")
    )


def calendar_all(request):
    return _calendar(request, _feed_meetings(), "Committee meetings")


def calendar_committee(request, slug):
    committee = get_object_or_404(Committee, slug=slug)
    return _calendar(request, _feed_meetings(committee.pk), committee.name)


def calendar_meeting(request, pk):
    meeting = selectors.meeting_detail(pk)
    return _calendar(request, [meeting], str(meeting))


class PapersFeed(SafeFeed):
    """Newly published reports, overall or for one committee."""

    description_template = None

    def get_object(self, request, slug=None):
        return get_object_or_404(Committee, slug=slug) if slug else None

    def title(self, committee):
        return f"New papers: {committee.name}" if committee else "New committee papers"

    def link(self, committee):
        return committee.get_absolute_url() if committee else reverse("committee:home")

    def description(self, committee):
        return "Reports published for committee meetings."

    def items(self, committee):
        return selectors.recently_published_reports(
            gate.Reader.public(), committee_ids=[committee.pk] if committee else None, limit=50
        )

    def item_title(self, report):
        meeting = report.agenda_item.meeting
        return f"{report.title} ({meeting.committee.name}, {long_date(meeting.starts_at)})"

    def item_description(self, report):
        return strip_tags(report.executive_summary)[:500]

    def item_link(self, report):
        return report.get_absolute_url()

    def item_pubdate(self, report):
        return report.first_published_at

    def item_updateddate(self, report):
        return report.updated_at


class PapersAtomFeed(PapersFeed):
    feed_type = xml_safe(Atom1Feed)
    subtitle = PapersFeed.description

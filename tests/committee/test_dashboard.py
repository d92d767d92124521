"""The officer's dashboard, the admin's home: what needs doing, each line linked to its page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from committee import selectors
from committee.dashboard import gather
from committee.models import AgendaItem, AgendaPack, Meeting
from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory

pytestmark = pytest.mark.django_db


def _meeting_in(days: int) -> Meeting:
    starts = timezone.now().replace(hour=14, minute=0, second=0, microsecond=0) + timedelta(days=days)
    return MeetingFactory(starts_at=starts)


def test_meetings_awaiting_publication_lists_late_ones_first_and_not_published_or_past_ones():
    today = timezone.localdate()
    later = _meeting_in(40)
    late = _meeting_in(3)  # five clear working days cannot fit: past its deadline
    published = _meeting_in(20)
    Meeting.objects.filter(pk=published.pk).update(
        status=Meeting.Status.AGENDA_PUBLISHED, agenda_published_at=timezone.now()
    )
    past = _meeting_in(-10)

    found = selectors.meetings_awaiting_publication(today)

    assert [m.pk for m in found] == [late.pk, later.pk]
    assert found[0].is_late and found[0].days_left < 0
    assert not found[1].is_late and found[1].days_left == (later.publication_deadline - today).days
    assert published.pk not in [m.pk for m in found] and past.pk not in [m.pk for m in found]


def test_report_items_without_a_report_or_its_content_are_problems_and_written_reports_are_not():
    meeting = _meeting_in(30)
    AgendaItemFactory(meeting=meeting, number="1", kind=AgendaItem.Kind.APOLOGIES)
    AgendaItemFactory(meeting=meeting, number="2")
    ReportFactory(agenda_item__meeting=meeting, agenda_item__number="3", executive_summary="", recommendation="")
    ReportFactory(agenda_item__meeting=meeting, agenda_item__number="4")

    (found,) = selectors.meetings_awaiting_publication(timezone.localdate())

    assert selectors.report_problems(found) == ["Item 2 has no report.", "Item 3's report has no content."]


def test_held_meetings_without_minutes_lists_only_held_ones():
    held, minuted = _meeting_in(-5), _meeting_in(-12)
    Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.HELD, agenda_published_at=timezone.now())
    Meeting.objects.filter(pk=minuted.pk).update(
        status=Meeting.Status.MINUTES_PUBLISHED, agenda_published_at=timezone.now()
    )

    assert list(selectors.held_meetings_without_minutes()) == [held]


def test_pack_builds_needing_attention_are_running_or_failed_never_ready():
    meeting = _meeting_in(10)
    failed = AgendaPack.objects.create(meeting=meeting, kind="public", status="failed", error="A paper is missing.")
    rendering = AgendaPack.objects.create(meeting=meeting, kind="confidential", status="rendering")
    AgendaPack.objects.create(meeting=meeting, kind="public", status="ready", number=1, file="packs/1.pdf", pages=3)

    assert set(selectors.pack_builds_needing_attention()) == {failed, rendering}


def test_the_admin_home_is_the_dashboard_with_each_line_linked_and_every_record_below(client, officer):
    late = _meeting_in(3)
    client.force_login(officer)

    page = client.get(reverse("admin:index")).content.decode()

    assert "What needs doing" in page
    assert "past the deadline and not published" in page
    assert "The agenda has no items." in page  # what stops publication, as publishing says it
    assert reverse("admin:committee_meeting_change", args=[late.pk]) in page
    assert reverse("performance:entry-choose") in page
    assert "All records" in page and reverse("admin:committee_meeting_changelist") in page


def test_the_dashboard_reads_in_the_same_queries_however_many_meetings(django_assert_num_queries):
    # 1 meetings awaiting publication, 2 their items, 3 held meetings without minutes, 4 pack builds,
    # 5 overdue SEND key tasks, 6 risks not reviewed this quarter.
    _meeting_in(3)
    with django_assert_num_queries(6):
        gather()
    for days in (5, 15, 25, 35):
        held = _meeting_in(days)
        AgendaPack.objects.create(meeting=held, kind="public", status="failed")
    with django_assert_num_queries(6):
        sections = gather()
    assert len(sections[0]["lines"]) == 5 and len(sections[2]["lines"]) == 4

"""The meeting lifecycle and its refusals: publish, late publication, cancel, held, minutes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from committee import services
from committee.models import AgendaItem, Meeting, Minutes
from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory, exempt

pytestmark = pytest.mark.django_db


def test_publishing_makes_the_agenda_and_its_reports_public(officer):
    report = ReportFactory()
    meeting = report.agenda_item.meeting
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    meeting.refresh_from_db()
    report.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_PUBLISHED
    assert meeting.agenda_published_at is not None
    assert meeting.deadline_met is True
    assert report.first_published_at == meeting.agenda_published_at


def test_publishing_an_empty_agenda_is_refused(officer):
    meeting = MeetingFactory()
    with pytest.raises(ValidationError, match="no items"):
        services.meeting_publish_agenda(meeting=meeting, by=officer)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT and meeting.agenda_published_at is None


def test_part_ii_item_without_paragraph_cannot_be_saved():
    item = AgendaItemFactory()
    item.access = "exempt"
    item.public_interest_reasons = "Reasons"
    with pytest.raises(ValidationError, match="Schedule 12A"):
        item.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()  # the database refuses it too


def test_part_ii_item_without_public_interest_reasons_is_refused():
    item = AgendaItemFactory()
    item.access = "exempt"
    item.paragraph_numbers = [3]
    with pytest.raises(ValidationError):
        item.full_clean()


def test_public_item_cannot_carry_a_paragraph():
    item = AgendaItemFactory()
    item.paragraph_numbers = [1]
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()


def test_exempt_paragraphs_read_back_in_words():
    item = exempt(AgendaItemFactory(), 3, 1)
    item.refresh_from_db()
    assert item.paragraph_numbers == [1, 3]
    assert item.paragraphs_display == "Paragraphs 1 and 3"
    assert item.not_for_publication_notice == (
        "Not for publication by virtue of paragraphs 1 and 3 of Part 1 of Schedule 12A to the Local Government Act 1972"
    )


def _meeting_in(days: int) -> Meeting:
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=days))
    AgendaItemFactory(meeting=meeting)
    return meeting


def test_late_publication_needs_the_urgency_reasons(officer):
    meeting = _meeting_in(3)  # fewer than five clear working days away
    with pytest.raises(ValidationError) as refused:
        services.meeting_publish_agenda(meeting=meeting, by=officer)
    assert refused.value.code == "late"
    assert "special circumstances" in refused.value.messages[0]
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is None

    services.meeting_publish_agenda(meeting=meeting, by=officer, late_reasons="Budget deadline set by government.")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.AGENDA_PUBLISHED
    assert meeting.deadline_met is False
    assert meeting.late_publication_reasons == "Budget deadline set by government."


def test_first_publication_time_is_kept_when_republished(officer):
    meeting = _meeting_in(30)
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    first = Meeting.objects.get(pk=meeting.pk).agenda_published_at
    services.meeting_cancel(meeting=meeting, by=officer, reason="Room unavailable", postpone=True)
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    assert Meeting.objects.get(pk=meeting.pk).agenda_published_at == first


def test_cancelling_needs_a_reason_and_not_after_the_meeting(officer):
    meeting = _meeting_in(30)
    with pytest.raises(ValidationError, match="reason"):
        services.meeting_cancel(meeting=meeting, by=officer, reason=" ")
    services.meeting_cancel(meeting=meeting, by=officer, reason="Insufficient business")
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CANCELLED

    held = _meeting_in(-1)
    held.status, held.agenda_published_at = Meeting.Status.HELD, timezone.now() - timedelta(days=10)
    held.save()
    with pytest.raises(ValidationError, match="held"):
        services.meeting_cancel(meeting=held, by=officer, reason="Too late")


def test_the_meetings_going_ahead_are_those_not_called_off_in_every_status():
    # The queryset (lists, the previous and next meeting) and the meeting (its page, the feed)
    # must agree for every status, including any added later.
    meetings = [MeetingFactory(status=status, agenda_published_at=timezone.now()) for status in Meeting.Status.values]
    going_ahead = set(Meeting.objects.filter(pk__in=[m.pk for m in meetings]).going_ahead())
    assert going_ahead == {m for m in meetings if not m.is_called_off}
    assert {m.status for m in meetings if m.is_called_off} == {Meeting.Status.CANCELLED, Meeting.Status.POSTPONED}


def test_a_meeting_is_held_only_after_publication_and_its_start(officer):
    future = _meeting_in(30)
    with pytest.raises(ValidationError, match="published"):
        services.meeting_mark_held(meeting=future, by=officer)
    services.meeting_publish_agenda(meeting=future, by=officer)
    with pytest.raises(ValidationError, match="not started"):
        services.meeting_mark_held(meeting=future, by=officer)

    past = _meeting_in(-1)
    past.status, past.agenda_published_at = Meeting.Status.AGENDA_PUBLISHED, timezone.now() - timedelta(days=10)
    past.save()
    services.meeting_mark_held(meeting=past, by=officer)
    assert Meeting.objects.get(pk=past.pk).status == Meeting.Status.HELD


def test_minutes_are_published_after_the_meeting_is_held(officer):
    meeting = _meeting_in(-1)
    with pytest.raises(ValidationError, match="held"):
        services.minutes_publish(meeting=meeting, by=officer)
    meeting.status, meeting.agenda_published_at = Meeting.Status.HELD, timezone.now() - timedelta(days=10)
    meeting.save()
    with pytest.raises(ValidationError, match="Write the minutes"):
        services.minutes_publish(meeting=meeting, by=officer)
    Minutes.objects.create(meeting=meeting)
    minutes = services.minutes_publish(meeting=meeting, by=officer)
    assert minutes.published_at is not None
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.MINUTES_PUBLISHED


def test_reordering_swaps_items_without_tripping_the_unique_order():
    meeting = MeetingFactory()
    first = AgendaItemFactory(meeting=meeting, order=1, number="1")
    second = AgendaItemFactory(meeting=meeting, order=2, number="2")
    services.agenda_reorder(meeting=meeting, ordered_item_ids=[second.pk, first.pk])
    assert list(meeting.items.order_by("order").values_list("pk", flat=True)) == [second.pk, first.pk]
    with pytest.raises(ValidationError):
        services.agenda_reorder(meeting=meeting, ordered_item_ids=[first.pk])


def test_an_item_added_after_publication_is_supplementary(officer):
    meeting = _meeting_in(30)
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    meeting.refresh_from_db()
    late = services.agenda_item_prepare(item=AgendaItem(meeting=meeting, order=9, number="9", title="Urgent item"))
    late.save()
    assert late.added_after_publication_at is not None
    assert meeting.items.exclude(pk=late.pk).filter(added_after_publication_at__isnull=False).count() == 0


def test_the_meeting_page_offers_exactly_what_the_services_allow(client, officer):
    """One rule per step (Meeting.can_...): a button is shown when, and only when, the service
    would accept it."""
    client.force_login(officer)
    for status in Meeting.Status:
        meeting = MeetingFactory()
        published = status in ("agenda_published", "held", "minutes_published")
        Meeting.objects.filter(pk=meeting.pk).update(
            status=status, agenda_published_at=published and timezone.now() or None
        )
        meeting.refresh_from_db()
        page = client.get(reverse("admin:committee_meeting_change", args=[meeting.pk])).content.decode()
        offered = reverse("admin:committee_meeting_cancel", args=[meeting.pk]) in page
        try:
            with transaction.atomic():
                services.meeting_cancel(meeting=meeting, by=officer, reason="Room unavailable")
                transaction.set_rollback(True)
            accepted = True
        except ValidationError:
            accepted = False
        assert offered == accepted == meeting.can_cancel, status
        offered = reverse("admin:committee_meeting_publish", args=[meeting.pk]) in page
        assert offered == meeting.can_publish_agenda == (status in ("draft", "postponed")), status


def test_marking_a_held_meeting_held_again_says_so(officer):
    meeting = MeetingFactory()
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD, agenda_published_at=timezone.now())
    with pytest.raises(ValidationError, match="already marked as held"):
        services.meeting_mark_held(meeting=meeting, by=officer)


def test_every_step_of_the_meeting_records_who_took_it_without_a_request(officer):
    """A service run by a worker or a command (no request for simple_history's middleware)
    still names the officer in the meeting's history."""
    meeting = MeetingFactory()
    AgendaItemFactory(meeting=meeting)
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    assert meeting.history.first().history_user == officer
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    services.meeting_mark_held(meeting=meeting, by=officer)
    assert meeting.history.first().history_user == officer and meeting.history.first().status == "held"
    Minutes.objects.create(meeting=meeting)
    services.minutes_publish(meeting=meeting, by=officer)
    assert [h.history_user for h in meeting.history.all()[:3]] == [officer] * 3
    other = MeetingFactory()
    services.meeting_cancel(meeting=other, by=officer, reason="Room unavailable")
    assert other.history.first().history_user == officer

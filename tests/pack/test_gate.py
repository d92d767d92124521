"""The confidential pack is for this committee: another committee's Part II or draft minutes
never reach it, even when a minutes item points at that committee's meeting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from committee import services
from committee.models import AgendaPack, Minute, Minutes
from committee.pack.content import gather
from tests.factories import AgendaItemFactory, CommitteeFactory, MeetingFactory, exempt

pytestmark = pytest.mark.django_db


def _published_past_meeting(committee, officer):
    meeting = MeetingFactory(committee=committee)
    AgendaItemFactory(meeting=meeting)
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    meeting.refresh_from_db()
    meeting.starts_at = timezone.now() - timedelta(days=40)
    meeting.save()
    return meeting


def _text(meeting, kind):
    content = gather(meeting, kind=kind, scope=AgendaPack.Scope.FULL)
    return "".join(part.html for paper in content.papers for part in paper.parts)


def test_another_committees_part_ii_minutes_stay_out_of_the_confidential_pack(committee, officer):
    other = _published_past_meeting(CommitteeFactory(), officer)
    secret = exempt(AgendaItemFactory(meeting=other, title="Land disposal"), 3)
    open_item = other.items.exclude(pk=secret.pk).get()
    minutes = Minutes.objects.create(meeting=other, published_at=timezone.now())
    Minute.objects.create(minutes=minutes, agenda_item=secret, text="<p>SECRET-PRICE 1.2m</p>")
    Minute.objects.create(minutes=minutes, agenda_item=open_item, text="<p>OPEN-MINUTE noted</p>")

    meeting = MeetingFactory(committee=committee)
    AgendaItemFactory(meeting=meeting, title="Minutes of the sub-committee", kind="minutes", minutes_of=other)
    services.meeting_publish_agenda(meeting=meeting, by=officer)

    confidential = _text(meeting, AgendaPack.Kind.CONFIDENTIAL)
    assert "OPEN-MINUTE" in confidential and "SECRET-PRICE" not in confidential
    assert "SECRET-PRICE" not in _text(meeting, AgendaPack.Kind.PUBLIC)


def test_this_committees_part_ii_minutes_are_in_its_confidential_pack_only(committee, officer):
    previous = _published_past_meeting(committee, officer)
    secret = exempt(AgendaItemFactory(meeting=previous, title="Land disposal"), 3)
    minutes = Minutes.objects.create(meeting=previous, published_at=timezone.now())
    Minute.objects.create(minutes=minutes, agenda_item=secret, text="<p>OWN-SECRET agreed</p>")

    meeting = MeetingFactory(committee=committee)
    AgendaItemFactory(meeting=meeting, kind="minutes", minutes_of=previous)
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    assert "OWN-SECRET" in _text(meeting, AgendaPack.Kind.CONFIDENTIAL)
    assert "OWN-SECRET" not in _text(meeting, AgendaPack.Kind.PUBLIC)

"""A version's "published" on the meeting page. The seed meeting's page said "Agenda
published 19 June 2018" and its pack, built by the demo, "published" the day it was built.
The first version of an agenda's pack is the agenda as published, however long after the
worker built it; a later version (a correction) was published when it was made. A pack first
asked for after the agenda's own pack was out (the confidential pack, once an item was made
Part II) was first published when it was built, not with the agenda."""

from datetime import timedelta

from django.template.loader import render_to_string
from django.utils import timezone

from committee.gate import Reader
from committee.models import AgendaPack
from committee.pack import selectors as pack_selectors
from committee.pack import services as pack_services
from tests.factories import exempt

from .test_confidential_only_with_part_ii import PUBLISHED, _part_i_meeting, _version


def test_the_first_version_is_published_with_the_agenda_a_later_one_when_it_was_made(committee):
    meeting = _part_i_meeting(committee)
    first = _version(meeting, "public")
    assert first.finished_at.date() == timezone.localdate()  # built today, for an agenda of 2018
    correction = _version(meeting, "public", number=2)
    packs = pack_selectors.meeting_packs(meeting=meeting, reader=Reader.public())
    html = render_to_string("committee/_packs.html", {"packs": packs})
    assert packs.earlier[0].published_at == PUBLISHED
    assert '<time datetime="2018-06-19T12:00:00+0100">' in html
    assert packs.public.published_at == correction.finished_at
    assert f'<time datetime="{timezone.localtime(correction.finished_at):%Y-%m-%dT%H:%M:%S%z}">' in html


def _built(pack: AgendaPack, finished_at) -> AgendaPack:
    """A requested build as the worker leaves it (the file's bytes are not read here)."""
    AgendaPack.objects.filter(pk=pack.pk).update(
        status="ready", number=1, file=f"packs/{pack.kind}-1.pdf", pages=3, size=100, finished_at=finished_at
    )
    return AgendaPack.objects.get(pk=pack.pk)


def _html(meeting, reader) -> str:
    packs = pack_selectors.meeting_packs(meeting=meeting, reader=reader)
    return render_to_string("committee/_packs.html", {"packs": packs})


def test_a_confidential_pack_first_built_after_an_item_was_made_part_ii_says_when_it_was_built(committee):
    meeting = _part_i_meeting(committee)
    AgendaPack.objects.filter(pk=_version(meeting, "public").pk).update(  # the agenda's own pack, out 3 days
        requested_at=timezone.now() - timedelta(days=3), finished_at=timezone.now() - timedelta(days=3)
    )
    exempt(meeting.items.get(), 3)  # made Part II three days on: the confidential pack is asked for now
    (confidential,) = [p for p in pack_services.packs_request_for_meeting(meeting=meeting) if p.kind == "confidential"]
    confidential = _built(confidential, timezone.now())
    members = Reader.members_of(committee.pk)
    packs = pack_selectors.meeting_packs(meeting=meeting, reader=members)
    assert packs.confidential.published_at == confidential.finished_at
    html = _html(meeting, members)
    assert f'<time datetime="{timezone.localtime(confidential.finished_at):%Y-%m-%dT%H:%M:%S%z}">' in html
    assert '<time datetime="2018-06-19T12:00:00+0100">' not in html.split("including Part II")[1]


def test_packs_asked_for_with_the_agenda_keep_its_date_however_late_they_were_built(committee):
    meeting = _part_i_meeting(committee)
    exempt(meeting.items.get(), 3)  # Part II when the agenda was published
    requested = {p.kind: p for p in pack_services.packs_request_for_meeting(meeting=meeting)}
    # The worker was down: the confidential pack is built first, both long after publication.
    _built(requested["confidential"], timezone.now() - timedelta(minutes=5))
    _built(requested["public"], timezone.now())
    members = Reader.members_of(committee.pk)
    packs = pack_selectors.meeting_packs(meeting=meeting, reader=members)
    assert packs.confidential.published_at == packs.public.published_at == PUBLISHED
    assert AgendaPack.objects.get(pk=requested["confidential"].pk).published_at == PUBLISHED  # read alone too
    assert _html(meeting, members).count('<time datetime="2018-06-19T12:00:00+0100">') == 2

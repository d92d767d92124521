"""A version's "published" on the meeting page. The seed meeting's page said "Agenda
published 19 June 2018" and its pack, built by the demo, "published" the day it was built.
The first version of an agenda's pack is the agenda as published, however long after the
worker built it; a later version (a correction) was published when it was made."""

from django.template.loader import render_to_string
from django.utils import timezone

from committee.gate import Reader
from committee.pack import selectors as pack_selectors

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

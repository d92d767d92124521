"""A confidential pack only where there is Part II to put in it. A meeting with no Part II
paper offered its councillors a second "Agenda pack including Part II papers" identical to
the public one but for its title; it is neither built nor offered now. What counts as Part II
is what the gate lets the committee's members read and the public not: an exempt or
confidential item, an appendix withheld under a Part I item, a Part II minute reprinted.
Versions built before stay downloadable at their addresses."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from committee.gate import Reader, reader_for
from committee.models import AgendaPack, Appendix, Meeting, Minute, Minutes
from committee.pack import selectors as pack_selectors
from committee.pack import services as pack_services
from committee.pack.content import kinds_needed
from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory, exempt

PUBLISHED = timezone.make_aware(timezone.datetime(2018, 6, 19, 12, 0))


def _published(meeting: Meeting) -> Meeting:
    Meeting.objects.filter(pk=meeting.pk).update(status="agenda_published", agenda_published_at=PUBLISHED)
    meeting.refresh_from_db()
    return meeting


def _part_i_meeting(committee) -> Meeting:
    meeting = MeetingFactory(committee=committee)
    ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting, order=1, number="1", title="Highways Update"))
    return _published(meeting)


def _version(meeting, kind, number=1, scope="full", **fields) -> AgendaPack:
    """A ready version as a build leaves it (the file's bytes are not read here)."""
    return AgendaPack.objects.create(
        meeting=meeting, kind=kind, scope=scope, status="ready", number=number, file=f"packs/{kind}-{number}.pdf",
        pages=3, size=100, finished_at=timezone.now(), **fields,
    )  # fmt: skip


def test_a_meeting_without_part_ii_asks_for_the_public_pack_only(committee):
    meeting = _part_i_meeting(committee)
    assert kinds_needed(meeting) == ["public"]
    requested = pack_services.packs_request_for_meeting(meeting=meeting)
    assert [pack.kind for pack in requested] == ["public"]


@pytest.mark.parametrize("where", ["item", "appendix", "minute"])
def test_each_kind_of_part_ii_paper_asks_for_the_confidential_pack_too(committee, where):
    meeting = _part_i_meeting(committee)
    item = meeting.items.get()
    if where == "item":
        exempt(item, 3)
    elif where == "appendix":
        Appendix.objects.create(
            report=item.report, letter="A", order=1, title="Tender prices", kind="rich_text",
            body="<p>Prices.</p>", access="exempt", exempt_paragraphs=4, public_interest_reasons="Commercial.",
        )  # fmt: skip
    else:
        previous = _published(MeetingFactory(committee=committee, starts_at=meeting.starts_at - timedelta(days=70)))
        land = exempt(AgendaItemFactory(meeting=previous, order=1, number="1", title="Disposal of Land"), 3)
        minutes = Minutes.objects.create(meeting=previous, published_at=timezone.now())
        Minute.objects.create(minutes=minutes, agenda_item=land, text="<p>Resolved to sell.</p>")
        AgendaItemFactory(meeting=meeting, order=2, number="2", title="Minutes", kind="minutes", minutes_of=previous)
    assert kinds_needed(meeting) == ["public", "confidential"]
    requested = pack_services.packs_request_for_meeting(meeting=meeting)
    assert sorted(pack.kind for pack in requested) == ["confidential", "public"]


def test_a_confidential_build_no_longer_needed_is_dropped_and_earlier_versions_stay_valid(committee, media):
    meeting = _part_i_meeting(committee)
    earlier = _version(meeting, "confidential")  # built when every meeting got one
    waiting = pack_services.pack_request(meeting=meeting, kind="confidential", send=False)
    served = pack_services.pack_build(pack_id=waiting.pk)
    assert not AgendaPack.objects.filter(pk=waiting.pk).exists()  # nothing rendered, no new version
    assert served == earlier
    assert pack_selectors.pack_for_download(pk=earlier.pk, reader=Reader.members_of(committee.pk)) == earlier


@pytest.mark.parametrize("who", ["councillor", "officer"])
def test_councillors_see_the_one_pack_when_there_is_no_part_ii(request, committee, who, django_assert_num_queries):
    meeting = _part_i_meeting(committee)
    public, confidential = _version(meeting, "public"), _version(meeting, "confidential")
    reader = reader_for(request.getfixturevalue(who))
    with django_assert_num_queries(1):
        packs = pack_selectors.meeting_packs(meeting=meeting, reader=reader)
    assert [pack for _, pack in packs.current] == [public] and packs.earlier == []
    html = render_to_string("committee/_packs.html", {"packs": packs})
    assert "Part II" not in html and confidential.get_absolute_url() not in html
    # Made Part II, the meeting offers both.
    exempt(meeting.items.get(), 3)
    packs = pack_selectors.meeting_packs(meeting=meeting, reader=reader)
    assert [pack for _, pack in packs.current] == [public, confidential]

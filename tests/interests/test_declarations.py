"""Declarations at meetings: they print under their item on the meeting page, in the minutes
and in the pack; "none declared" prints the council's words; a declaration on a Part II item
goes no further than that item's papers."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from committee import services as committee_services
from committee.models import Minute, Minutes
from committee.pack import content
from interests import selectors, services
from interests.models import Declaration, Dispensation, NoneDeclared
from tests.factories import AgendaItemFactory, exempt

pytestmark = pytest.mark.django_db

NATURE = "Her husband is employed by the library service."
NONE_WORDS = "No pecuniary or non-pecuniary interests were disclosed."


def _declare(meeting, member, *, number="2", **kwargs):
    return Declaration.objects.create(
        agenda_item=meeting.items.get(number=number), member=member,
        **{"kind": Declaration.Kind.OTHER_REGISTRABLE, "nature": NATURE, **kwargs},
    )  # fmt: skip


def test_a_declaration_shows_under_its_item_on_the_meeting_page(client, meeting, member):
    _declare(meeting, member, left_room=True)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f"{member} declared an other registrable interest: {NATURE}" in page
    assert "left the room for this item" in page


def test_declarations_print_in_the_published_minutes_and_the_pack(client, meeting, member, officer):
    _declare(meeting, member)
    minutes = Minutes.objects.create(meeting=meeting)
    for item in meeting.items.all():
        Minute.objects.create(minutes=minutes, agenda_item=item, text="<p>Noted.</p>")
    minutes.published_at = meeting.starts_at
    minutes.save()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert NATURE in page.split('id="minutes"')[1]
    front = content.gather(meeting, kind="public", scope="full").front_sheet_html({})
    assert NATURE in front


def test_none_declared_prints_the_councils_words(client, meeting, officer):
    services.none_declared_record(meeting, by=officer)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert page.count(NONE_WORDS) == 1
    assert NONE_WORDS in content.gather(meeting, kind="public", scope="full").front_sheet_html({})


def test_none_declared_is_refused_once_interests_are_declared(meeting, member, officer):
    _declare(meeting, member)
    with pytest.raises(ValidationError, match="delete those declarations"):
        services.none_declared_record(meeting, by=officer)
    assert not NoneDeclared.objects.exists()


def test_a_declaration_on_a_part_ii_item_is_not_public(client, api_client_get, meeting, member, councillor):
    secret = exempt(AgendaItemFactory(meeting=meeting, order=3, number="3", title="Acquisition of land"), 3)
    Declaration.objects.create(
        agenda_item=secret, member=member, kind=Declaration.Kind.PECUNIARY, nature="ZX-PART-II owns the next field"
    )
    assert "ZX-PART-II" not in client.get(meeting.get_absolute_url()).content.decode()
    assert "ZX-PART-II" not in api_client_get("/api/declarations/")
    assert selectors.declarations_for_item(secret) == []
    # The committee's councillors read the Part II item, and the declaration with it.
    client.force_login(councillor)
    assert "ZX-PART-II" in client.get(meeting.get_absolute_url()).content.decode()


def test_declarations_for_item_is_what_a_decision_record_states(meeting, member):
    dispensation = Dispensation.objects.create(
        member=member, for_what="To speak and vote on library matters", ground="c", granted_by="Standards Committee",
        granted_on=date(2018, 1, 10), valid_from=date(2018, 1, 10), valid_to=date(2021, 1, 9),
    )  # fmt: skip
    declared = _declare(meeting, member, kind=Declaration.Kind.PECUNIARY, dispensation=dispensation)
    assert selectors.declarations_for_item(meeting.items.get(number="2")) == [declared]


def test_a_sensitive_declaration_records_no_nature(meeting, member):
    declared = _declare(meeting, member, kind=Declaration.Kind.PECUNIARY, nature="", is_sensitive=True)
    assert declared.pk
    with pytest.raises(IntegrityError):
        _declare(meeting, member, kind=Declaration.Kind.NON_REGISTRABLE, nature="", is_sensitive=False)


def test_minutes_print_the_declarations_of_the_minuted_meeting(meeting, member, officer):
    """The minutes printed in the next meeting's pack carry the declarations."""
    _declare(meeting, member)
    minutes = Minutes.objects.create(meeting=meeting)
    Minute.objects.create(minutes=minutes, agenda_item=meeting.items.get(number="2"), text="<p>Noted.</p>")
    minutes.published_at = meeting.starts_at
    minutes.save()
    later = committee_services.meeting_save(
        meeting=type(meeting)(
            committee=meeting.committee,
            venue=meeting.venue,
            starts_at=meeting.starts_at.replace(year=meeting.starts_at.year + 1),
        )
    )
    AgendaItemFactory(meeting=later, order=1, number="1", title="Minutes", kind="minutes", minutes_of=meeting)
    committee_services.meeting_publish_agenda(meeting=later, by=officer)
    papers = content.gather(later, kind="public", scope="full").papers
    assert NATURE in papers[0].parts[0].html

"""Declarations recorded from the "Write the minutes" page (interests/minutes.py): under each
item, without leaving the page; the minutes typed but not saved come back as typed; slips
come back at the field; the recorded ones are listed."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from committee.models import Meeting, Minute
from interests.models import Declaration, Dispensation, NoneDeclared
from tests.core.admin_pages import form_data, with_values
from tests.factories import AgendaItemFactory, MeetingFactory, MemberFactory, MembershipFactory, at

pytestmark = pytest.mark.django_db

NATURE = "Her husband is employed by BT Lancashire Services."
TYPED = "<p>ZX-TYPED Paul Bond presented the contract.</p>"


@pytest.fixture
def meeting(committee):
    meeting = MeetingFactory(committee=committee, starts_at=at(2018, 6, 27))
    for order, (title, kind) in enumerate(
        [("Disclosure of Pecuniary and Non-Pecuniary Interests", "declarations"), ("BT contract", "report")], start=1
    ):
        AgendaItemFactory(meeting=meeting, order=order, number=str(order), title=title, kind=kind)
    for name in ("A Atkinson", "H Khan"):
        MembershipFactory(committee=committee, member=MemberFactory(name=name), start_date=date(2017, 5, 25))
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.HELD, agenda_published_at=meeting.starts_at - timedelta(days=8)
    )
    meeting.refresh_from_db()
    return meeting


def _url(meeting):
    return reverse("admin:committee_meeting_minutes", args=[meeting.pk])


def _report_index(data, item) -> str:
    return [k for k, v in data.items() if k.endswith("-item") and v == [str(item.pk)]][0].split("-")[1]


def _declare(client, meeting, item, **fields):
    data = form_data(client.get(_url(meeting)))
    index = _report_index(data, item)
    values = {f"items-{index}-text": TYPED, "declare": str(item.pk)}
    values.update({f"declare-{item.pk}-{name}": value for name, value in fields.items()})
    return client.post(_url(meeting), with_values(data, **values), follow=True)


def test_an_officer_records_a_declaration_under_its_item_and_the_typed_minutes_are_kept(client, officer, meeting):
    client.force_login(officer)
    item = meeting.items.get(number="2")
    atkinson = meeting.committee.memberships.get(member__name="A Atkinson").member

    response = _declare(client, meeting, item, member=str(atkinson.pk), kind="pecuniary", nature=NATURE, left_room="on")

    page = response.content.decode()
    assert response.status_code == 200 and response.redirect_chain == []
    declaration = Declaration.objects.get()
    assert (declaration.agenda_item, declaration.member, declaration.left_room) == (item, atkinson, True)
    assert declaration.history.first().history_user == officer
    assert "Recorded: County Councillor A Atkinson declared an interest in item 2." in page
    assert f"A Atkinson declared a disclosable pecuniary interest: {NATURE} Left the room for this item." in page
    assert "&lt;p&gt;ZX-TYPED Paul Bond presented the contract.&lt;/p&gt;" in page  # typed, kept, not yet saved
    assert not Minute.objects.filter(text__contains="ZX-TYPED").exists()
    assert "Please correct the errors below" not in page


def test_a_slip_comes_back_at_the_field_with_the_typing_kept(client, officer, meeting):
    client.force_login(officer)
    item = meeting.items.get(number="2")
    khan = meeting.committee.memberships.get(member__name="H Khan").member

    response = _declare(client, meeting, item, member=str(khan.pk), kind="pecuniary", nature="")

    page = response.content.decode()
    assert response.status_code == 200 and not Declaration.objects.exists()
    assert "Say the nature of the interest, as the minutes will print it." in page
    assert "ZX-TYPED Paul Bond presented the contract." in page
    assert f'<option value="{khan.pk}" selected>' in page


def test_only_the_meetings_members_are_offered_and_another_is_refused(client, officer, meeting):
    client.force_login(officer)
    stranger = MemberFactory(name="Not On This Committee")
    item = meeting.items.get(number="2")
    page = client.get(_url(meeting)).content.decode()
    choices = re.search(rf'<select name="declare-{item.pk}-member".*?</select>', page, re.S).group(0)
    assert "A Atkinson" in choices and "Not On This Committee" not in choices

    response = _declare(client, meeting, item, member=str(stranger.pk), kind="pecuniary", nature=NATURE)

    assert "Select a valid choice" in response.content.decode() and not Declaration.objects.exists()


def test_a_dispensation_of_another_member_or_day_is_not_offered(client, officer, meeting):
    client.force_login(officer)
    atkinson = meeting.committee.memberships.get(member__name="A Atkinson").member
    covering = Dispensation.objects.create(
        member=atkinson, for_what="ZX-COVERS contracts", ground="e", granted_by="Standards Committee",
        granted_on=date(2018, 1, 1), valid_from=date(2018, 1, 1), valid_to=date(2019, 1, 1),
    )  # fmt: skip
    Dispensation.objects.create(
        member=atkinson, for_what="ZX-EXPIRED", ground="e", granted_by="Standards Committee",
        granted_on=date(2016, 1, 1), valid_from=date(2016, 1, 1), valid_to=date(2017, 1, 1),
    )  # fmt: skip
    page = client.get(_url(meeting)).content.decode()
    assert "ZX-COVERS" in page and "ZX-EXPIRED" not in page

    _declare(
        client, meeting, meeting.items.get(number="2"),
        member=str(atkinson.pk), kind="pecuniary", nature=NATURE, dispensation=str(covering.pk),
    )  # fmt: skip

    assert Declaration.objects.get().dispensation == covering


def test_none_disclosed_stays_when_there_are_none_and_a_declaration_is_refused_beside_it(client, officer, meeting):
    client.force_login(officer)
    page = client.get(_url(meeting)).content.decode()
    assert "No pecuniary or non-pecuniary interests were disclosed." in page
    NoneDeclared.objects.create(meeting=meeting)
    atkinson = meeting.committee.memberships.get(member__name="A Atkinson").member

    response = _declare(
        client, meeting, meeting.items.get(number="2"), member=str(atkinson.pk), kind="pecuniary", nature=NATURE
    )

    assert response.status_code == 200 and not Declaration.objects.exists()
    assert "no interests were disclosed" in response.content.decode()


def test_saving_the_minutes_still_saves_them(client, officer, meeting):
    client.force_login(officer)
    data = form_data(client.get(_url(meeting)))
    index = _report_index(data, meeting.items.get(number="2"))

    response = client.post(_url(meeting), with_values(data, **{f"items-{index}-text": TYPED}))

    assert response.status_code == 302
    assert meeting.items.get(number="2").minute.text == TYPED and not Declaration.objects.exists()


def test_the_minute_cannot_say_none_were_disclosed_once_a_declaration_is_recorded(client, officer, meeting):
    client.force_login(officer)
    atkinson = meeting.committee.memberships.get(member__name="A Atkinson").member
    _declare(client, meeting, meeting.items.get(number="2"), member=str(atkinson.pk), kind="pecuniary", nature=NATURE)
    data = form_data(client.get(_url(meeting)))
    index = _report_index(data, meeting.items.get(number="1"))
    assert "No pecuniary or non-pecuniary interests were disclosed." in data[f"items-{index}-text"][0]

    response = client.post(_url(meeting), data)

    page = response.content.decode()
    assert response.status_code == 200 and not Minute.objects.exists()
    assert "this minute cannot say that none were disclosed" in page


@pytest.mark.parametrize("odd", ["²", "٣", "x", ""])
def test_a_crafted_item_or_councillor_number_records_nothing_and_answers_with_the_page(client, officer, meeting, odd):
    """Digits that `int` refuses ("²") once slipped past `isdigit` into `int`: a 500."""
    client.force_login(officer)
    data = form_data(client.get(_url(meeting)))
    response = client.post(_url(meeting), with_values(data, declare=odd, **{"items-0-item": odd}), follow=True)
    assert response.status_code == 200
    assert not Declaration.objects.exists()

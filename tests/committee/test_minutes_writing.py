"""Writing the minutes of a held meeting: the "Write the minutes" page, the service behind
it, and the rule that minutes are of their own meeting's items (model and database)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committee import services
from committee.models import AgendaItem, Attendance, Meeting, Minute, Minutes
from tests.core.admin_pages import form_data, with_values
from tests.factories import AgendaItemFactory, MeetingFactory, MemberFactory, MembershipFactory, at, exempt

pytestmark = pytest.mark.django_db


def _held(meeting: Meeting) -> Meeting:
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.HELD, agenda_published_at=meeting.starts_at - timedelta(days=8)
    )
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def previous(committee):
    return MeetingFactory(committee=committee, starts_at=at(2018, 4, 18))


@pytest.fixture
def meeting(committee, previous):
    """27 June 2018, held: the seed's agenda, its standard items and two reports (one Part II)."""
    meeting = MeetingFactory(committee=committee, starts_at=at(2018, 6, 27))
    kinds = [
        ("Apologies for Absence", "apologies"),
        ("Disclosure of Pecuniary and Non-Pecuniary Interests", "declarations"),
        ("Minutes of the Meeting held on 18th April 2018", "minutes"),
        ("Corporate Risk and Opportunity Register Quarter 1", "report"),
        ("BT Lancashire Services contract", "report"),
        ("Urgent Business", "urgent_business"),
        ("Date of Next Meeting", "next_meeting"),
    ]
    for order, (title, kind) in enumerate(kinds, start=1):
        item = AgendaItemFactory(meeting=meeting, order=order, number=str(order), title=title, kind=kind)
        if kind == "minutes":
            item.minutes_of = previous
            item.save()
    exempt(meeting.items.get(number="5"), 3)
    MeetingFactory(committee=committee, starts_at=at(2018, 9, 19))
    for name, role in [("Geoff Driver", "chair"), ("A Atkinson", "vice_chair"), ("H Khan", "member")]:
        MembershipFactory(committee=committee, member=MemberFactory(name=name), role=role, start_date=date(2017, 5, 25))
    return _held(meeting)


def _url(meeting):
    return reverse("admin:committee_meeting_minutes", args=[meeting.pk])


def _history_rows() -> int:
    return sum(model.history.count() for model in (Minutes, Minute, Attendance))


def _field(data: dict, prefix: str, number: int, name: str) -> str:
    return f"{prefix}-{number}-{name}"


# The page -----------------------------------------------------------------------------------


def test_the_page_has_a_row_for_each_item_of_this_meeting_only_with_the_standard_wording(client, officer, meeting):
    other = _held(MeetingFactory(committee=meeting.committee, starts_at=at(2018, 5, 16)))
    AgendaItemFactory(meeting=other, title="An item of another meeting")
    client.force_login(officer)

    page = client.get(_url(meeting)).content.decode()

    assert "An item of another meeting" not in page
    for item in meeting.items.all():
        assert f"{item.number}. {item.title}" in page
    assert "5. BT Lancashire Services contract (Part II: Paragraph 3)" in page
    assert "No apologies for absence were received." in page
    assert "No pecuniary or non-pecuniary interests were disclosed." in page
    assert (
        "Resolved: That the minutes of the meeting held on 18th April 2018 be confirmed and signed by the Chair."
        in page
    )
    assert "There were no items of Urgent Business." in page
    assert "would be held on Wednesday 19th September 2018 at 2.00pm" in page
    data = form_data(client.get(_url(meeting)))
    chair = [k for k, v in data.items() if k.endswith("in_the_chair") and v == ["on"]]
    assert len(chair) == 1 and data[chair[0].replace("in_the_chair", "member")] == [
        str(meeting.committee.memberships.get(role="chair").member_id)
    ]
    assert {
        v[0] for k, v in data.items() if k.endswith("-status") and data[k.replace("status", "listed")] == ["True"]
    } == {"present"}


def test_saving_writes_the_minutes_the_attendance_and_the_officers(client, officer, meeting):
    client.force_login(officer)
    data = form_data(client.get(_url(meeting)))
    report = meeting.items.get(number="4")
    index = [k for k, v in data.items() if k.endswith("-item") and v == [str(report.pk)]][0].split("-")[1]
    khan = meeting.committee.memberships.get(member__name="H Khan").member_id
    khan_row = [k for k, v in data.items() if k.endswith("-member") and v == [str(khan)]][0].split("-")[1]
    data = with_values(
        data,
        **{
            f"items-{index}-text": "<p>Paul Bond presented the register.</p>",
            f"items-{index}-resolution": "<p>Resolved: That the Cabinet Committee note the report.</p>",
            f"attendance-{khan_row}-status": "apologies",
            "officers_in_attendance": "Paul Bond, Head of Legal and Democratic Services",
        },
    )

    response = client.post(_url(meeting), data)

    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.officers_in_attendance == "Paul Bond, Head of Legal and Democratic Services"
    assert Minute.objects.get(agenda_item=report).resolution == (
        "<p>Resolved: That the Cabinet Committee note the report.</p>"
    )
    assert Minute.objects.filter(minutes=minutes).count() == 6  # every item with words; the report 5 has none
    assert Attendance.objects.get(meeting=meeting, member_id=khan).status == "apologies"
    assert Attendance.objects.get(meeting=meeting, in_the_chair=True).member.name == "Geoff Driver"
    assert minutes.history.first().history_user == officer


def test_an_untouched_save_writes_nothing(client, officer, meeting):
    client.force_login(officer)
    client.post(_url(meeting), form_data(client.get(_url(meeting))))
    before = _history_rows()

    response = client.post(_url(meeting), form_data(client.get(_url(meeting))), follow=True)

    assert "Nothing was changed, so nothing was saved." in response.content.decode()
    assert _history_rows() == before


def test_two_in_the_chair_come_back_with_the_message_at_the_fields_and_what_was_typed(client, officer, meeting):
    client.force_login(officer)
    data = form_data(client.get(_url(meeting)))
    data = with_values(data, **{"attendance-1-in_the_chair": "on", "items-3-text": "<p>Typed before the slip.</p>"})

    response = client.post(_url(meeting), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Only one councillor can be in the chair at a meeting.") == 2
    assert "Typed before the slip." in page
    assert form_data(response)["attendance-1-in_the_chair"] == ["on"]
    assert not Minutes.objects.exists() and not Attendance.objects.exists()


def test_the_chair_must_be_present(client, officer, meeting):
    client.force_login(officer)
    data = with_values(form_data(client.get(_url(meeting))), **{"attendance-0-status": "apologies"})

    response = client.post(_url(meeting), data)

    assert response.status_code == 200
    assert "The councillor in the chair must be present." in response.content.decode()
    assert form_data(response)["attendance-0-status"] == ["apologies"]


def test_a_substitute_is_added_on_a_blank_line(client, officer, meeting):
    substitute = MemberFactory(name="S Turner")
    client.force_login(officer)
    data = form_data(client.get(_url(meeting)))
    blank = [k for k, v in data.items() if k.endswith("-listed") and v == ["False"]][0].split("-")[1]
    data = with_values(
        data,
        **{
            f"attendance-{blank}-member": str(substitute.pk),
            f"attendance-{blank}-status": "present",
            f"attendance-{blank}-is_substitute": "on",
        },
    )

    assert client.post(_url(meeting), data).status_code == 302
    assert Attendance.objects.get(meeting=meeting, member=substitute).is_substitute


def test_an_item_of_another_meeting_is_refused_by_the_page(client, officer, meeting):
    elsewhere = AgendaItemFactory(meeting=MeetingFactory(committee=meeting.committee, starts_at=at(2018, 5, 16)))
    client.force_login(officer)
    data = with_values(form_data(client.get(_url(meeting))), **{"items-0-item": str(elsewhere.pk)})

    response = client.post(_url(meeting), data)

    assert response.status_code == 200
    assert "A minute can only be of an item on the agenda of the meeting these minutes are of." in (
        response.content.decode()
    )
    assert not Minute.objects.exists()


def test_a_stale_copy_is_refused_and_kept(client, officer, meeting, django_user_model):
    client.force_login(officer)
    client.post(_url(meeting), form_data(client.get(_url(meeting))))
    mine = with_values(form_data(client.get(_url(meeting))), **{"items-3-text": "<p>Mine.</p>"})
    colleague = django_user_model.objects.create_superuser("colleague")
    other = type(client)()
    other.force_login(colleague)
    theirs = with_values(form_data(other.get(_url(meeting))), **{"items-3-text": "<p>Theirs.</p>"})
    assert other.post(_url(meeting), theirs).status_code == 302

    response = client.post(_url(meeting), mine)

    assert response.status_code == 200
    assert "While you had this page open, colleague saved a change to these minutes." in response.content.decode()
    assert "Mine." in response.content.decode()
    assert Minute.objects.get(agenda_item__number="4", agenda_item__meeting=meeting).text == "<p>Theirs.</p>"
    # Saving again from the page is then deliberate, and keeps what it shows.
    assert client.post(_url(meeting), form_data(response)).status_code == 302
    assert Minute.objects.get(agenda_item__number="4", agenda_item__meeting=meeting).text == "<p>Mine.</p>"


def test_the_page_is_only_for_a_held_meeting_and_for_officers(client, officer, author, committee):
    draft = MeetingFactory(committee=committee)
    client.force_login(officer)
    assert client.get(_url(draft)).status_code == 302
    client.force_login(author)
    assert client.get(_url(draft)).status_code == 403


def test_the_page_reads_in_a_fixed_number_of_queries(client, officer, meeting):
    client.force_login(officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_url(meeting)).status_code == 200
        return len(captured.captured_queries)

    few = count()
    for n in range(8, 20):
        AgendaItemFactory(meeting=meeting, order=n, number=str(n))
    for _ in range(5):
        MembershipFactory(committee=meeting.committee, start_date=date(2017, 5, 25))
    assert count() == few
    client.post(_url(meeting), form_data(client.get(_url(meeting))))
    saved = count()
    for n in range(20, 30):
        AgendaItemFactory(meeting=meeting, order=n, number=str(n))
    assert count() == saved


# The buttons on the meeting's page ----------------------------------------------------------


def _tools(client, meeting) -> str:
    return client.get(reverse("admin:committee_meeting_change", args=[meeting.pk])).content.decode()


def test_the_meeting_page_offers_each_step_when_it_applies(client, officer, committee):
    client.force_login(officer)
    meeting = MeetingFactory(committee=committee, starts_at=at(2018, 6, 27))
    AgendaItemFactory(meeting=meeting)
    services.meeting_publish_agenda(meeting=meeting, by=officer, late_reasons="Urgent.")
    page = _tools(client, meeting)
    assert "Mark as held" in page and "Write the minutes" not in page and "Publish the minutes" not in page

    response = client.post(reverse("admin:committee_meeting_mark_held", args=[meeting.pk]), follow=True)

    assert "is marked as held" in response.content.decode()
    page = _tools(client, meeting)
    assert "Mark as held" not in page and "Write the minutes" in page and "Publish the minutes" in page
    client.post(_url(meeting), form_data(client.get(_url(meeting))))
    response = client.post(reverse("admin:committee_meeting_publish_minutes", args=[meeting.pk]), follow=True)
    assert "are published" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MINUTES_PUBLISHED


def test_publishing_minutes_not_written_is_refused_on_its_page(client, officer, meeting):
    client.force_login(officer)
    response = client.post(reverse("admin:committee_meeting_publish_minutes", args=[meeting.pk]))
    assert response.status_code == 200
    assert "Write the minutes before publishing them." in response.content.decode()


def test_a_future_meeting_cannot_be_marked_held(client, officer, committee):
    client.force_login(officer)
    meeting = MeetingFactory(committee=committee)
    AgendaItemFactory(meeting=meeting)
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    assert "Mark as held" not in _tools(client, meeting)
    response = client.post(reverse("admin:committee_meeting_mark_held", args=[meeting.pk]))
    assert "This meeting has not started yet." in response.content.decode()


# The service --------------------------------------------------------------------------------


def _entries(meeting, **texts):
    return [services.MinuteEntry(item.pk, texts.get(item.number, "")) for item in meeting.items.all()]


def test_the_service_writes_only_what_changed(officer, meeting):
    driver = meeting.committee.memberships.get(role="chair").member_id
    rows = [services.AttendanceEntry(driver, "present", in_the_chair=True)]
    written = services.minutes_write(
        meeting=meeting, by=officer, officers_in_attendance="", entries=_entries(meeting, **{"4": "<p>A</p>"}),
        attendances=rows,
    )  # fmt: skip
    assert written == 3  # the minutes, one minute, one attendance
    assert services.minutes_write(
        meeting=meeting, by=officer, officers_in_attendance="", entries=_entries(meeting, **{"4": "<p>A</p>"}),
        attendances=rows,
    ) == 0  # fmt: skip
    # Emptied, a minute is taken away.
    services.minutes_write(
        meeting=meeting, by=officer, officers_in_attendance="", entries=_entries(meeting), attendances=rows
    )
    assert not Minute.objects.exists()


def test_the_service_moves_the_chair_in_one_save(officer, meeting):
    driver, atkinson = (meeting.committee.memberships.get(role=r).member_id for r in ("chair", "vice_chair"))
    first = [services.AttendanceEntry(driver, "present", True), services.AttendanceEntry(atkinson, "present")]
    services.minutes_write(meeting=meeting, by=officer, officers_in_attendance="", entries=[], attendances=first)
    swapped = [services.AttendanceEntry(driver, "present"), services.AttendanceEntry(atkinson, "present", True)]
    services.minutes_write(meeting=meeting, by=officer, officers_in_attendance="", entries=[], attendances=swapped)
    assert Attendance.objects.get(meeting=meeting, in_the_chair=True).member_id == atkinson


def test_the_service_refuses_and_changes_nothing(officer, meeting):
    driver, atkinson = (meeting.committee.memberships.get(role=r).member_id for r in ("chair", "vice_chair"))
    elsewhere = AgendaItemFactory(meeting=MeetingFactory(committee=meeting.committee))
    cases = [
        ({"entries": [services.MinuteEntry(elsewhere.pk, "<p>x</p>")]}, "items on the agenda of this meeting"),
        (
            {"attendances": [services.AttendanceEntry(driver, "present", True), services.AttendanceEntry(atkinson, "present", True)]},
            "Only one councillor can be in the chair",
        ),
        ({"attendances": [services.AttendanceEntry(driver, "apologies", True)]}, "must be present"),
        ({"version_seen": "stale"}, "While you had this page open"),
    ]  # fmt: skip
    for kwargs, message in cases:
        with pytest.raises(ValidationError, match=message):
            services.minutes_write(
                meeting=meeting,
                by=officer,
                **{"officers_in_attendance": "x", "entries": _entries(meeting, **{"4": "<p>A</p>"}), "attendances": [], **kwargs},
            )  # fmt: skip
        assert not Minutes.objects.exists() and not Minute.objects.exists() and not Attendance.objects.exists()


def test_the_service_refuses_a_meeting_not_held(officer, committee):
    with pytest.raises(ValidationError, match="once the meeting has been held"):
        services.minutes_write(
            meeting=MeetingFactory(committee=committee),
            by=officer,
            officers_in_attendance="",
            entries=[],
            attendances=[],
        )


# Minutes of their own meeting: the model and the database ------------------------------------


def test_the_model_refuses_a_minute_of_another_meetings_item(meeting):
    minutes = Minutes.objects.create(meeting=meeting)
    elsewhere = AgendaItemFactory(meeting=MeetingFactory(committee=meeting.committee))
    with pytest.raises(ValidationError, match="agenda of the meeting these minutes are of"):
        Minute(minutes=minutes, agenda_item=elsewhere).full_clean()
    Minute(minutes=minutes, agenda_item=meeting.items.first()).full_clean()


def test_the_database_refuses_a_minute_of_another_meetings_item(meeting):
    minutes = Minutes.objects.create(meeting=meeting)
    elsewhere = AgendaItemFactory(meeting=MeetingFactory(committee=meeting.committee))
    with pytest.raises(IntegrityError), transaction.atomic():
        Minute.objects.create(minutes=minutes, agenda_item=elsewhere)
    minute = Minute.objects.create(minutes=minutes, agenda_item=meeting.items.first())
    with pytest.raises(IntegrityError), transaction.atomic():
        Minute.objects.filter(pk=minute.pk).update(agenda_item=elsewhere)
    # Nor can the item or the minutes move away from each other.
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.filter(pk=minute.agenda_item_id).update(meeting=elsewhere.meeting)
    with pytest.raises(IntegrityError), transaction.atomic():
        Minutes.objects.filter(pk=minutes.pk).update(meeting=elsewhere.meeting)
    # An item without a minute still moves freely (a deferred report).
    spare = meeting.items.last()
    AgendaItem.objects.filter(pk=spare.pk).update(meeting=elsewhere.meeting, order=99)


def test_an_item_with_a_minute_cannot_be_moved_on_its_page(meeting):
    minutes = Minutes.objects.create(meeting=meeting)
    item = meeting.items.first()
    Minute.objects.create(minutes=minutes, agenda_item=item)
    item.meeting = MeetingFactory(committee=meeting.committee)
    with pytest.raises(ValidationError, match="cannot move to another meeting"):
        item.full_clean()

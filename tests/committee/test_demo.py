"""The demo reproduces the seed agenda pack: every agenda item, every minute resolution."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from committee.models import AgendaItem, Committee, Meeting, Minute, Report

pytestmark = pytest.mark.django_db

SEED_AGENDA_27_JUNE = [
    ("1", "Apologies for Absence"),
    ("2", "Disclosure of Pecuniary and Non-Pecuniary Interests"),
    ("3", "Minutes of the Meeting held on 18th April 2018"),
    ("4", "Corporate Risk and Opportunity Register Quarter 1"),
    ("5", "Quarterly Corporate Performance Monitoring Report - Quarter 4 2017/18"),
    ("6", "Lancashire Key Stage 4 Recovery Plan"),
    ("7", "Urgent Business"),
    ("8", "Date of Next Meeting"),
]

SEED_RESOLUTIONS_18_APRIL = {
    "3": "That the minutes of the meeting held on 27th February 2018 be confirmed and signed by the Chair.",
    "4": "That the Cabinet Committee note the report and that a further report will be presented in 6 months time.",
    "5": "the progress made so far in developing a pooled budget with partner organisations for people with "
    "Learning Disabilities &amp; Autism",
    "6": "That the Cabinet Committee note the mitigations in place for managing this Corporate Risk relating to "
    "Adult Services demand.",
    "7": "That the Cabinet Committee note the report.",
}


@pytest.fixture
def demo(demo_for_the_module):
    """The demo, loaded once for this module (tests/conftest.py): these tests read it, and
    what the two that load it again change is rolled back after each."""


def _meeting(day: str) -> Meeting:
    return Meeting.objects.get(starts_at__date=day)


def test_demo_loads_twice_without_change(demo):
    counts = (Meeting.objects.count(), AgendaItem.objects.count(), Report.objects.count(), Minute.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts == (
        Meeting.objects.count(),
        AgendaItem.objects.count(),
        Report.objects.count(),
        Minute.objects.count(),
    )


def test_committee_and_its_seven_members(demo):
    committee = Committee.objects.get(name="Cabinet Committee on Performance Improvement")
    members = committee.memberships.select_related("member")
    assert members.count() == 7
    chair = members.get(role="chair").member
    assert str(chair) == "County Councillor Geoff Driver CBE"
    assert {m.member.name for m in members} >= {"A Atkinson", "H Khan", "M Green", "G Gooch", "C Crompton", "S Turner"}


def test_every_item_of_the_27_june_agenda(demo):
    meeting = _meeting("2018-06-27")
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "14:00"
    assert str(meeting.venue) == "Committee Room 'B' (The Diamond Jubilee Room) - County Hall, Preston"
    assert str(meeting.signing_officer) == "L Sales, Director of Corporate Services"
    items = [(i.number, i.title.replace("–", "-")) for i in meeting.items.order_by("order")]
    assert items == SEED_AGENDA_27_JUNE
    assert meeting.items.get(number="3").minutes_of == _meeting("2018-04-18")
    assert (
        "Pecuniary and Non-Pecuniary Interests they may have to disclose" in meeting.items.get(number="2").standing_text
    )


def test_reports_carry_every_section(demo):
    risk = Report.objects.get(title__startswith="Corporate Risk and Opportunity Register")
    assert risk.report_of == "Head of Legal & Democratic Services"
    assert risk.contact.name == "Paul Bond" and risk.contact.phone == "01772 534676"
    assert "Failure to develop and maintain a Corporate Risk and Opportunity Register" in risk.risk_management
    performance = Report.objects.get(title__startswith="Quarterly Corporate Performance Monitoring Report")
    assert "Retention of staff in children's social care has improved" in performance.executive_summary
    assert {a.letter for a in performance.appendices.filter(kind="rich_text")} == {"A", "C"}
    ks4 = Report.objects.get(title="Lancashire Key Stage 4 Recovery Plan")
    assert "Progress 8 scores were below the national average" in ks4.background_and_advice
    assert "Reduce rates of exclusions, both fixed term and permanent" in ks4.background_and_advice


def test_every_minute_resolution_of_18_april(demo):
    meeting = _meeting("2018-04-18")
    minutes = meeting.minutes
    assert minutes.confirmed_at == _meeting("2018-06-27")
    assert [a.member.name for a in meeting.attendances.filter(status="present")][0] == "Geoff Driver"
    assert meeting.attendances.filter(status="present").count() == 7
    assert meeting.items.count() == 9
    for number, words in SEED_RESOLUTIONS_18_APRIL.items():
        minute = Minute.objects.get(agenda_item__meeting=meeting, agenda_item__number=number)
        assert words in minute.resolution, number
    assert "99.7% of the" in Minute.objects.get(agenda_item__meeting=meeting, agenda_item__number="4").text


def test_next_meeting_carries_the_labelled_illustrative_part_ii_item(demo):
    # The seed names the next meeting but not its agenda, and has no Part II business: the
    # demo adds one clearly labelled exempt item there to show the gate.
    meeting = _meeting("2018-10-04")
    exempt = meeting.items.get(access="exempt")
    assert exempt.paragraph_numbers == [3] and "illustrative, not from the seed" in exempt.title
    assert "NOT FROM THE SEED" in exempt.report.executive_summary


def test_demo_logins_have_their_roles(demo, django_user_model):
    officer = django_user_model.objects.get(username="officer")
    author = django_user_model.objects.get(username="author")
    assert officer.has_perm("committee.publish_meeting") and officer.is_staff
    assert author.has_perm("committee.change_report") and not author.has_perm("committee.publish_meeting")
    driver = django_user_model.objects.get(username="cllr.driver")
    assert driver.member.name == "Geoff Driver" and not driver.is_staff


def test_a_fresh_demo_has_a_published_meeting_ahead_labelled_as_illustrative(demo, client):
    ahead = Meeting.objects.filter(starts_at__gte=timezone.now())
    assert ahead.count() == 1
    meeting = ahead.get()
    days = (timezone.localdate(meeting.starts_at) - timezone.localdate()).days
    assert 28 <= days < 42 and meeting.is_published and meeting.deadline_met
    assert "illustrative, not from the seed" in meeting.items.get(number="3").title
    assert meeting.get_absolute_url() in client.get("/").content.decode()


def test_the_upcoming_meeting_is_added_again_once_it_is_past(demo):
    meeting = Meeting.objects.get(starts_at__gte=timezone.now())
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timezone.timedelta(days=1))
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Meeting.objects.filter(starts_at__gte=timezone.now()).count() == 1

"""Five clear working days (domain rules 2-3)."""

from datetime import date

import pytest

from committee.deadlines import clear_working_days, publication_deadline, working_days_after
from committee.models import CouncilClosureDay
from committee.services import meeting_deadline
from tests.factories import MeetingFactory, at


def test_worked_example_over_christmas():
    # Tue 6 Jan 2026: clear days 29, 30, 31 Dec and 2, 5 Jan; due by the end of Wed 24 Dec 2025.
    assert publication_deadline(date(2026, 1, 6)) == date(2025, 12, 24)
    assert clear_working_days(date(2025, 12, 24), date(2026, 1, 6)) == 5


def test_elitestone_agenda_had_only_two_clear_days():
    # R v Swansea CC ex p Elitestone: published Thu 26 Apr 1990 for Tue 1 May 1990.
    assert clear_working_days(date(1990, 4, 26), date(1990, 5, 1)) == 2
    assert publication_deadline(date(1990, 5, 1)) == date(1990, 4, 23)


def test_bank_holiday_is_not_a_working_day():
    # Spring bank holiday Mon 25 May 2026: for Mon 1 Jun the clear days are 22, 26, 27, 28, 29 May.
    assert publication_deadline(date(2026, 6, 1)) == date(2026, 5, 21)
    # Without the holiday the deadline would have been Fri 22 May.
    assert publication_deadline(date(2026, 6, 8)) == date(2026, 5, 29)


def test_seed_meeting_deadline():
    # Wed 27 June 2018: clear days 20, 21, 22, 25, 26 June; due by Tue 19 June.
    assert publication_deadline(date(2018, 6, 27)) == date(2018, 6, 19)


@pytest.mark.django_db
def test_council_closure_day_moves_the_deadline(committee):
    meeting = MeetingFactory(committee=committee, starts_at=at(2026, 6, 8))
    assert meeting.publication_deadline == date(2026, 5, 29)
    CouncilClosureDay.objects.create(date=date(2026, 6, 3), reason="Council offices closed for a move")
    assert meeting_deadline(meeting=meeting) == date(2026, 5, 28)


@pytest.mark.parametrize("meeting", [date(1, 1, 1), date(1, 1, 5), date(1, 1, 8)])
def test_a_meeting_in_the_calendars_first_days_has_the_first_day_as_its_deadline(meeting):
    # A meeting imported dated 0001 (a slip in ModernGov): counting back five clear days ran
    # off the calendar, and the import, or an officer's save of the meeting, was an error page.
    assert publication_deadline(meeting) == date.min
    assert clear_working_days(date.max, date.max) == 0


def test_counting_working_days_stops_at_the_calendars_ends():
    assert working_days_after(date(9999, 12, 29), 5) == date.max
    assert working_days_after(date(1, 1, 3), -5) == date.min
    assert working_days_after(date(2026, 6, 1), -6) == publication_deadline(date(2026, 6, 1))

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from committee.models import ReportSource
from core.dates import day_and_time, find_date, typed_day_problem

DAY = (date(2018, 6, 27), date(2018, 6, 27))
JUNE = (date(2018, 6, 1), date(2018, 6, 30))


@pytest.mark.parametrize(
    ("typed", "found", "rest"),
    [
        ("27 June 2018", DAY, ""),
        ("27th June, 2018", DAY, ""),
        ("Wednesday 27 June 2018", DAY, ""),
        ("Wednesday, 27th June, 2018", DAY, ""),
        ("27 Jun 2018", DAY, ""),
        ("27/06/2018", DAY, ""),
        ("27/6/18", DAY, ""),
        ("27.06.2018", DAY, ""),
        ("2018-06-27", DAY, ""),
        ("June 2018", JUNE, ""),
        ("Sept 2018", (date(2018, 9, 1), date(2018, 9, 30)), ""),
        ("06/2018", JUNE, ""),
        ("apologies 27 June 2018", DAY, "apologies"),
        ("Cabinet Committee June 2018", JUNE, "Cabinet Committee"),
    ],
)
def test_dates_as_officers_type_them(typed, found, rest):
    result = find_date(typed)
    assert (result.first, result.last) == found and result.rest == rest


@pytest.mark.parametrize("typed", ["31 June 2018", "Performance", "2018", "Item 27", "06/13/2018"])
def test_what_is_not_a_date_is_searched_as_words(typed):
    assert find_date(typed) is None


def test_a_typed_day_runs_from_its_first_day_to_today_unless_it_may_be_later():
    today = timezone.localdate()
    first = today - timedelta(days=3)
    assert typed_day_problem(first, not_before=first, because="the day it was recorded") is None
    assert typed_day_problem(today) is None
    assert "the day it was recorded" in typed_day_problem(first - timedelta(days=1), not_before=first,
                                                          because="the day it was recorded")  # fmt: skip
    assert "is still to come" in typed_day_problem(today + timedelta(days=1))
    assert typed_day_problem(today + timedelta(days=1), later=True) is None
    assert "Monday 1 January 0001 is before" in typed_day_problem(date(1, 1, 1), not_before=first, because="x")


def test_a_moment_is_told_on_the_councils_clock_wherever_it_is_written():
    # 13:05 UTC on 1 July is 14:05 in London (summer time): the stale-save message, an old
    # version's heading and a Word document's upload each say 14:05.
    summer = datetime(2026, 7, 1, 13, 5, tzinfo=UTC)
    assert day_and_time(summer) == ("1 July 2026", "14:05")
    assert str(ReportSource(original_name="Budget.docx", uploaded_at=summer)) == "Budget.docx (1 July 2026 14:05)"

"""Five clear working days (LGA 1972 s100A(6)(a), s100B(3)-(4); domain rules 2-3).

Clear days exclude the day of publication and the day of the meeting; only working days
count: not Saturdays, Sundays, England and Wales bank holidays, nor the council's own
closure days. The deadline is the last working day on which the agenda can be published
and still leave five clear working days.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

from core.dates import days_after

CLEAR_DAYS_REQUIRED = 5


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date, closures: Iterable[date] = ()) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year) and day not in closures


def clear_working_days(published: date, meeting: date, closures: Iterable[date] = ()) -> int:
    """How many clear working days lie strictly between publication and the meeting."""
    closures = frozenset(closures)
    day, count = days_after(published, 1), 0
    while day < meeting:
        count += is_working_day(day, closures)
        day += timedelta(days=1)
    return count


def working_days_after(start: date, count: int, closures: Iterable[date] = ()) -> date:
    """The `count`th working day after `start` (before it when `count` is negative; `start`
    not counted). Counting from a day near either end of the calendar (a meeting imported
    dated 0001) stops at the calendar's first or last day rather than an error page."""
    closures = frozenset(closures)
    step = 1 if count >= 0 else -1
    day, counted = start, 0
    while counted < abs(count):
        day = days_after(day, step)
        if day in (date.min, date.max):
            return day
        counted += is_working_day(day, closures)
    return day


def publication_deadline(meeting: date, closures: Iterable[date] = ()) -> date:
    """The last day (to its end) on which publishing gives five clear working days: the five
    working days before the meeting are the clear days, and publication falls on a working
    day before them, when the offices are open for inspection (the sixth working day before)."""
    return working_days_after(meeting, -(CLEAR_DAYS_REQUIRED + 1), closures)

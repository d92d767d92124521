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

CLEAR_DAYS_REQUIRED = 5


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date, closures: Iterable[date] = ()) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year) and day not in closures


def clear_working_days(published: date, meeting: date, closures: Iterable[date] = ()) -> int:
    """How many clear working days lie strictly between publication and the meeting."""
    closures = frozenset(closures)
    day, count = published + timedelta(days=1), 0
    while day < meeting:
        count += is_working_day(day, closures)
        day += timedelta(days=1)
    return count


def publication_deadline(meeting: date, closures: Iterable[date] = ()) -> date:
    """The last day (to its end) on which publishing gives five clear working days."""
    closures = frozenset(closures)
    day, counted = meeting, 0
    while counted < CLEAR_DAYS_REQUIRED:
        day -= timedelta(days=1)
        counted += is_working_day(day, closures)
    # `day` is the first of the clear days; publication must fall on a working day before it,
    # when the offices are open for inspection.
    day -= timedelta(days=1)
    while not is_working_day(day, closures):
        day -= timedelta(days=1)
    return day

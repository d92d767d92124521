"""Dates as council officers type them into a search box: "27 June 2018", "27th June, 2018",
"Wednesday 27 June 2018", "27/06/2018", "27/6/18", "2018-06-27", "June 2018", "06/2018".
Day first, always (a UK council never writes the month first)."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"

# Each pattern names its groups: day (optional), month (a name or a number), year.
PATTERNS = [
    rf"\b{_WEEKDAY}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})\.?,?\s+(?P<year>\d{{4}})\b",
    r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b",
    r"\b(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4}|\d{2})\b",
    rf"\b(?P<month>{_MONTH})\.?,?\s+(?P<year>\d{{4}})\b",
    r"\b(?P<month>\d{1,2})/(?P<year>\d{4})\b",
]


# "2.00 p.m." as the portal writes a time (TIME_FORMAT), and "2 P.M.": read as "2.00 pm",
# since the input formats' %p knows am and pm without their dots.
_AM_PM_WITH_DOTS = re.compile(r"(?<=[\d\s])([ap])\.\s?m\b\.?", re.IGNORECASE)


def am_pm_without_dots(typed: str) -> str:
    """A time typed with "a.m." or "p.m." written "am" or "pm": "2.30 p.m." as "2.30 pm"."""
    return _AM_PM_WITH_DOTS.sub(r"\1m", typed)


@dataclass(frozen=True)
class Found:
    first: date  # the day typed, or the first day of the month typed
    last: date  # the same day, or the month's last day
    rest: str  # the other words typed, to search as usual


def find_date(text: str) -> Found | None:
    """The first date (or month) in `text`, and what is left of it; None if there is none
    or it is not a real date (31 June)."""
    lowered = text.lower()
    for pattern in PATTERNS:
        match = re.search(pattern, lowered)
        if not match:
            continue
        parts = match.groupdict()
        month = parts["month"]
        month = int(month) if month.isdigit() else MONTHS[month.rstrip(".")]
        year = int(parts["year"])
        year = year + 2000 if year < 100 else year
        try:
            if parts.get("day"):
                first = last = date(year, month, int(parts["day"]))
            else:
                first = date(year, month, 1)
                last = date(year, month, calendar.monthrange(year, month)[1])
        except ValueError:
            return None
        rest = " ".join((text[: match.start()] + " " + text[match.end() :]).split())
        return Found(first=first, last=last, rest=rest)
    return None


def _local(value):
    """A moment as the council's clock reads it; a date as it is."""
    from django.utils import timezone

    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value)
    return value


def long_date(value) -> str:
    """A date (or the local date of a moment) the one way the portal writes it: "Wednesday 27
    June 2018" (the DATE_FORMAT of config/formats/en_GB)."""
    from django.utils import formats

    return formats.date_format(_local(value), "DATE_FORMAT")


def day_and_time(moment) -> tuple[str, str]:
    """When something was saved, as an officer is told it: the council's local day and time,
    ("7 December 2026", "14:05"), for a sentence to put in its own order ("at 14:05 on 7
    December 2026", "on 7 December 2026 at 14:05")."""
    from django.utils import formats

    moment = _local(moment)
    return formats.date_format(moment, "j F Y"), formats.date_format(moment, "H:i")


def years_after(day: date, years: int) -> date:
    """The same day `years` later (earlier when negative): 29 February becomes the 28th in a
    year that has none. A day typed near either end of the calendar (31/12/9999) gives the
    calendar's last (first) day rather than an error page."""
    year = day.year + years
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=year, day=28)


def days_after(day: date, days: int) -> date:
    """`day` and `days` more, as `years_after` stopping at the calendar's ends."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


# The days a council record can be dated: wide enough for any (county councils date from
# 1889), and centuries from the calendar's ends, so that counting days or years from a day
# typed (a publication deadline, six years' retention) never runs off the calendar.
EARLIEST = date(1800, 1, 1)
LATEST = date(2999, 12, 31)


def mistyped_year_problem(day) -> str | None:
    """What is wrong with a day (or the day of a date and time) typed into a form whose year
    is out of any record's reach (0001 for 2001, 9999 as "no end"), or None."""
    return mistyped_year(day.year)


def mistyped_year(year: int, *, typed: str = "a date") -> str | None:
    """`mistyped_year_problem` for a year typed alone (an import's --since), or None."""
    if EARLIEST.year <= year <= LATEST.year:
        return None
    return f"Check the year: {year:04d} cannot be right. Type {typed} from {EARLIEST.year} to {LATEST.year}."


def typed_day_problem(
    day: date, *, not_before: date | None = None, because: str = "", later: bool = False
) -> str | None:
    """What is wrong with a day an officer typed for something that starts or ends a legal
    clock (a notice published, a call-in made, a dispensation granted), or None.

    It is not before `not_before` (`because` says what that day is: a notice dated before
    its record existed would count days of notice nobody had) and, unless `later` (a notice
    public from a day to come), not after today, the council's day: it has happened."""
    from django.utils import timezone

    if not_before is not None and day < not_before:
        return f"{long_date(day)} is before {long_date(not_before)}, {because}."
    if not later and day > timezone.localdate():
        return f"{long_date(day)} is still to come: record the day it happened, today or earlier."
    return None


def typed_days_problems(record, rules: dict[str, dict]) -> dict[str, str]:
    """`typed_day_problem` for each of `record`'s date fields named in `rules` (its keyword
    arguments) that is filled in, field by field, for a model's clean()."""
    found = {}
    for name, rule in rules.items():
        day = getattr(record, name)
        problem = typed_day_problem(day, **rule) if day is not None else None
        if problem:
            found[name] = problem
    return found


@dataclass(frozen=True, order=True)
class FinancialQuarter:
    """A quarter of the council's financial year (April to March), as the council names it:
    Q1 2018/19 is April to June 2018, Q4 2018/19 January to March 2019. Quarters compare and
    sort in time order (the year, then the quarter: the fields' order)."""

    first_year: int  # 2018 for 2018/19
    number: int  # 1 to 4

    @classmethod
    def of(cls, day: date) -> "FinancialQuarter":
        first_year = day.year if day.month >= 4 else day.year - 1
        return cls(first_year, (day.month - 4) % 12 // 3 + 1)

    @classmethod
    def from_slug(cls, slug: str) -> "FinancialQuarter | None":
        """ "2018-19-q1" as in the addresses of the public page and the report; None for
        anything else ("2018-19-q5", "0-01-q1", "02018-19-q1", letters, other digits than 0-9)."""
        parts = slug.split("-")
        year = parts[0]
        # isdigit() alone lets "²" through to int(), which refuses it.
        if len(parts) != 3 or not (len(year) == 4 and year.isascii() and year.isdigit()):
            return None
        if parts[2] not in ("q1", "q2", "q3", "q4"):
            return None
        first_year = int(parts[0])
        if parts[1] != f"{(first_year + 1) % 100:02d}" or not 1900 < first_year < 3000:
            return None
        return cls(first_year, int(parts[2][1]))

    @property
    def start(self) -> date:
        month = 4 + 3 * (self.number - 1)
        return date(self.first_year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> date:
        following = FinancialQuarter(self.first_year + (self.number == 4), self.number % 4 + 1).start
        return following - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.first_year}/{(self.first_year + 1) % 100:02d}"

    @property
    def slug(self) -> str:
        return f"{self.first_year}-{(self.first_year + 1) % 100:02d}-q{self.number}"

    @property
    def months(self) -> str:
        return f"{self.start:%B} to {self.end:%B %Y}"

    def previous(self, count: int = 1) -> "FinancialQuarter":
        index = self.first_year * 4 + self.number - 1 - count
        return FinancialQuarter(index // 4, index % 4 + 1)

"""Dates as council officers type them into a search box: "27 June 2018", "27th June, 2018",
"Wednesday 27 June 2018", "27/06/2018", "27/6/18", "2018-06-27", "June 2018", "06/2018".
Day first, always (a UK council never writes the month first)."""

import calendar
import re
from dataclasses import dataclass
from datetime import date

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


def long_date(value) -> str:
    """A date (or the local date of a moment) the one way the portal writes it: "Wednesday 27
    June 2018" (the DATE_FORMAT of config/formats/en_GB)."""
    from django.utils import formats, timezone

    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")

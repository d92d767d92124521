"""One way of writing a date everywhere, on the public pages and in the admin:
"Wednesday 27 June 2018", and with its time "Wednesday 27 June 2018, 2.00 p.m." (the way
the council's agendas write them). Templates write `|date` or `|date:"DATETIME_FORMAT"`;
Python writes core.dates.long_date(). Input formats are Django's own for en-GB, and also
the ways an officer writes a day and a time in words (below)."""

from django.conf.locale.en_GB.formats import *  # noqa: F403 - Django's en-GB formats, then ours
from django.conf.locale.en_GB.formats import DATE_INPUT_FORMATS as _DJANGO_DATE_INPUT_FORMATS

DATE_FORMAT = "l j F Y"
DATETIME_FORMAT = "l j F Y, g.i a"
TIME_FORMAT = "g.i a"

# An officer types a day as the agendas write it ("27 June 2018", "27 Jun 2018") as often as
# 27/06/2018. The first stays Django's: the admin's calendar writes the day it picks that way.
DATE_INPUT_FORMATS = [*_DJANGO_DATE_INPUT_FORMATS, "%d %B %Y", "%d %b %Y"]
# And a time as 14:00, 14.00, 2pm, 2.30 pm or 2:30pm ("2.00 p.m." as the portal writes it is
# read as "2.00 pm" first: core.forms.TimeAsWrittenField). The first is how a time box shows the
# time saved and how the admin's clock writes the one it picks: with its seconds, as Django's
# own, so that a time saved with seconds (a notice published at 14:05:37) is saved untouched
# when the form is (shown as 14:05, it would come back as 14:05:00 and change).
TIME_INPUT_FORMATS = [
    "%H:%M:%S",
    "%H:%M",
    "%H:%M:%S.%f",
    "%H.%M",
    "%I%p",
    "%I %p",
    "%I.%M%p",
    "%I.%M %p",
    "%I:%M%p",
    "%I:%M %p",
]

"""One way of writing a date everywhere, on the public pages and in the admin:
"Wednesday 27 June 2018", and with its time "Wednesday 27 June 2018, 2.00 p.m." (the way
the council's agendas write them). Templates write `|date` or `|date:"DATETIME_FORMAT"`;
Python writes core.dates.long_date(). Input formats stay Django's own for en-GB."""

from django.conf.locale.en_GB.formats import *  # noqa: F403 - Django's en-GB formats, then ours

DATE_FORMAT = "l j F Y"
DATETIME_FORMAT = "l j F Y, g.i a"
TIME_FORMAT = "g.i a"

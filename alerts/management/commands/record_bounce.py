"""Record the bounces or complaint in a report piped from the MTA:

    | /srv/quorum/.venv/bin/python /srv/quorum/manage.py record_bounce

reads one delivery status notification (RFC 3464) or abuse report (ARF, RFC 5965) from
standard input. Exit status 0 when recorded (or when the report holds no failure), and a
message on standard error with status 65 (EX_DATAERR) when it is not such a report, so the
MTA keeps it."""

import sys

from django.core.management.base import BaseCommand, CommandError

from alerts import bounces


class Command(BaseCommand):
    help = "Record the bounces or complaint in a delivery status notification or ARF report read from stdin."

    def handle(self, *args, **options):
        raw = sys.stdin.buffer.read()
        try:
            reported = bounces.from_report(raw)
        except bounces.BadReport as exc:
            raise CommandError(str(exc), returncode=65) from exc
        for bounce in bounces.record(reported):
            self.stdout.write(f"Recorded {bounce.get_kind_display().lower()}: {bounce.email}")
        if not reported:
            self.stdout.write("No failed recipient in the report: nothing recorded.")

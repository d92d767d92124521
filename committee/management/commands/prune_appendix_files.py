from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from committee.services import appendix_files_prune
from core import held_uploads


class Command(BaseCommand):
    help = (
        "Delete uploaded appendix files (and their cleaned copies) that no appendix uses any more and "
        "that were written more than --hours ago: those of appendices removed with their report or "
        "meeting, and files stored for a save that failed; and files kept for a form that came back "
        "with a message and was never saved, after a day (core.held_uploads)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="keep files written in the last HOURS hours (24)")

    def handle(self, *args, hours, **options):
        if hours < 1:
            raise CommandError("--hours must be 1 or more: a file being uploaded now is not yet in use.")
        removed = appendix_files_prune(older_than=timedelta(hours=hours))
        self.stdout.write(f"Deleted {removed} unused appendix file{'s' if removed != 1 else ''}.")
        kept = held_uploads.prune()
        if kept:
            self.stdout.write(f"Deleted {kept} file{'s' if kept != 1 else ''} kept for a form never saved.")

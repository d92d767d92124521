from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from committee.pack.render import cache_prune


class Command(BaseCommand):
    help = (
        "Remove rendered papers from the agenda pack's part cache (packs/parts/) written more than "
        "--days ago. Served packs are never touched; a pruned paper is rendered again when next needed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=90, help="keep parts written in the last DAYS days (90)")

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        removed = cache_prune(older_than=timedelta(days=days))
        self.stdout.write(
            f"Removed {removed} cached part{'s' if removed != 1 else ''} written more than {days} days ago."
        )

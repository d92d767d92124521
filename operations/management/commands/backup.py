from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format, or a copy of SQLite) and the media folder, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            default=str(Path(settings.VAR_DIR) / "backups"),
            help="Folder to write the backup folder into (default: var/backups).",
        )

    def handle(self, *args, **options):
        try:
            folder = backup(Path(options["to"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(folder))

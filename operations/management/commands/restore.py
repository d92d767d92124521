from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database and media folder "
        "(both empty, unless --replace). Checks every file against the manifest first."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup folder (quorum-backup-…).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Drop what the database holds and overwrite the media folder's files.",
        )

    def handle(self, *args, **options):
        try:
            manifest = restore(Path(options["folder"]), replace=options["replace"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} ({manifest['media_files']} media files). "
            "Run `manage.py migrate` if this version of Quorum is newer than the backup's."
        )

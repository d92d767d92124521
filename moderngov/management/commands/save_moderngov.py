"""manage.py save_moderngov URL FOLDER: a ModernGov web service's answers saved to a folder
that `import_moderngov FOLDER` reads (docs/moderngov.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from moderngov import services
from moderngov.management.commands.import_moderngov import SITE_OPTIONS, add_archive_options
from moderngov.saving import archive_save
from moderngov.source import SiteSource, Unavailable


class Command(BaseCommand):
    help = (
        "Save the answers of a ModernGov web service (a ModernGov site's, or Quorum's own) to a folder, named as "
        "import_moderngov reads them: a copy of the archive to keep or to import elsewhere."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", help="https://democracy.example.gov.uk")
        parser.add_argument("folder", help="The folder to save to (made if missing)")
        add_archive_options(parser)
        parser.add_argument(
            "--most-documents", type=int, default=None, help="Save only this many PDFs (a sample; default: all)"
        )

    def handle(self, *args, **options):
        if not options["url"].startswith(("http://", "https://")):
            raise CommandError(f"{options['url']} is not a web address (http:// or https://)")
        source = SiteSource(options["url"], **{key: options[key] for key in SITE_OPTIONS})
        since, until = services.archive_years(options["since"], options["until"])
        try:
            counts = archive_save(
                source=source,
                folder=Path(options["folder"]),
                years=list(services.year_ranges(since, until)),
                most_documents=options["most_documents"],
                stream=self.stderr,
            )
        except Unavailable as error:
            raise CommandError(
                f"The site stopped answering ({error}). Run the same command again to continue: documents "
                "already saved are not fetched again."
            ) from error
        self.stdout.write(f"Saved to {options['folder']}:")
        for what, n in sorted(counts.items()):
            self.stdout.write(f"  {what}: {n}")

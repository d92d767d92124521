"""manage.py import_moderngov SOURCE: bring a ModernGov archive into Quorum (docs/moderngov.md)."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from core.dates import mistyped_year
from moderngov import services
from moderngov.source import NotFound, Unavailable, Unreadable, open_source

SITE_OPTIONS = ("rate", "retries", "backoff", "timeout")


def archive_year(text: str) -> int:
    """A year of meetings asked for, as officers type years elsewhere (core.dates): a slip
    (0 or 20188) said at once, not a run that stops on a day the calendar does not have."""
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text} is not a year: type it as 2018.") from None
    if problem := mistyped_year(year, typed="a year"):
        raise argparse.ArgumentTypeError(problem)
    return year


def add_archive_options(parser) -> None:
    """The years asked for and the politeness towards the site: the same for importing and
    for saving a copy (save_moderngov)."""
    parser.add_argument(
        "--since", type=archive_year, default=None, help="First year of meetings (default: ten years ago)"
    )
    parser.add_argument("--until", type=archive_year, default=None, help="Last year of meetings (default: next year)")
    parser.add_argument("--rate", type=float, default=2.0, help="Most requests a second to the site (default 2)")
    parser.add_argument("--retries", type=int, default=4, help="Retries of a failed request (default 4)")
    parser.add_argument("--backoff", type=float, default=1.0, help="Backoff factor between retries, seconds")
    parser.add_argument("--timeout", type=float, default=60.0, help="Seconds to wait for an answer (default 60)")


class Command(BaseCommand):
    help = (
        "Import committees, councillors and wards, meetings, agenda items, attendance and documents from a "
        "ModernGov site's web service (its address) or from a folder of its saved answers. Run it again to "
        "bring in what changed, or to continue a run that stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="https://democracy.example.gov.uk, or a folder of saved answers")
        add_archive_options(parser)

    def handle(self, *args, **options):
        try:
            source = open_source(
                options["source"],
                **(
                    {key: options[key] for key in SITE_OPTIONS}
                    if options["source"].startswith(("http://", "https://"))
                    else {}
                ),
            )
        except NotFound as error:
            raise CommandError(str(error)) from error
        since, until = services.archive_years(options["since"], options["until"])
        try:
            run, summary = services.archive_import(source=source, since=since, until=until, stream=self.stderr)
        except Unavailable as error:
            raise CommandError(
                f"ModernGov stopped answering ({error}). What was imported is kept: run the same command again "
                "to continue from where it stopped."
            ) from error
        except Unreadable as error:
            raise CommandError(
                f"ModernGov's answer to {error} is not XML that Quorum can read, and the import cannot go on "
                "without it. Nothing more was imported; save that answer again (or ask the council's ModernGov "
                "support why it is damaged) and run the same command again."
            ) from error
        self.stdout.write(summary_text(summary))


def summary_text(summary: dict) -> str:
    lines = ["Resumed an unfinished import." if summary.get("resumed") else "Import finished."]
    for kind, counts in summary["counts"].items():
        lines.append(
            f"  {kind.replace('_', ' ')}: " + ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
        )
    if summary["skipped"]:
        lines.append("Skipped:")
        lines.extend(f"  {n} × {reason}" for reason, n in sorted(summary["skipped"].items()))
    lines.append(f"Took {summary['seconds']} s.")
    return "\n".join(lines)

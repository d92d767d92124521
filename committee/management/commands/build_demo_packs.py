from django.core.management.base import BaseCommand

from committee.pack.demo import build_demo_packs


class Command(BaseCommand):
    help = "Build the demo meeting's public and confidential agenda packs now (no new version if nothing changed)."

    def handle(self, *args, **options):
        build_demo_packs(stdout=self.stdout)

from django.core.management.base import BaseCommand

from committee.pack.demo import build_demo_packs


class Command(BaseCommand):
    help = "Build the agenda packs of every published demo meeting now (no new version if nothing changed)."

    def handle(self, *args, **options):
        build_demo_packs(stdout=self.stdout)

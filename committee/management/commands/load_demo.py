from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand

from committee import demo


class Command(BaseCommand):
    help = "Load the seed meeting and its papers, and the demo logins. Safe to run again."

    def handle(self, *args, **options):
        # Each app loads its own part of the seed, in this order (later ones attach
        # structured appendices to the committee's reports).
        for module_name in settings.QUORUM_DEMO_LOADERS:
            loaded = import_module(module_name).load(stdout=self.stdout)
            self.stdout.write(f"{module_name}: {'loaded' if loaded else 'already loaded'}")
        self.stdout.write("")
        self.stdout.write("Demo logins (for this demo only):")
        for username, password, role in demo.create_users():
            self.stdout.write(f"  {username:<12} {password:<20} {role}")

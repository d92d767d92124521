from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string, module_has_submodule

from committee import demo, services


class Command(BaseCommand):
    help = "Load the seed meeting and its papers, and the demo logins. Safe to run again."

    def handle(self, *args, **options):
        # Each app with a demo.py loads its own part of the seed, in INSTALLED_APPS order:
        # committee first, then the apps that attach structured appendices to its reports.
        for config in apps.get_app_configs():
            if not module_has_submodule(config.module, "demo"):
                continue
            loaded = import_string(f"{config.name}.demo.load")(stdout=self.stdout)
            self.stdout.write(f"{config.verbose_name}: {'loaded' if loaded else 'already loaded'}")
        services.appendices_index_structured()
        self.stdout.write("")
        self.stdout.write("Demo logins (for this demo only):")
        for username, password, role in demo.create_users():
            self.stdout.write(f"  {username:<12} {password:<20} {role}")

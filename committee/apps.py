from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = "Committees, meetings and papers"

    def ready(self):
        from . import db_rules
        from .services import roles_sync

        # The officer roles must exist wherever Quorum runs, not only in the demo.
        post_migrate.connect(lambda **kwargs: roles_sync(), sender=self, weak=False)
        # The database's rules kept by trigger are off while migrations alter the tables
        # and back on after (committee/db_rules.py says why).
        pre_migrate.connect(lambda using="default", **kwargs: db_rules.remove(using), sender=self, weak=False)
        post_migrate.connect(lambda using="default", **kwargs: db_rules.install(using), sender=self, weak=False)

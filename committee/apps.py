from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = "Committees, meetings and papers"

    def ready(self):
        from .services import roles_sync

        # The officer roles must exist wherever Quorum runs, not only in the demo.
        post_migrate.connect(lambda **kwargs: roles_sync(), sender=self, weak=False)

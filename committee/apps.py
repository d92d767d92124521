from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = "Committees, meetings and papers"

    def ready(self):
        from . import services
        from .pack.services import on_agenda_published
        from .services import roles_sync

        # The officer roles must exist wherever Quorum runs, not only in the demo.
        post_migrate.connect(lambda **kwargs: roles_sync(), sender=self, weak=False)
        # Publishing an agenda builds its packs (after the publication commits).
        services.on_agenda_published(on_agenda_published)

from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Public page cache"

    def ready(self):
        from pagecache import generation

        # Off while migrations alter tables, on again (on every public table, new ones
        # included) after: pagecache/generation.py says why.
        pre_migrate.connect(lambda using="default", **kwargs: generation.remove(using), sender=self, weak=False)
        post_migrate.connect(lambda using="default", **kwargs: generation.install(using), sender=self, weak=False)

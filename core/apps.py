from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every domain app shares: rich text, imports, admin helpers, response privacy."""

    name = "core"
    verbose_name = "Quorum core"

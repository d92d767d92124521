from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class QuorumAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the project's site (core/admin_site.py): every admin registered,
    the installed packages' included, keeps its rules."""

    default = False  # "core" names CoreConfig; this one is named in full in INSTALLED_APPS
    default_site = "core.admin_site.QuorumAdminSite"


class CoreConfig(AppConfig):
    """What every domain app shares: rich text, imports, admin helpers, response privacy."""

    name = "core"
    verbose_name = "Quorum core"

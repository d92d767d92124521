"""The project's admin site: Django's, with the rules every registered admin keeps, the
installed packages' too (accounts and groups, sign-in attempts, two-factor devices), so
that no admin has to remember them."""

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME


class KeysOnlyActionsMixin:
    """A list's action posted with a ticked row that cannot be a key (a garbled or hand-made
    post) names no record: Django filters by the values as posted, and the database refused
    one that is not a number (an error page). With none left, Django says no rows were ticked."""

    def response_action(self, request, queryset):
        from core.forms import _could_be_key

        ticked = request.POST.getlist(ACTION_CHECKBOX_NAME)
        kept = [value for value in ticked if _could_be_key(self.model._meta.pk, value)]
        if kept != ticked:
            request.POST = request.POST.copy()
            request.POST.setlist(ACTION_CHECKBOX_NAME, kept)
        return super().response_action(request, queryset)


class QuorumAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        # Every admin saves as the project's own do (core.forms.CarefulAdminMixin): a save from
        # a stale copy is refused and an untouched save writes nothing, on the installed
        # packages' pages too (accounts, groups, sign-in attempts, two-factor devices).
        from core.forms import CarefulAdminMixin

        admin_class = admin_class or admin.ModelAdmin
        missing = tuple(
            mixin for mixin in (KeysOnlyActionsMixin, CarefulAdminMixin) if not issubclass(admin_class, mixin)
        )
        if missing:
            admin_class = type(admin_class.__name__, (*missing, admin_class), {"__module__": admin_class.__module__})
        super().register(model_or_iterable, admin_class, **options)

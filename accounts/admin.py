"""The unlock: a democratic services officer opens "Access attempts" in the admin, filters
"Locked out: yes" (or searches the username), ticks the row and chooses "Unlock signing in"."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from core.admin_helpers import SearchWithoutNulMixin


class LockoutAdmin(AccessAttemptAdmin):
    actions = ["unlock", *AccessAttemptAdmin.actions]

    @admin.action(description="Unlock signing in for the selected accounts", permissions=["delete"])
    def unlock(self, request, queryset):
        # django-axes counts failures from these rows: without them the account and
        # address start again from no failures.
        names = sorted({attempt.username for attempt in queryset})
        queryset.delete()
        self.message_user(request, f"Unlocked: {', '.join(names)}. They can sign in again now.", level=messages.SUCCESS)


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, LockoutAdmin)


class AccountAdmin(SearchWithoutNulMixin, UserAdmin):
    """Django's own, whose search also finds the login for a councillor's "user" picker."""


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)

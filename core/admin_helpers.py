"""Admin pieces every app's admin uses."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse


class WrittenByServicesMixin:
    """For records that only a service writes (pack versions, frozen reports): officers look,
    never add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def service_page(model_admin, request, *, ready: bool, run, template: str, context: dict):
    """An admin page that confirms one call to a service (publish, cancel, take a snapshot...).

    When `ready` (the officer posted it, its form is valid) it calls `run()`, which calls the
    service and returns what to tell the officer and where to go next. A ValidationError
    from the service changes nothing and its messages are shown on the page, as `errors`.
    """
    errors = []
    if ready:
        try:
            done, next_url = run()
        except ValidationError as exc:
            errors = exc.messages
        else:
            model_admin.message_user(request, done, messages.SUCCESS)
            return redirect(next_url)
    page = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, "errors": errors}
    return TemplateResponse(request, template, {**page, **context})

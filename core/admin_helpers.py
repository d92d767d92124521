"""Admin pieces every app's admin uses."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse


class WrittenByServicesMixin:
    """For records that only a service writes (pack versions, frozen reports): officers look,
    never add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def service_page(model_admin, request, *, obj, action: str, ready: bool, run, template: str, context: dict):
    """An admin page that confirms one call to a service (publish, cancel, take a snapshot...)
    on the record `obj`; its template extends admin/service_page.html.

    When `ready` (the officer posted it, its form is valid) it calls `run()`, which calls the
    service and returns what to tell the officer and where to go next. A ValidationError
    from the service changes nothing and its messages are shown on the page, as `errors`,
    with what the officer typed (the context carries it back).
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
    opts = obj._meta
    page = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "object": obj,
        "action": action,
        "title": f"{action}: {obj}",
        "back_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
        "errors": errors,
    }
    return TemplateResponse(request, template, {**page, **context})

"""Admin pieces every app's admin uses."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .dates import find_date

NUL_CHARACTER = (
    "The text holds a character that cannot be saved (a NUL character, sometimes pasted from another "
    "program). Remove it and try again."
)


class SearchWithoutNulMixin:
    """The database stores no NUL character, so no record holds one: a search for one finds
    nothing, rather than an error page when PostgreSQL refuses the character in the query.
    The list pages drop such a search themselves; the autocomplete pickers pass their words
    on unchecked."""

    def get_search_results(self, request, queryset, search_term):
        if "\x00" in search_term:
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


class WrittenByServicesMixin:
    """For records that only a service writes (pack versions, frozen reports): officers look,
    never add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def service_page(model_admin, request, *, obj, action: str, ready: bool, run, template: str, context: dict, form=None):
    """An admin page that confirms one call to a service (publish, cancel, take a snapshot...)
    on the record `obj`; its template extends admin/service_page.html.

    When `ready` (the officer posted it, its form is valid) it calls `run()`, which calls the
    service and returns what to tell the officer and where to go next. A ValidationError
    from the service changes nothing and its messages are shown on the page, as `errors`,
    with what the officer typed (the context carries it back); a message the service gives
    for a field of `form` (the page's form) is shown at that field.
    """
    errors = []
    if ready and any("\x00" in value for _, values in request.POST.lists() for value in values):
        # What these pages post (a reason to publish) goes to the service as typed, past no form
        # field to refuse it as Django's forms do: the database cannot store a NUL character.
        errors = [NUL_CHARACTER]
    elif ready:
        try:
            done, next_url = run()
        except ValidationError as exc:
            errors = _at_fields(exc, form)
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


def _at_fields(exc: ValidationError, form) -> list[str]:
    """Put the service's messages for the form's fields at those fields; return the rest."""
    if form is None or not hasattr(exc, "error_dict"):
        return exc.messages
    rest = []
    for field, field_errors in exc.error_dict.items():
        if field in form.fields:
            form.add_error(field, field_errors)
        else:
            rest.extend(message for error in field_errors for message in error.messages)
    return rest


@dataclass(frozen=True)
class ServiceAction:
    """One officer's action on a record, confirmed on its own page: the form asked, what the
    page says, and `run(obj, data, user)`, which calls the service and returns what to tell
    the officer. Each is served by `action_urls` (decisions/admin.py: publish, defer, withdraw...)."""

    slug: str
    url_name: str
    form: type[forms.Form]
    label: str
    explanation: str
    run: Callable


def action_urls(model_admin, actions: list[ServiceAction]) -> list:
    """The admin URLs of `actions`, each served by the one view below."""
    return [
        path(
            f"<int:pk>/{action.slug}/",
            model_admin.admin_site.admin_view(partial(_action_view, model_admin, action=action)),
            name=action.url_name,
        )
        for action in actions
    ]


def _action_view(model_admin, request, pk, *, action: ServiceAction):
    obj = get_object_or_404(model_admin.model, pk=pk)
    if not model_admin.has_change_permission(request, obj):
        raise PermissionDenied
    form = action.form(request.POST or None)

    def call():
        done = action.run(obj, form.cleaned_data, request.user)
        return done, reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])

    return service_page(
        model_admin,
        request,
        obj=obj,
        action=action.label,
        ready=request.method == "POST" and form.is_valid(),
        run=call,
        template="admin/service_action.html",
        context={"form": form, "explanation": action.explanation},
        form=form,
    )


class DateSearchMixin:
    """The admin's search (and its autocomplete pickers) finds records by a date as officers
    type it ("27 June 2018", "27/06/2018", "June 2018"; core.dates), on the datetime field
    `date_search_field`, with any other words searched as usual."""

    date_search_field: str = ""

    def get_search_results(self, request, queryset, search_term):
        found = find_date(search_term)
        if found is None:
            return super().get_search_results(request, queryset, search_term)
        on_date = queryset.filter(
            **{f"{self.date_search_field}__date__gte": found.first, f"{self.date_search_field}__date__lte": found.last}
        )
        return super().get_search_results(request, on_date, found.rest)

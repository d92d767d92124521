"""Reading an admin change form as a browser does, and posting it back."""

from collections import defaultdict

import lxml.html
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

APPS = ("committee", "risks", "performance", "send_actions", "decisions", "interests")
# Apps whose admin is mostly read only (logs written by workers, records written by a
# service): only their pages an officer can add or change through are forms to test.
MOSTLY_READ_ONLY_APPS = ("alerts", "retention", "moderngov")


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def add_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def form_data(response) -> dict[str, list[str]]:
    """What a browser would post from the page's form: text areas as typed into a browser
    (the first line end after the tag dropped, line ends sent as CRLF), ticked boxes only."""
    assert response.status_code == 200, response.status_code
    page = lxml.html.fromstring(response.content.decode())
    form = next(f for f in page.forms if f.get("method", "").lower() == "post" and f.get("id", "").endswith("_form"))
    data = defaultdict(list)
    for name, value in form.form_values():
        element = form.inputs[name]
        if not isinstance(element, lxml.html.RadioGroup | lxml.html.CheckboxGroup) and element.tag == "textarea":
            value = value.removeprefix("\n").replace("\r\n", "\n").replace("\n", "\r\n")
        data[name].append(value)
    for element in form.xpath(".//input[@name and not(@value)]"):
        if element.get("type", "text") not in ("checkbox", "radio", "submit", "file", "button"):
            data.setdefault(element.get("name"), [""])  # an empty box is posted, empty
    data["_save"] = ["Save"]
    return dict(data)


def with_values(data: dict, **changes) -> dict:
    return {**data, **{name: value if isinstance(value, list) else [value] for name, value in changes.items()}}


def admin_models():
    """Every model with a ModelAdmin in the project's apps (in the mostly read-only apps, those
    an officer can add or change)."""
    return [
        model
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in APPS or (model._meta.app_label in MOSTLY_READ_ONLY_APPS and _editable(model_admin))
    ]


def _editable(model_admin) -> bool:
    request = RequestFactory().get("/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    return model_admin.has_add_permission(request) or model_admin.has_change_permission(request)


# The kinds of form field the odd-post walks try odd values of, most particular first.
FIELD_KINDS = (
    ("file", forms.FileField),
    ("date and time", forms.SplitDateTimeField),
    ("records", forms.ModelMultipleChoiceField),
    ("record", forms.ModelChoiceField),
    ("choices", forms.MultipleChoiceField),
    ("choice", forms.ChoiceField),
    ("date", forms.DateField),
    ("time", forms.TimeField),
    ("decimal", forms.DecimalField | forms.FloatField),
    ("whole number", forms.IntegerField),
    ("text", forms.CharField),
)


def field_kind(field: forms.Field) -> str:
    """What a form field takes, for the odd values tried in it ("" for a tick box: ticked or
    not, nothing odd can be posted)."""
    return next((kind for kind, classes in FIELD_KINDS if isinstance(field, classes)), "")


def form_messages(response) -> set[tuple[str, str]]:
    """Every message of the form that came back, with the field it is at (a row's prefixed;
    an inline's own, across its rows, at the inline's prefix)."""
    if response.status_code != 200 or "adminform" not in (response.context or {}):
        return set()
    found = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        found += inline.formset.forms
    messages = {
        (form.add_prefix(name), str(message))
        for form in found
        for name, errors in form.errors.items()
        for message in errors
    }
    for inline in response.context.get("inline_admin_formsets", []):
        messages |= {(inline.formset.prefix, str(message)) for message in inline.formset.non_form_errors()}
    return messages

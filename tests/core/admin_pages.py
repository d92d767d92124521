"""Reading an admin change form as a browser does, and posting it back."""

from collections import defaultdict

import lxml.html
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

"""An admin address whose id cannot be a key (typed by hand, cut short when copied) names
no record: the record's page says so as Django's admin does (back to the admin's home,
"doesn't exist"), its history pages answer 404, as for an id no record has;
never an error page."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from .admin_pages import admin_models

pytestmark = pytest.mark.django_db


def _with_history():
    """The models whose admin shows django-simple-history's pages (a version of the record)."""
    return [
        model
        for model in admin_models()
        if any(
            str(getattr(url, "name", "")).endswith("_simple_history") for url in admin.site._registry[model].get_urls()
        )
    ]


@pytest.mark.parametrize("model", _with_history(), ids=lambda model: model._meta.label)
def test_a_history_address_naming_no_record_is_not_found(model, django_user_model):
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_superuser("officer"))
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    history = reverse(f"{name}_history", args=["not-a-record"])
    version = reverse(f"{name}_simple_history", args=["not-a-record", "1"])
    version_of_no_version = reverse(f"{name}_simple_history", args=["1", "not-a-version"])

    assert [client.get(url).status_code for url in (history, version, version_of_no_version)] == [404, 404, 404]


@pytest.mark.parametrize("model", admin_models(), ids=lambda model: model._meta.label)
def test_a_change_address_naming_no_record_says_so(model, django_user_model):
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_superuser("officer"))
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"

    response = client.get(reverse(f"{name}_change", args=["not-a-record"]))

    assert (response.status_code, response.get("Location")) == (302, reverse("admin:index"))


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label)
def test_an_action_on_ticked_rows_naming_no_record_changes_nothing(model, django_user_model, rf):
    """A list's action posted with a ticked row that cannot be a key (a garbled or hand-made
    post) is an action on no rows: the list again, with Django's "Items must be selected".
    Every admin of the site, those of the installed packages too (sign-in attempts and the
    unlock, accounts and groups, two-factor devices), and the read-only logs' deletes."""
    officer = django_user_model.objects.create_superuser("officer")
    request = rf.get("/admin/")
    request.user = officer
    actions = [name for name, _ in admin.site._registry[model].get_action_choices(request) if name]
    if not actions:
        pytest.skip("no actions on this list")
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    response = client.post(url, {"action": actions[0], "_selected_action": ["not-a-record"], "index": 0}, follow=True)

    assert response.status_code == 200
    assert "Items must be selected in order to perform actions on them" in response.content.decode()

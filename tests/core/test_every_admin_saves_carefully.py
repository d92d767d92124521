"""Every change form of the admin site, the installed packages' too (accounts and groups,
sign-in attempts, two-factor devices): a save from a stale copy is refused, not applied, with
the form, its message and what was typed; an untouched save changes nothing (no value, no
"updated at", no history row, no admin log entry).

Walks admin.site._registry, so a model registered later is walked without being listed."""

import re

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models, transaction
from django.test import Client
from django.utils.html import escape

from core.forms import CarefulAdminMixin, RichTextFormField

from .admin_pages import change_url, form_data, with_values
from .admin_records import a_record_of

pytestmark = pytest.mark.usefixtures("demo_for_the_module")


def _registered():
    return sorted(admin.site._registry, key=lambda model: model._meta.label_lower)


def _stored(record) -> dict:
    """The record as the database holds it, every column ("updated at" too)."""
    return type(record)._default_manager.values().get(pk=record.pk)


def _history_rows() -> int:
    kept = sum(model.objects.count() for model in apps.get_models() if hasattr(model, "instance_type"))
    return kept + LogEntry.objects.count()


def _change_form(model, browser):
    """A record of `model` and its change form as `browser` opens it; skipped where there is
    nothing to save (a record only a service writes, or one only to read)."""
    record = a_record_of(model)
    if record is None:
        pytest.skip("no record: only a service writes one")
    page = browser.get(change_url(record))
    context = page.context or {}
    if page.status_code != 200 or "adminform" not in context or not context.get("has_change_permission"):
        pytest.skip("a record only to read: nothing to save")
    return record, page


def _text_fields(response) -> list[str]:
    """The record's own boxes an officer types words into."""
    form = response.context["adminform"].form
    return [
        name
        for name, field in form.fields.items()
        if type(field) in (forms.CharField, forms.SlugField, forms.EmailField)
        and not isinstance(field, RichTextFormField)
        and not field.disabled
        and not field.widget.is_hidden
        and not isinstance(field.widget, forms.PasswordInput)
    ]


def _free_text(model, name):
    """The column `name` of `model`, where it holds words of any shape (not a code, a slug
    or a choice, nor what tells records apart, which spaces around would make invalid)."""
    try:
        column = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    own_rules = [
        v for v in column.validators if not isinstance(v, MaxLengthValidator | ProhibitNullCharactersValidator)
    ]
    plain = type(column) in (models.CharField, models.TextField) and not column.choices and not own_rules
    keys = {name for rule in model._meta.constraints for name in getattr(rule, "fields", ())}
    keys |= {name for together in model._meta.unique_together for name in together}
    return column if plain and not column.unique and name not in keys else None


@pytest.fixture
def officers(django_user_model):
    alice = django_user_model.objects.create_superuser("alice", first_name="Alice", last_name="Ashworth")
    bob = django_user_model.objects.create_superuser("bob", first_name="Bob", last_name="Booth")
    browsers = Client(), Client()
    browsers[0].force_login(alice)
    browsers[1].force_login(bob)
    return browsers


def test_every_admin_saves_through_the_careful_mixin():
    missing = [m._meta.label for m, a in admin.site._registry.items() if not isinstance(a, CarefulAdminMixin)]
    assert missing == []


@pytest.mark.parametrize("model", _registered(), ids=lambda model: model._meta.label_lower)
def test_an_untouched_save_changes_nothing(model, officers):
    alices, _ = officers
    record, page = _change_form(model, alices)
    before, history = _stored(record), _history_rows()

    response = alices.post(change_url(record), form_data(page))

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert _stored(record) == before
    assert _history_rows() == history
    assert "Nothing was changed" in alices.get(response.url).content.decode()


@pytest.mark.parametrize("model", _registered(), ids=lambda model: model._meta.label_lower)
def test_a_save_from_a_stale_copy_is_refused(model, officers):
    alices, bobs = officers
    record, alices_page = _change_form(model, alices)
    url = change_url(record)
    alices_copy, bobs_copy = form_data(alices_page), form_data(bobs.get(url))
    for name in _text_fields(alices_page):
        seen = alices_copy.get(name, [""])[0]
        with transaction.atomic():
            saved = alices.post(url, with_values(alices_copy, **{name: f"A{seen}"})).status_code == 302
            if not saved:  # a box whose words have a shape of their own: the next one
                transaction.set_rollback(True)
        if saved:
            break
    else:
        return  # nothing Alice can type in: nothing to be stale about
    stored = _stored(record)

    typed = f"B{seen}"
    response = bobs.post(url, with_values(bobs_copy, **{name: typed}))

    assert response.status_code == 200, response
    page = response.content.decode()
    assert "While you had this page open," in page and "Nothing you typed has been saved" in page
    # Who saved it, and when: kept in its history, or else in the admin's log.
    assert re.search(
        r"While you had this page open, Alice Ashworth saved a change to [^<]* \(at \d\d:\d\d on \d+ \w+ \d{4}\)\.",
        page,
    )
    assert escape(typed) in page  # what Bob typed is still on the form
    assert _stored(record) == stored  # Alice's change stands


@pytest.mark.parametrize("model", _registered(), ids=lambda model: model._meta.label_lower)
def test_an_untouched_save_keeps_stored_text_as_it_is(model, officers):
    """Text stored with spaces around it, or lines ending in spaces (an import, a service, a
    record from before a form stripped them), is kept by an untouched save: the form's
    stripping of what is typed must not rewrite what nobody typed."""
    alices, _ = officers
    record, _ = _change_form(model, alices)
    page = alices.get(change_url(record))
    padded = {
        name: f"  {getattr(record, name)} "
        for name in _text_fields(page)
        if (column := _free_text(model, name)) and getattr(record, name)
        if len(getattr(record, name)) + 3 <= (column.max_length or 10**6)
    }
    if not padded:
        return
    type(record)._default_manager.filter(pk=record.pk).update(**padded)
    before, history = _stored(record), _history_rows()

    response = alices.post(change_url(record), form_data(alices.get(change_url(record))))

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert _stored(record) == before
    assert _history_rows() == history

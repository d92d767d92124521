"""No form cuts what a person types or pastes. A browser drops text past a box's `maxlength`
without a word (a risk's title pasted from the register, a search pasted from an email), and
the save keeps what is left. Every form draws its fields without it (core.form_renderer) and
refuses an overlong value at the field instead, with all that was typed still in the box.
The forms are found by walking those the project defines, as tests/core/test_mistyped_years.py
does, so a new page's form is held to the rule without being listed here; boxes written by
hand in a template are found by reading every template."""

from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.urls import get_resolver, reverse
from django.utils import timezone
from import_export.formats.base_formats import CSV

from committee.models import AgendaItem, Meeting
from performance.models import Measure, ReportingPeriod, ServiceArea
from send_actions.models import KeyTask
from send_actions.resources import ProgressUpdateResource
from tests.core.test_mistyped_years import PROJECT_APPS, _subclasses

# What the forms that are made for one record are given here: an unsaved one will do, as
# only a field's own check is asked.
NEEDS = {
    "committee.minutes_admin.ItemMinuteForm": lambda: {"meeting": Meeting(), "items": {}},
    "committee.minutes_admin.AttendanceForm": lambda: {"members": {}},
    "interests.minutes.DeclarationForm": lambda: {
        "item": AgendaItem(pk=1, meeting=Meeting(starts_at=timezone.now())),
        "members": [],
    },
    "performance.forms.EntryChoiceForm": lambda: {
        "service_areas": ServiceArea.objects.none(),
        "periods": ReportingPeriod.objects.none(),
    },
    "performance.forms.ValueEntryForm": lambda: {"measure": Measure(name="Pupils", reports_count=True)},
    "send_actions.forms.ProgressUpdateForm": lambda: {"task": KeyTask()},
    "send_actions.forms.PlanImportForm": lambda: {"formats": [CSV], "resources": [ProgressUpdateResource]},
}


def _project_forms() -> dict:
    assert get_resolver().url_patterns  # every page's views imported, with the forms they use
    return {
        f"{form.__module__}.{form.__qualname__}": form
        for form in _subclasses(forms.BaseForm)
        if form.__module__.split(".")[0] in PROJECT_APPS
        # A base that names no model is only ever used through its subclasses.
        and not (issubclass(form, forms.ModelForm) and form._meta.model is None)
    }


def _build(name, form_class, data=None):
    kwargs = NEEDS.get(name, dict)()
    return form_class(data=data, **kwargs) if data is not None else form_class(**kwargs)


def _limited_text_fields(form) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField) and field.max_length and not field.disabled and not field.widget.is_hidden
    ]


def _too_long(field: forms.CharField) -> str:
    if isinstance(field, forms.EmailField):
        return "a" * field.max_length + "@example.gov.uk"
    if isinstance(field, forms.URLField):
        return "https://example.gov.uk/" + "a" * field.max_length
    return "a" * (field.max_length + 1)


FORMS = _project_forms()


def test_the_walk_finds_the_public_and_officers_forms():
    assert {
        "committee.portal.forms.SearchForm",
        "alerts.forms.SubscribeForm",
        "risks.admin.TakeSnapshotForm",
        "performance.forms.ValueEntryForm",
    } <= set(FORMS)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FORMS))
def test_no_field_carries_maxlength_and_an_overlong_value_is_refused_at_its_field(name):
    form = _build(name, FORMS[name])
    for bound in form:
        assert "maxlength" not in str(bound), f"{name}.{bound.name} is drawn with maxlength"
    for field_name in _limited_text_fields(form):
        typed = _too_long(form.fields[field_name])
        posted = _build(name, FORMS[name], data={form.add_prefix(field_name): typed})
        posted.is_valid()
        assert posted.errors.get(field_name), f"{name}.{field_name} took {len(typed)} characters"
        drawn = str(posted[field_name])
        assert typed in drawn and "maxlength" not in drawn


def test_no_template_writes_a_box_with_maxlength():
    folders = [Path(settings.BASE_DIR) / "templates"] + [
        Path(settings.BASE_DIR) / app / "templates" for app in PROJECT_APPS
    ]
    found = [
        str(path.relative_to(settings.BASE_DIR))
        for folder in folders
        if folder.is_dir()
        for path in folder.rglob("*.html")
        if "maxlength" in path.read_text().lower()
    ]
    assert found == []


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["login", "password_reset", "committee:search", "alerts:subscribe"])
def test_django_s_own_forms_and_the_public_boxes_are_drawn_without_maxlength(client, page):
    # Signing in and resetting a password are Django's forms, drawn by the same renderer.
    response = client.get(reverse(page))
    assert response.status_code == 200
    assert b"maxlength" not in response.content

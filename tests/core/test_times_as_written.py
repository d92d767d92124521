"""A time is taken as the portal writes it ("2.00 p.m.", "2 P.M."), as well as 14:00, 14.00,
2pm and 2.30 pm, in every form that takes one (core.forms.TimesAsWrittenMixin); one that is
not a time is refused at its field, with what was typed and how to type it. The forms are
found by walking the admin's (every admin's form and inline rows) and the project's own, so
a new page's time box is held to this without being listed here."""

from datetime import time

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import get_resolver
from django.utils import timezone

from committee.models import Meeting
from core.forms import TimeAsWrittenField, TimesAsWrittenMixin
from tests.factories import MeetingFactory

from .admin_pages import change_url, form_data, with_values
from .test_mistyped_years import PROJECT_APPS, _subclasses

AS_WRITTEN = {
    "2.00 p.m.": time(14, 0),
    "2.00pm": time(14, 0),
    "2 p.m.": time(14, 0),
    "2.30 P.M.": time(14, 30),
    "2.30 p.m": time(14, 30),
    "12.00 p.m.": time(12, 0),
    "10.15 a.m.": time(10, 15),
    "14.00": time(14, 0),
    "2pm": time(14, 0),
    "14:05:37": time(14, 5, 37),
}


@pytest.mark.parametrize("typed", sorted(AS_WRITTEN))
def test_a_time_box_takes_a_time_as_the_portal_writes_it(typed):
    assert TimeAsWrittenField().clean(typed) == AS_WRITTEN[typed]


@pytest.mark.parametrize("typed", ["25.00", "2.61 p.m.", "half past two", "p.m."])
def test_a_time_box_refuses_what_is_not_a_time_saying_what_was_typed(typed):
    with pytest.raises(forms.ValidationError) as refused:
        TimeAsWrittenField().clean(typed)
    assert refused.value.messages == [f"\u201c{typed}\u201d is not a time: type it as 2.30 p.m., 2.30pm or 14:30."]


def _time_boxes(form) -> list[tuple[str, forms.Field]]:
    found = []
    for name, field in form.fields.items():
        for part in field.fields if isinstance(field, forms.MultiValueField) else [field]:
            if isinstance(part, forms.TimeField):
                found.append((name, part))
    return found


def test_every_admin_form_takes_a_time_as_the_portal_writes_it(db):
    request = RequestFactory().get("/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    boxes = []
    for model_admin in admin.site._registry.values():
        made = [model_admin.get_form(request, None)()]
        for inline in model_admin.get_inline_instances(request, None):
            made.append(inline.get_formset(request, None)().empty_form)
        boxes += [(type(form).__name__, name, part) for form in made for name, part in _time_boxes(form)]
    assert ("MeetingForm", "starts_at") in {(form, name) for form, name, _ in boxes}
    assert [(form, name) for form, name, part in boxes if not isinstance(part, TimeAsWrittenField)] == []


def test_every_form_of_the_project_that_takes_a_time_takes_it_as_written():
    assert get_resolver().url_patterns  # every page's views imported, with the forms they use
    kinds = (forms.TimeField, forms.DateTimeField, forms.SplitDateTimeField)
    unchecked = [
        f"{form.__module__}.{form.__qualname__}"
        for form in _subclasses(forms.BaseForm)
        if form.__module__.split(".")[0] in PROJECT_APPS
        and any(isinstance(field, kinds) for field in form.base_fields.values())
        and not issubclass(form, TimesAsWrittenMixin)
    ]
    assert unchecked == []


@pytest.fixture
def meeting_page(db, django_user_model):
    meeting = MeetingFactory()
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("officer"))
    return meeting, client, change_url(meeting)


@pytest.mark.parametrize("typed", ["2.00 p.m.", "2 p.m.", "2.30 P.M."])
def test_an_officer_types_a_meetings_time_as_the_agenda_writes_it(meeting_page, typed):
    meeting, client, url = meeting_page
    response = client.post(url, with_values(form_data(client.get(url)), starts_at_1=typed))
    assert response.status_code == 302, response.context["adminform"].form.errors
    starts_at = timezone.localtime(Meeting.objects.get(pk=meeting.pk).starts_at)
    assert starts_at.time() == AS_WRITTEN[typed]


def test_a_meetings_time_that_is_not_a_time_comes_back_at_its_field_as_typed(meeting_page):
    meeting, client, url = meeting_page
    before = Meeting.objects.get(pk=meeting.pk).starts_at
    response = client.post(url, with_values(form_data(client.get(url)), starts_at_1="2.75 p.m."))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["starts_at"] == [
        "\u201c2.75 p.m.\u201d is not a time: type it as 2.30 p.m., 2.30pm or 14:30."
    ]
    assert 'value="2.75 p.m."' in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).starts_at == before

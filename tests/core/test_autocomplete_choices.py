"""A search-as-you-type choice (the admin's autocomplete fields, also in inline rows) posted
with something that cannot be a record's key (a garbled or hand-made post) comes back with
the form and a message at the field ("Select a valid choice"), as any other choice not on
the list does; never an error page, on the record's own form or in its rows. Its search,
asked for words no record can hold (a NUL character), finds nothing."""

import lxml.html
import pytest
from django.contrib import admin
from django.test import Client

from tests.factories import CommitteeFactory, MembershipFactory

from .admin_pages import add_url, admin_models, change_url, form_data, with_values

pytestmark = pytest.mark.django_db


def _autocomplete_fields():
    """(model, field) of every autocomplete field on a page of the project's admin."""
    for model in admin_models():
        model_admin = admin.site._registry[model]
        yield from ((model, name) for name in model_admin.get_autocomplete_fields(None))
        for inline in model_admin.inlines:
            yield from ((inline.model, name) for name in inline.autocomplete_fields)


def _with_autocomplete_choices():
    return [
        model
        for model in admin_models()
        if admin.site._registry[model].get_autocomplete_fields(None)
        or any(inline.autocomplete_fields for inline in admin.site._registry[model].inlines)
    ]


def _each_choice_posted_as_no_record(client, url):
    response = client.get(url)
    page = lxml.html.fromstring(response.content.decode())
    names = [
        select.get("name")
        for select in page.xpath("//select[contains(@class, 'admin-autocomplete')]")
        if "__prefix__" not in select.get("name")
    ]
    data = form_data(response)
    for name in names:
        response = client.post(url, with_values(data, **{name: "not-a-record"}))

        assert response.status_code == 200, (name, response.status_code)
        page = lxml.html.fromstring(response.content.decode())
        assert page.xpath("//p[contains(@class, 'errornote')]"), name
    return names


@pytest.fixture
def officer_client(django_user_model):
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_superuser("officer"))
    return client


@pytest.mark.parametrize("model", _with_autocomplete_choices(), ids=lambda model: model._meta.label)
def test_a_choice_that_cannot_be_a_record_comes_back_at_the_field(model, officer_client):
    if officer_client.get(add_url(model)).status_code == 403:
        pytest.skip(f"{model._meta.verbose_name_plural} are not added through the admin")

    _each_choice_posted_as_no_record(officer_client, add_url(model))

    assert not model._default_manager.exists()


def test_a_row_choice_that_cannot_be_a_record_comes_back_at_the_field(officer_client):
    """The committee's members are rows on its change page only."""
    membership = MembershipFactory(committee=CommitteeFactory())
    member = membership.member_id

    names = _each_choice_posted_as_no_record(officer_client, change_url(membership.committee))

    assert "memberships-0-member" in names
    membership.refresh_from_db()
    assert membership.member_id == member


@pytest.mark.parametrize(
    ("model", "field"),
    sorted(set(_autocomplete_fields()), key=str),
    ids=lambda v: getattr(v, "_meta", None) and v._meta.label or v,
)
def test_a_search_for_a_nul_character_finds_nothing(model, field, officer_client):
    response = officer_client.get(
        "/admin/autocomplete/",
        {
            "term": "a\x00",
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field,
        },
    )

    assert response.status_code == 200, response.status_code
    assert response.json()["results"] == []

"""Declarations of interest are printed in the agenda pack: on the front sheet under their
item, and in the minutes a later agenda carries. A declaration the public no longer reads as a
published version printed it (made sensitive after the pack was built, deleted) withdraws that
version: its address answers 410, and new versions are built."""

import pytest
from django.urls import reverse

from committee.models import AgendaPack
from interests import services as interests_services
from interests.models import Declaration
from tests.core.admin_pages import change_url, form_data, with_values
from tests.factories import MemberFactory
from tests.gate_surfaces import text_of

from .conftest import build

pytestmark = pytest.mark.django_db

NATURE = "ZX-NATURE-4471 Her husband is employed by the contractor."


def _declare(item, officer) -> Declaration:
    declaration = Declaration(
        agenda_item=item, member=MemberFactory(name="Jane Example"), kind=Declaration.Kind.PECUNIARY, nature=NATURE
    )
    return interests_services.declaration_record(declaration, by=officer)


def _built_printing_it(meeting, client) -> AgendaPack:
    public = build(meeting, "public")
    assert "ZX-NATURE-4471" in text_of(client.get(public.get_absolute_url()))  # the canary: it is printed
    return public


def test_a_declaration_made_sensitive_in_the_admin_withdraws_the_versions_printing_its_nature(
    agenda, client, officer, django_capture_on_commit_callbacks
):
    declaration = _declare(agenda.items.get(number="4"), officer)
    public = _built_printing_it(agenda, client)

    client.force_login(officer)
    url = change_url(declaration)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, with_values(form_data(client.get(url)), is_sensitive="on", nature=""))
    assert response.status_code == 302
    client.logout()

    public.refresh_from_db()
    assert public.withdrawn_at is not None and "declaration of interest" in public.withdrawal_reason
    assert "item 4" in public.withdrawal_reason
    assert client.get(public.get_absolute_url()).status_code == 410
    assert AgendaPack.objects.filter(meeting=agenda, kind="public", status="queued").exists()  # built again


def test_a_declaration_deleted_from_minutes_an_agenda_prints_withdraws_that_version(
    agenda, client, officer, django_capture_on_commit_callbacks
):
    previous = agenda.items.get(number="3").minutes_of
    declaration = _declare(previous.items.get(number="1"), officer)
    public = _built_printing_it(agenda, client)

    client.force_login(officer)
    url = reverse("admin:interests_declaration_delete", args=[declaration.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"post": "yes"}).status_code == 302
    client.logout()

    public.refresh_from_db()
    assert public.withdrawn_at is not None and "under item 3" in public.withdrawal_reason
    assert client.get(public.get_absolute_url()).status_code == 410


def test_an_untouched_declaration_withdraws_nothing(agenda, client, officer, django_capture_on_commit_callbacks):
    declaration = _declare(agenda.items.get(number="4"), officer)
    public = _built_printing_it(agenda, client)
    with django_capture_on_commit_callbacks(execute=True):
        interests_services.declaration_record(declaration, by=officer)  # saved again as it was
    public.refresh_from_db()
    assert public.withdrawn_at is None

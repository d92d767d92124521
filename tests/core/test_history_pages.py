"""A record's history shows each version and offers no revert: django-simple-history's revert
went through the careful admins' save, which left the record as it was while the page said
"was changed successfully"."""

import pytest
from django.test import Client
from django.urls import reverse

from committee.models import Committee
from tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db


def test_a_version_page_shows_the_version_and_offers_no_revert(django_user_model):
    committee = CommitteeFactory(name="Audit Committee")
    first = committee.history.earliest()
    committee.name = "Audit and Governance Committee"
    committee.save()
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_superuser("officer-with-history"))
    address = reverse("admin:committee_committee_simple_history", args=[committee.pk, first.history_id])

    page = client.get(address)
    assert page.status_code == 200 and 'value="Audit Committee"' in page.content.decode()
    assert "Revert" not in page.content.decode()

    posted = client.post(address, {"name": "Audit Committee"})
    assert posted.status_code == 405
    assert Committee.objects.get(pk=committee.pk).name == "Audit and Governance Committee"

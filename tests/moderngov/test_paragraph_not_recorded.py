"""A Part II item imported from ModernGov without its paragraph: the database allows it only
so flagged, the public sees it as Part II, and an officer completes it in the admin."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from committee.models import Access, AgendaItem
from tests.core.admin_pages import change_url, form_data, with_values
from tests.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported():
    return AgendaItemFactory(
        title="Disposal of Land at Whittle-le-Woods",
        access=Access.EXEMPT,
        exempt_paragraphs=0,
        paragraph_not_recorded=True,
    )


def test_only_a_part_ii_item_may_lack_its_paragraph(imported):
    assert imported.paragraphs_display == "Paragraph not recorded"
    assert "paragraph not recorded" in imported.not_for_publication_notice
    for wrong in (
        {"access": Access.PUBLIC},  # never Part I so flagged
        {"access": Access.CONFIDENTIAL, "confidential_basis": "Court order"},
        {"exempt_paragraphs": 4, "public_interest_reasons": "Commercial terms"},  # recorded: no longer flagged
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            AgendaItem.objects.filter(pk=imported.pk).update(**wrong)
    # A Part II item without its paragraph and without the flag stays refused.
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.filter(pk=imported.pk).update(paragraph_not_recorded=False)


def test_an_officer_finds_and_completes_it(client, officer, imported):
    client.force_login(officer)
    listing = client.get(reverse("admin:committee_agendaitem_changelist") + "?paragraph_not_recorded__exact=1")
    assert imported.title in listing.content.decode()

    page = client.get(change_url(imported))
    # Saving without the paragraph asks for it (the item stays Part II, flagged).
    response = client.post(change_url(imported), form_data(page))
    assert response.status_code == 200 and "Tick the Schedule 12A paragraphs" in response.content.decode()

    data = with_values(form_data(page), paragraphs=["3"], public_interest_reasons="The sale price is not yet agreed.")
    response = client.post(change_url(imported), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    imported.refresh_from_db()
    assert (imported.paragraph_numbers, imported.paragraph_not_recorded) == ([3], False)

"""The officers' admin keeps every version of a record (django-simple-history). A version is
as restricted as the record is now: whoever the gate keeps from a Part II paper reads none of
its versions either, those from before it was made Part II included (committee.gate)."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse
from simple_history.admin import SimpleHistoryAdmin

from committee.models import AgendaItem
from risks.models import RegisterSnapshot
from tests.factories import AgendaItemFactory, ReportFactory, exempt
from tests.gate_surfaces import MARKER, plant, published_meeting

pytestmark = pytest.mark.django_db


def _planted_records(item) -> list:
    """Every record `plant` wrote the marker into (or that carries it), with its history."""
    report = item.report
    appendices = list(report.appendices.all())
    snapshot = RegisterSnapshot.objects.get(pk=report.appendices.get(letter="C").object_id)
    return [
        item,
        item.meeting,
        report,
        *appendices,
        *report.background_papers.all(),
        item.minute,
        item.minute.minutes,
        snapshot,
        *snapshot.entries.all(),
        *snapshot.register.entries.all(),
    ]


def _history_pages(record) -> list[str]:
    """The admin's history of the record and its versions, where it has an admin with history."""
    if not isinstance(admin.site._registry.get(type(record)), SimpleHistoryAdmin):
        return []
    opts = record._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    try:
        pages = [reverse(f"{name}_history", args=[record.pk])]
    except NoReverseMatch:
        return []
    for version in record.history.all():
        pages.append(reverse(f"{name}_simple_history", args=[record.pk, version.history_id]))
    return pages


def _shown(client, item) -> list[str]:
    return [
        page
        for record in _planted_records(item)
        for page in _history_pages(record)
        if (response := client.get(page)).status_code == 200 and MARKER in response.content.decode()
    ]


@pytest.fixture
def author_client(author):
    ReportFactory().authors.add(author)  # an author, not of the planted report
    client = Client(raise_request_exception=False)
    client.force_login(author)
    return client


def test_an_author_reads_no_version_of_another_part_ii_paper(author_client, committee, officer):
    item = plant(published_meeting(committee, officer), officer=officer)
    assert _shown(author_client, item) == []


def test_a_paper_made_part_ii_withdraws_its_earlier_versions_from_an_author(author_client, committee, officer):
    item = plant(published_meeting(committee, officer), officer=officer, part_ii=False)
    # Canary: while the item is public, the author reads its versions, marker and all.
    assert _shown(author_client, item), "the check cannot find the marker in a version page"
    exempt(item, 3)
    assert _shown(author_client, item) == []


def test_an_officer_reads_every_version_of_a_part_ii_paper(client, committee, officer):
    item = plant(published_meeting(committee, officer), officer=officer)
    client.force_login(officer)
    assert _shown(client, item)
    item_versions = _history_pages(item)
    assert all(client.get(page).status_code == 200 for page in item_versions)


def test_an_officer_reads_the_versions_of_a_deleted_item(client, committee, officer):
    item = AgendaItemFactory(meeting=published_meeting(committee, officer), title="Depot sale")
    pages = _history_pages(item)
    AgendaItem.objects.filter(pk=item.pk).delete()
    client.force_login(officer)
    assert [client.get(page).status_code for page in pages] == [200] * len(pages)

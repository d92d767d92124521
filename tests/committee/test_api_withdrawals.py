"""A client that keeps a copy of the public API and syncs with `modified_since` learns of
every record that left the API (made Part II, deleted), appeared in it (an agenda published)
or whose nested content changed (an appendix made exempt), though the record's own row did
not change: core/api_listings.py. Committed transactions (transactional_db), as in
production: the sweep is keyed by the public content generation, which the database raises
at commit."""

import pytest
from django.utils import timezone

from committee import services
from committee.models import Appendix
from committee.portal.api import UpdatedFilter
from core import api_listings
from tests.factories import AgendaItemFactory, MeetingFactory, MemberFactory, ReportFactory, exempt

pytestmark = pytest.mark.usefixtures("transactional_db")


def ids(client, path: str, since) -> set:
    response = client.get(path, {"modified_since": since.isoformat()})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def withdrawn(client, since) -> list[tuple[str, str]]:
    response = client.get("/api/withdrawals/", {"since": since.isoformat()})
    assert response.status_code == 200, response.content
    return [(row["endpoint"], row["key"]) for row in response.json()["results"]]


@pytest.fixture
def published(committee, officer):
    meeting = MeetingFactory(committee=committee)
    report = ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting, title="Library opening hours"))
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    return report


def test_a_report_made_part_ii_after_publication_is_withdrawn_from_clients_copies(client, published):
    report = published
    assert withdrawn(client, timezone.now()) == []  # a client's first sync
    assert report.pk in {row["id"] for row in client.get("/api/documents/").json()["results"]}
    synced_at = timezone.now()

    exempt(report.agenda_item, 3)

    assert report.pk not in ids(client, "/api/documents/", synced_at)
    assert withdrawn(client, synced_at) == [("documents", str(report.pk))]
    response = client.get("/api/withdrawals/", {"since": synced_at.isoformat()}).json()["results"][0]
    assert response["url"] == f"http://testserver/api/documents/{report.pk}/"
    assert client.get(response["url"]).status_code == 404
    assert withdrawn(client, timezone.now()) == []  # told once: not again after the next sync

    # Back in Part I (the paragraph was recorded by mistake): listed again, though the report's
    # own row has not changed since the client's copy was made.
    back_at = timezone.now()
    item = report.agenda_item
    item.access, item.paragraph_numbers, item.public_interest_reasons = "public", (), ""
    item.save()
    assert report.pk in ids(client, "/api/documents/", back_at)
    assert withdrawn(client, back_at) == []


def test_items_that_appear_when_the_agenda_is_published_are_changes(client, committee, officer):
    meeting = MeetingFactory(committee=committee)
    item = AgendaItemFactory(meeting=meeting, title="Library opening hours")
    assert ids(client, "/api/agenda-items/", timezone.now()) == set()
    synced_at = timezone.now()

    services.meeting_publish_agenda(meeting=meeting, by=officer)

    assert item.pk in ids(client, "/api/agenda-items/", synced_at)


def test_an_appendix_made_exempt_changes_its_report(client, published):
    report = published
    appendix = Appendix.objects.create(report=report, letter="A", title="Consultation responses", kind="rich_text",
                                       body="<p>Responses</p>")  # fmt: skip
    [copy] = [row for row in client.get("/api/documents/").json()["results"] if row["id"] == report.pk]
    assert [a["title"] for a in copy["appendices"]] == ["Consultation responses"]
    ids(client, "/api/documents/", timezone.now())  # the client's sync after its copy
    synced_at = timezone.now()

    appendix.access, appendix.paragraph_numbers = "exempt", (3,)
    appendix.public_interest_reasons = "Commercial terms."
    appendix.save()

    assert report.pk in ids(client, "/api/documents/", synced_at)
    [copy] = [row for row in client.get("/api/documents/").json()["results"] if row["id"] == report.pk]
    assert copy["appendices"] == []


def test_a_deleted_record_is_withdrawn_by_the_key_of_its_address(client, published):
    member = MemberFactory()
    withdrawn(client, timezone.now())
    synced_at = timezone.now()

    member.delete()

    assert withdrawn(client, synced_at) == [("members", member.slug)]


def test_every_list_with_modified_since_is_tracked_by_its_own_model():
    listed = api_listings.listed_endpoints()
    assert {prefix for prefix, _ in listed} >= {"committees", "members", "meetings", "agenda-items", "documents",
                                                "forward-plan", "decisions", "interests", "declarations"}  # fmt: skip
    models = [viewset().get_queryset().model for _, viewset in listed]
    assert models == [viewset.serializer_class.Meta.model for _, viewset in listed]
    assert len(set(models)) == len(models)  # one endpoint per model: a listing is named by its model
    assert all(issubclass(viewset.filterset_class, UpdatedFilter) for _, viewset in listed)


def test_the_worker_s_minute_sweep_notes_a_withdrawal_between_syncs(client, published, settings):
    """Made Part II and back between two syncs: the sweep that ran in between (the beat's,
    every QUORUM_PACK_SWEEP_SECONDS) noted both, so the client is told it came back."""
    from core.models import ApiListing
    from core.tasks import sweep_api_listings

    entry = settings.CELERY_BEAT_SCHEDULE["sweep-api-listings"]
    assert entry["task"] == sweep_api_listings.name and entry["schedule"] == settings.QUORUM_PACK_SWEEP_SECONDS
    report = published
    withdrawn(client, timezone.now())
    synced_at = timezone.now()

    exempt(report.agenda_item, 3)
    sweep_api_listings.apply().get()
    assert ApiListing.objects.get(model="committee.Report", key=str(report.pk)).withdrawn_at > synced_at
    item = report.agenda_item
    item.access, item.paragraph_numbers, item.public_interest_reasons = "public", (), ""
    item.save()

    assert report.pk in ids(client, "/api/documents/", synced_at)  # back: fetch it again
    assert withdrawn(client, synced_at) == []

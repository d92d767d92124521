"""The hard gate on executive decisions: a decision taken on a Part II item, or itself
withheld, and a forward plan entry not yet noticed, reach no public surface (pages, feeds,
the API, the notice PDF); a canary proves each check can find what it looks for."""

import pytest
from django.urls import reverse
from django.utils import timezone

from committee import gate
from decisions import services
from decisions.models import Decision
from tests.factories import AgendaItemFactory, exempt
from tests.gate_surfaces import MARKER, published_meeting, text_of

from .kit import cabinet_maker, decision, plan_entry, published_entry

pytestmark = pytest.mark.django_db


def _surfaces(record) -> list[tuple[str, str, int]]:
    """(name, address, status the public gets while it is withheld)."""
    return [
        ("decisions list", reverse("decisions:decision-list"), 200),
        ("decision page", record.get_absolute_url(), 404),
        ("decision notice PDF", reverse("decisions:decision-notice-pdf", args=[record.pk]), 404),
        ("API list", "/api/decisions/", 200),
        ("API record", f"/api/decisions/{record.pk}/", 404),
        ("forward plan", reverse("decisions:forward-plan"), 200),
        ("forward plan RSS", reverse("decisions:forward-plan-rss"), 200),
        ("forward plan iCalendar", reverse("decisions:forward-plan-ics"), 200),
        ("API forward plan", "/api/forward-plan/", 200),
    ]


def _decision_on_item(committee, officer, *, part_ii: bool) -> Decision:
    meeting = published_meeting(committee, officer)
    item = AgendaItemFactory(meeting=meeting, title=f"Disposal of land {MARKER}")
    if part_ii:
        exempt(item, 3)
    made = decision(
        cabinet_maker(committee),
        decided_on=timezone.localdate(meeting.starts_at),
        item=item,
        title=f"Sale of the depot {MARKER}",
        decision=f"<p>Resolved: sell for £{MARKER}.</p>",
        by=officer,
    )
    services.decision_publish_notice(decision=made, published_on=timezone.localdate(), by=officer)
    return made


def _leaks(client, record, *, expect_withheld: bool) -> list[str]:
    found = []
    for name, url, withheld_status in _surfaces(record):
        response = client.get(url)
        status = withheld_status if expect_withheld else 200
        if response.status_code != status:
            found.append(f"{name}: {response.status_code}, expected {status}")
        elif response.status_code == 200 and MARKER in text_of(response):
            found.append(f"{name}: shows the marker")
    return found


def test_a_decision_on_a_part_ii_item_reaches_no_public_surface(client, committee, officer):
    record = _decision_on_item(committee, officer, part_ii=True)
    assert _leaks(client, record, expect_withheld=True) == []


def test_a_withheld_decision_reaches_no_public_surface(client, officer):
    made = decision(cabinet_maker(), decided_on=timezone.localdate(), title=f"Settlement {MARKER}", by=officer)
    Decision.objects.filter(pk=made.pk).update(
        access="exempt", exempt_paragraphs=1 << 2, public_interest_reasons="Commercial negotiations."
    )
    services.decision_publish_notice(decision=made, published_on=timezone.localdate(), by=officer)
    assert _leaks(client, made, expect_withheld=True) == []


def test_an_unpublished_notice_and_a_proposed_entry_reach_no_public_surface(client, officer):
    maker = cabinet_maker()
    plan_entry(maker, reference="FP/9", title=f"Closure of a care home {MARKER}")
    made = decision(maker, decided_on=timezone.localdate(), title=f"Draft {MARKER}", by=officer)
    found = []
    for name, url, status in _surfaces(made):
        response = client.get(url)
        if response.status_code != status or (status == 200 and MARKER in text_of(response)):
            found.append(name)
    assert found == []


@pytest.mark.pdf  # the notice PDF is rendered and read
def test_canary_public_decision_and_entry_are_found_on_every_surface(client, committee, officer):
    record = _decision_on_item(committee, officer, part_ii=False)
    published_entry(
        cabinet_maker(), noticed_on=timezone.localdate(), reference="FP/8", title=f"Depot {MARKER}", by=officer
    )
    for name, url, _ in _surfaces(record):
        response = client.get(url)
        assert response.status_code == 200, name
        assert MARKER in text_of(response), name


def test_the_committees_councillors_read_its_part_ii_decision(client, committee, officer, councillor, other_councillor):
    record = _decision_on_item(committee, officer, part_ii=True)
    client.force_login(councillor)
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    client.force_login(other_councillor)
    assert client.get(record.get_absolute_url()).status_code == 404
    assert gate.decision_q(gate.Reader.public())  # the public's rule is a real condition

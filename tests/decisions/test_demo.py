"""The demo's decisions: the seed minutes' resolutions on the four reports, as published
decisions of the cabinet committee (not key decisions), and one illustrative upcoming key
decision on the forward plan. Loading twice changes nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from decisions.models import Decision, ForwardPlanEntry

pytestmark = pytest.mark.django_db


def _load():
    with open("/dev/null", "w") as out:
        call_command("load_demo", stdout=out)


def test_the_seed_resolutions_become_published_decisions_and_load_once(client):
    _load()
    _load()
    decisions = list(Decision.objects.order_by("agenda_item__order"))
    assert [d.agenda_item.number for d in decisions] == ["4", "5", "6", "7"]
    assert not any(d.is_key_decision for d in decisions)
    assert all(d.notice.published_on.isoformat() == "2018-04-19" for d in decisions)
    assert "note the report and that a further report will be presented in 6 months" in decisions[0].decision
    listing = client.get(reverse("decisions:decision-list")).content.decode()
    assert listing.count("May be implemented") == 4

    entry = ForwardPlanEntry.objects.get()
    assert entry.is_key_decision and entry.title.startswith("Illustrative example")
    assert "Illustrative example" in client.get(reverse("decisions:forward-plan")).content.decode()

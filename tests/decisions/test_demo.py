"""The demo's decisions: the seed minutes' resolutions on the four reports, as published
decisions of the cabinet committee (not key decisions), and one illustrative upcoming key
decision on the forward plan. Loading twice changes nothing."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from decisions.demo import ILLUSTRATIVE
from decisions.models import Decision, ForwardPlanEntry

# The seed pack's text as the demo holds it (committee/demo_data says where each part is from).
SEED = Path(__file__).resolve().parents[2] / "committee" / "demo_data" / "lancashire.toml"

pytestmark = pytest.mark.django_db


def _load():
    with open("/dev/null", "w") as out:
        call_command("load_demo", stdout=out)


def test_the_seed_resolutions_become_published_decisions_and_load_once(client, demo_for_the_module):
    _load()  # a second time: the demo is loaded once for the module (tests/conftest.py)
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


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>|\*\*", " ", html).split())


def test_each_demo_decisions_reasons_and_alternatives_are_the_seeds_or_marked_illustrative(client, demo_for_the_module):
    """Demo honesty: what a demo decision says is either in the seed pack or says on its page
    that it is the demo's illustration."""
    with open(SEED, encoding="utf-8") as seed_file:
        seed = _words(seed_file.read())
    decisions = list(Decision.objects.all())
    assert len(decisions) == 4
    for made in decisions:
        page = client.get(made.get_absolute_url()).content.decode()
        for text in (made.reasons, made.alternatives_rejected):
            words = _words(text)
            assert words in seed or (ILLUSTRATIVE in words and ILLUSTRATIVE in page), (made.title, words)
        assert "As set out in the report" not in page and "the report was for noting" not in page

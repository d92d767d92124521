"""The demo loads the seed's Corporate Risk & Opportunity Register Q1 2018/19 whole, and the
report of 27 June 2018 shows it as Appendix 'A' with its summary table."""

import re

import pytest
from django.core.management import call_command

from committee.models import Appendix, Report
from risks import selectors
from risks.models import Entry, Register, RegisterSnapshot

pytestmark = pytest.mark.django_db

# (risk or opportunity score, residual score) as the seed's register prints them.
SEED_SCORES = {
    "CR1": (20, 16),
    "CR2": (25, 16),
    "CR3": (25, 16),
    "CR4": (25, 16),
    "CR5": (16, 12),
    "CR6": (16, 12),
    "CR7": (16, 12),
    "CR8": (25, 16),
    "CR9": (20, 20),
    "CR10": (15, 12),
    "CR11": (20, 16),
    "CO1": (12, 16),
    "CO2": (12, 15),
    "CO3": (12, 16),
}


@pytest.fixture
def demo(demo_for_the_module):
    """The register snapshot of the demo, loaded once for this module (tests/conftest.py)."""
    return RegisterSnapshot.objects.get(register__slug="corporate", period_label="Q1 2018/19")


def test_the_demo_register_has_all_fourteen_entries_with_the_seed_scores(demo):
    live = {e.reference: (e.inherent_score, e.residual_score) for e in Entry.objects.all()}
    frozen = {e.reference: (e.inherent_score, e.residual_score) for e in demo.entries.all()}
    assert live == frozen == SEED_SCORES
    assert demo.is_locked
    assert not demo.entries.filter(residual_likelihood__isnull=False).exists()  # the seed gives scores only


def test_the_demo_keeps_every_text(demo):
    cr1 = demo.entries.get(reference="CR1")
    assert cr1.description.count("<li>") == 3
    for group in (
        "Commercialisation",
        "Taxation &amp; Grants",
        "Staff Productivity",
        "Commissioning &amp; Third Sector",
    ):
        assert f"<p>{group}</p>" in cr1.actions
    assert "Implementing a visibility campaign" in cr1.controls and "Regular web casts" in cr1.controls
    assert cr1.direction_note == "This is a new risk that is being monitored by both the Priorities Board and CMT"
    cr2 = demo.entries.get(reference="CR2")
    assert "Heat maps used to monitor performance" in cr2.controls  # continued after the seed's page break
    assert demo.entries.get(reference="CR9").consequences.endswith("pressure for reablement services.</p>")
    assert demo.entries.get(reference="CO3").direction_note == ""
    assert demo.entries.get(reference="CO2").direction_note == "Upwards"
    assert sorted(t.name for t in demo.entries.get(reference="CR3").risk_types.all()) == ["Legal", "Political"]


def test_the_report_shows_the_register_as_appendix_a_and_the_summary_table(client, demo):
    report = Report.objects.get(title__startswith="Corporate Risk and Opportunity Register Quarter 1")
    appendix = Appendix.objects.get(report=report, letter="A")
    assert appendix.structured == demo and appendix.title == "Corporate Risk & Opportunity Register Q1 2018/19"
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Appendix 'A': Corporate Risk &amp; Opportunity Register Q1 2018/19" in html
    register = html[html.index('id="appendix-A"') :]
    for reference in SEED_SCORES:
        assert f'<th scope="row">{reference}</th>' in register

    summary = html[html.index("entries with a residual score of 12 or above") : html.index('id="appendix-A"')]
    listed = re.findall(r'<th scope="row">(C[RO]\d+)</th>', summary)
    assert listed == [ref for ref, (_, residual) in SEED_SCORES.items() if residual >= 12]
    assert "Further mitigating actions added. Residual risk score remains unchanged." in summary
    assert summary.index("Establishing a strong and visible leadership team") < summary.index(
        "Allowing for mitigating actions the residual score is 16"
    )


def test_the_summary_threshold_is_a_parameter(demo):
    listed = [entry.reference for entry in selectors.summary_entries(demo, 16)]
    assert listed == [ref for ref, (_, residual) in SEED_SCORES.items() if residual >= 16]
    assert "CR5" not in listed and "CO2" not in listed


def test_the_register_page_and_heat_map_show_every_entry(client, demo):
    html = client.get(demo.get_absolute_url()).content.decode()
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    assert re.findall(r"entries/(C[RO]\d+)/", table) == list(SEED_SCORES)
    heat_map = html[html.index('id="heat-map"') : html.index('id="key"')]
    assert "No entry of this register has a recorded likelihood and impact" in heat_map
    assert sorted(re.findall(r"entries/(C[RO]\d+)/", heat_map)) == sorted(SEED_SCORES)


def test_loading_the_demo_twice_changes_nothing(demo):
    with open("/dev/null", "w") as out:
        call_command("load_demo", stdout=out)
    assert Register.objects.count() == 1 and RegisterSnapshot.objects.count() == 1
    assert Entry.objects.count() == 14

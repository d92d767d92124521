"""Registers, entries and reported snapshots for the risks tests."""

import pytest

from committee import services as committee_services
from risks import services
from risks.models import Entry, Kind, RiskType
from tests.factories import ReportFactory


def make_entry(register, reference, *, kind=None, score=(20, 16), rated=None, types=("Economic",), **fields):
    """A live entry. `score` is (current, residual); `rated` gives ((l, i), (l, i)) instead."""
    kind = kind or (Kind.OPPORTUNITY if reference.startswith(register.opportunity_prefix) else Kind.RISK)
    values = {
        "title": f"Entry {reference}",
        "consequences": f"<ul><li>Consequence of {reference}</li></ul>",
        "controls": f"<ul><li>Control of {reference}</li></ul>",
        "actions": f"<ul><li>Action of {reference}</li></ul>",
        "owner": "Director of Children's Services",
        **fields,
    }
    if rated:
        (il, ii), (rl, ri) = rated
        values.update(inherent_likelihood=il, inherent_impact=ii, residual_likelihood=rl, residual_impact=ri)
    else:
        values.update(inherent_score=score[0], residual_score=score[1])
    entry = Entry(register=register, kind=kind, reference=reference, **values)
    risk_types = [RiskType.objects.get_or_create(name=name)[0] for name in types]
    return services.entry_save(entry=entry, risk_types=risk_types)


@pytest.fixture
def register(db):
    return services.register_create(name="Corporate Risk and Opportunity Register", slug="corporate")


@pytest.fixture
def entries(register):
    return [
        make_entry(register, "CR1", score=(20, 16), types=("Economic",)),
        make_entry(register, "CR2", score=(25, 16), types=("Social",), owner="Director of Children's Services"),
        make_entry(register, "CR5", score=(16, 12), types=("Organisational",), owner="CMT"),
        make_entry(register, "CR10", rated=((3, 5), (2, 4)), types=("Organisational", "Social"), owner="CMT"),
        make_entry(register, "CO2", score=(12, 15), types=("Political", "Economic"), owner="Dir of Corporate Services"),
    ]


@pytest.fixture
def published_report(officer):
    """A published Part I report, ready to carry a register as its Appendix 'A'."""
    report = ReportFactory(title="Corporate Risk and Opportunity Register Quarter 1")
    committee_services.meeting_publish_agenda(meeting=report.agenda_item.meeting, by=officer)
    return report


@pytest.fixture
def reported(register, entries, published_report, officer):
    """The register's Q1 snapshot, locked and attached to a published report with its summary."""
    snapshot = services.snapshot_take(register=register, period_label="Q1 2018/19", by=officer, lock=True)
    services.snapshot_attach(snapshot=snapshot, report=published_report, summary_threshold=12, by=officer)
    return snapshot

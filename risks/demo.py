"""Load the seed's Corporate Risk & Opportunity Register Q1 2018/19 (risks/demo_data/*.toml).

The live register gets the fourteen entries as the seed gives them; a Q1 2018/19 snapshot is
taken and locked, and attached to item 4 of the 27 June 2018 meeting ("Corporate Risk and
Opportunity Register Quarter 1") as Appendix 'A', with the covering report's table of the
entries scoring 12 or above placed within the report. Idempotent: nothing changes when the
register is already there.
"""

import tomllib
from pathlib import Path

from django.db import transaction

from committee import demo as committee_demo

from . import services
from .models import Entry, Register, RiskType

DEMO_FILE = Path(__file__).parent / "demo_data" / "corporate_q1_2018_19.toml"
TEXT_FIELDS = ("description", "consequences", "controls", "actions")


def load(*, stdout=None) -> bool:
    data = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
    if Register.objects.filter(slug=data["register"]["slug"]).exists():
        return False
    with transaction.atomic():
        _load(data)
    return True


def _load(data: dict) -> None:
    r = data["register"]
    register = services.register_create(
        name=r["name"],
        slug=r["slug"],
        description=r.get("description", ""),
        risk_prefix=r["risk_prefix"],
        opportunity_prefix=r["opportunity_prefix"],
    )
    types = {name: RiskType.objects.get_or_create(name=name)[0] for name in r["risk_types"]}
    for e in data["entries"]:
        entry = Entry(
            register=register,
            kind=e["kind"],
            reference=e["reference"],
            title=e["title"],
            owner=e["owner"],
            inherent_score=e["inherent_score"],
            residual_score=e["residual_score"],
            direction_note=e.get("direction_note", ""),
            committee_summary=e.get("committee_summary", ""),
            **{field: e.get(field, "").strip() for field in TEXT_FIELDS},
        )
        services.entry_save(entry=entry, risk_types=[types[name] for name in e["types"]])

    s = data["snapshot"]
    # The seed gives no date for the register it reports: the snapshot is dated the day its
    # agenda was published (the register as it stood then), not the day the demo is loaded.
    report = committee_demo.demo_report(s["report"])
    snapshot = services.snapshot_take(
        register=register,
        period_label=s["period_label"],
        by=None,
        lock=True,
        taken_at=report.agenda_item.meeting.agenda_published_at,
    )
    services.snapshot_attach(
        snapshot=snapshot,
        report=report,
        letter=s["appendix_letter"],
        title=s["appendix_title"],
        summary_threshold=s["summary_threshold"],
    )

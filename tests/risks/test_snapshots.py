"""Quarterly snapshots: a frozen copy of the register as reported, reproducible years later,
locked against change, with the direction of travel worked out against the previous one."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from committee.models import Appendix
from risks import services
from risks.models import Direction, Entry, Register, RegisterSnapshot, RiskType, ScoreBand, SnapshotEntry

from .conftest import make_entry
from .pack import appendix_html, appendix_pdf_pages

pytestmark = pytest.mark.django_db


def _appendix(snapshot) -> Appendix:
    return Appendix.objects.get(content_type=ContentType.objects.get_for_model(RegisterSnapshot), object_id=snapshot.pk)


def test_taking_a_snapshot_copies_every_open_entry(register, entries, officer):
    closed = make_entry(register, "CR3", is_open=False)
    snapshot = services.snapshot_take(register=register, period_label="Q1 2018/19", by=officer)
    copies = list(snapshot.entries.order_by("position"))
    assert [c.reference for c in copies] == ["CR1", "CR2", "CR5", "CR10", "CO2"]  # risks, then opportunities
    assert closed.reference not in {c.reference for c in copies}
    cr10 = copies[3]
    assert (cr10.inherent_score, cr10.residual_likelihood, cr10.residual_impact, cr10.residual_score) == (15, 2, 4, 8)
    assert cr10.owner == "CMT"
    assert sorted(t.name for t in cr10.risk_types.all()) == ["Organisational", "Social"]
    assert snapshot.taken_by == officer and snapshot.register_name == register.name
    assert [band["name"] for band in snapshot.bands] == ["Low", "Medium", "High"]
    assert snapshot.history.first().history_user == officer


def test_the_same_period_cannot_be_taken_twice(register, entries, officer):
    services.snapshot_take(register=register, period_label="Q1 2018/19", by=officer)
    with pytest.raises(ValidationError, match="already has a Q1 2018/19 snapshot"):
        services.snapshot_take(register=register, period_label="Q1  2018/19", by=officer)


def test_a_register_without_open_entries_cannot_be_snapshotted(register, officer):
    with pytest.raises(ValidationError, match="no open entries"):
        services.snapshot_take(register=register, period_label="Q1 2018/19", by=officer)
    assert not RegisterSnapshot.objects.exists()


@pytest.mark.pdf
def test_change_to_live_entries_after_the_snapshot_leaves_it_and_its_pack_appendix_unchanged(reported, register):
    appendix = _appendix(reported)
    html_before = appendix_html(appendix)
    pages_before = appendix_pdf_pages(appendix)
    assert "CR1" in html_before and "Entry CR1" in html_before

    # Everything that could leak into the snapshot changes: texts, scores, owner, types,
    # the register's name and its bands; an entry closes and a new one opens.
    cr1 = Entry.objects.get(register=register, reference="CR1")
    cr1.title = "A rewritten title"
    cr1.consequences = "<p>Rewritten consequences</p>"
    cr1.inherent_score, cr1.residual_score = 25, 25
    cr1.owner = "Someone else"
    services.entry_save(entry=cr1)
    RiskType.objects.filter(name="Economic").update(name="Financial")
    Register.objects.filter(pk=register.pk).update(name="Renamed register")
    ScoreBand.objects.filter(register=register, name="High").update(name="Severe", colour="#000000")
    Entry.objects.filter(register=register, reference="CR2").update(is_open=False)
    make_entry(register, "CR12")

    appendix = _appendix(reported)
    assert appendix_html(appendix) == html_before
    assert appendix_pdf_pages(appendix) == pages_before
    assert "Rewritten" not in "".join(pages_before) and "Severe" not in html_before


@pytest.mark.pdf
def test_the_pack_appendix_has_every_entry_the_key_and_repeats_its_header(register, entries, published_report, officer):
    long_controls = "<ul>" + "".join(f"<li>Control number {n} of a long cell</li>" for n in range(1, 121)) + "</ul>"
    make_entry(register, "CR3", controls=long_controls)
    snapshot = services.snapshot_take(register=register, period_label="Q1 2018/19", by=officer, lock=True)
    services.snapshot_attach(snapshot=snapshot, report=published_report, by=officer)

    pages = [" ".join(page.split()) for page in appendix_pdf_pages(_appendix(snapshot))]
    text = " ".join(pages)
    for reference in ("CR1", "CR2", "CR3", "CR5", "CR10", "CO2"):
        assert reference in text
    assert "Key to Scores" in text
    # The long cell breaks cleanly across pages, and each page repeats the header row.
    holding = [page for page in pages if "Control number" in page]
    assert len(holding) >= 2
    assert all(all(w in page for w in ("Description", "Mitigating Actions", "Owner")) for page in holding)
    # Headings are whole words, never hyphenated ("Identi-fication", "Con-sequences").
    for page in holding:
        assert "Identification" in page and "Consequences" in page, page[:300]
        assert "Identi-" not in page and "Con-" not in page
    assert all(f"Control number {n} " in text for n in range(1, 121))
    # The long row names itself on each page it runs on to, where its reference cell was blank.
    assert [re.findall(r"\S+ \(continued\)", page) for page in holding] == [[]] + [["CR3 (continued)"]] * (
        len(holding) - 1
    )
    assert text.count("(continued)") == len(holding) - 1
    assert "Possible Benefits" in text and "Maximising Actions" in text
    assert "Oppor-" not in text and "Identi-" not in text and "Con-" not in text


def test_a_locked_snapshot_cannot_be_changed(reported, officer):
    entry = reported.entries.get(reference="CR1")
    with pytest.raises(ValidationError, match="locked as reported"):
        services.snapshot_entry_reword(snapshot_entry=entry, direction_note="Changed", committee_summary="", by=officer)
    with pytest.raises(ValidationError, match="locked as reported"):
        services.snapshot_lock(snapshot=reported, by=officer)
    with pytest.raises(ValidationError, match="locked as reported"):
        services.snapshot_delete(snapshot=reported, by=officer)
    with pytest.raises(ValidationError, match="locked as reported"):
        services.summary_update(summary=reported.summaries.get(), threshold=16, by=officer)
    entry.title = "Edited behind the services' back"
    with pytest.raises(ValidationError, match="locked"):
        entry.full_clean()
    entry.refresh_from_db()
    assert entry.direction_note == "" and entry.title == "Entry CR1"


def test_officers_word_an_unlocked_snapshot_then_lock_it(register, entries, officer):
    snapshot = services.snapshot_take(register=register, period_label="Q1 2018/19", by=officer)
    entry = snapshot.entries.get(reference="CR1")
    services.snapshot_entry_reword(
        snapshot_entry=entry,
        direction_note="This is a new risk that is being monitored by both the Priorities Board and CMT",
        committee_summary="Allowing for mitigating actions the residual score is 16",
        by=officer,
    )
    entry.refresh_from_db()
    assert entry.summary_sentence == "Allowing for mitigating actions the residual score is 16"
    assert entry.history.first().history_user == officer
    services.snapshot_lock(snapshot=snapshot, by=officer)
    snapshot.refresh_from_db()
    assert snapshot.is_locked and snapshot.locked_by == officer


def test_direction_of_travel_across_two_snapshots(register, officer):
    make_entry(register, "CR1", score=(20, 16))
    make_entry(register, "CR2", score=(25, 16))
    make_entry(register, "CR3", score=(16, 12))
    make_entry(register, "CO1", score=(12, 12))
    make_entry(register, "CO2", score=(12, 15))
    q1 = services.snapshot_take(register=register, period_label="Q1 2018/19", by=officer, lock=True)
    assert set(q1.entries.values_list("direction", flat=True)) == {Direction.NEW}
    assert q1.entries.get(reference="CR1").direction_meaning == "New: the register's first snapshot"

    changes = {"CR1": 20, "CR2": 12, "CR3": 12, "CO1": 16, "CO2": 8}
    for reference, residual in changes.items():
        entry = Entry.objects.get(register=register, reference=reference)
        entry.residual_score = residual
        services.entry_save(entry=entry)
    make_entry(register, "CR4", score=(16, 16))
    q2 = services.snapshot_take(register=register, period_label="Q2 2018/19", by=officer)

    assert q2.previous == q1
    got = {e.reference: (e.direction, e.previous_residual_score, e.direction_meaning) for e in q2.entries.all()}
    assert got == {
        "CR1": (Direction.UP, 16, "Up: the risk has increased"),
        "CR2": (Direction.DOWN, 16, "Down: the risk has reduced"),
        "CR3": (Direction.LEVEL, 12, "Level: residual score unchanged"),
        "CR4": (Direction.NEW, None, "New: not in the previous snapshot"),
        "CO1": (Direction.UP, 12, "Up: the opportunity has improved"),
        "CO2": (Direction.DOWN, 15, "Down: the opportunity has reduced"),
    }
    # The first quarter is as it was.
    assert q1.entries.get(reference="CR1").residual_score == 16


def test_an_unlocked_snapshot_taken_by_mistake_can_be_deleted_unless_attached(register, entries, officer):
    snapshot = services.snapshot_take(register=register, period_label="Q1 2018/19", by=officer)
    services.snapshot_delete(snapshot=snapshot, by=officer)
    assert not RegisterSnapshot.objects.exists() and not SnapshotEntry.objects.exists()


def test_the_web_page_of_the_register_is_as_it_was(client, reported):
    """Only the pack's rows name themselves for the pages they run on to; the report page's
    table is the register's table, as before."""
    appendix = _appendix(reported)
    page = client.get(appendix.report.get_absolute_url()).content.decode()
    assert "Corporate Risk and Opportunity Register Q1 2018/19" in page and ">CR10</th>" in page
    assert "data-continued-label" not in page and "(continued)" not in page
    assert '<tr data-continued-label="CR10 (continued)">' in appendix_html(appendix)

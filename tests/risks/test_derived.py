"""Derived figures cross no gate (domain rules 9): a Part I snapshot's direction of travel,
stored against a snapshot reported only in Part II, is shown to the public worked out
against the latest snapshot they may read, on every surface: the snapshot and entry pages,
the report page, search and the agenda pack."""

import pytest
from django.urls import reverse

from committee import services as committee_services
from committee.gate import Reader
from committee.models import AgendaPack, Appendix
from committee.pack.content import gather
from risks import services
from tests.factories import MeetingFactory, ReportFactory, exempt

from .conftest import make_entry

pytestmark = pytest.mark.django_db


def _reported(register, officer, committee, label: str, residual: int, *, part_ii: bool = False):
    """Set the entry's residual score, take the quarter's snapshot and report it."""
    entry = register.entries.get(reference="CR1")
    entry.residual_score = residual
    services.entry_save(entry=entry, by=officer)
    snapshot = services.snapshot_take(register=register, period_label=label, by=officer, lock=True)
    report = ReportFactory(agenda_item__meeting=MeetingFactory(committee=committee), title=f"Risk register {label}")
    if part_ii:
        exempt(report.agenda_item, 3)
    committee_services.meeting_publish_agenda(meeting=report.agenda_item.meeting, by=officer)
    services.snapshot_attach(snapshot=snapshot, report=report, by=officer)
    return snapshot, report


@pytest.fixture
def quarters(register, officer, committee):
    """Q1 (residual 12) and Q3 (9) reported in Part I; Q2 (8) between them only in Part II.
    Against Q2 the entry went up ("was 8"); against Q1, the latest the public may read, down."""
    make_entry(register, "CR1", score=(20, 12))
    q1, _ = _reported(register, officer, committee, "Q1 2018/19", 12)
    q2, _ = _reported(register, officer, committee, "Q2 2018/19", 8, part_ii=True)
    q3, report = _reported(register, officer, committee, "Q3 2018/19", 9)
    assert q3.previous == q2 and q3.entries.get().previous_residual_score == 8  # as stored
    return q1, q2, q3, report


def _shows_the_part_ii_comparison(text: str) -> bool:
    return "Q2 2018/19" in text or "was 8" in text or "Up: the risk has increased" in text


def test_the_public_sees_the_direction_against_the_latest_snapshot_it_may_read(client, quarters):
    q1, q2, q3, report = quarters
    snapshot_page = client.get(q3.get_absolute_url()).content.decode()
    entry_page = client.get(reverse("risks:snapshot-entry", args=[q3.pk, "CR1"])).content.decode()
    report_page = client.get(report.get_absolute_url()).content.decode()
    for text in (snapshot_page, entry_page, report_page):
        assert not _shows_the_part_ii_comparison(text)
    assert "Worked out against the Q1 2018/19 snapshot" in snapshot_page
    assert "Down: the risk has reduced" in snapshot_page
    assert "(was 12)" in entry_page and "against the Q1 2018/19 snapshot" in report_page


def test_search_and_the_public_pack_show_no_part_ii_comparison(client, quarters):
    q1, q2, q3, report = quarters
    appendix = Appendix.objects.get(report=report, kind="structured", placement="appendix")
    assert "Q3 2018/19" in appendix.document_text
    assert not _shows_the_part_ii_comparison(appendix.document_text)
    content = gather(report.agenda_item.meeting, kind=AgendaPack.Kind.PUBLIC, scope=AgendaPack.Scope.FULL)
    html = "".join(part.html for paper in content.papers for part in paper.parts)
    assert "Q3 2018/19" in html and not _shows_the_part_ii_comparison(html)


def test_officers_and_the_committee_see_the_direction_as_stored(client, quarters, officer, councillor):
    q1, q2, q3, report = quarters
    for user in (officer, councillor):
        client.force_login(user)
        page = client.get(q3.get_absolute_url()).content.decode()
        assert "Worked out against the Q2 2018/19 snapshot" in page and "Up: the risk has increased" in page
        entry_page = client.get(reverse("risks:snapshot-entry", args=[q3.pk, "CR1"])).content.decode()
        assert "(was 8)" in entry_page
    content = gather(report.agenda_item.meeting, kind=AgendaPack.Kind.CONFIDENTIAL, scope=AgendaPack.Scope.FULL)
    assert "was 8" in "".join(part.html for paper in content.papers for part in paper.parts)


def test_the_comparison_costs_one_query_more_only_when_it_differs(quarters, django_assert_num_queries):
    from risks import selectors

    q1, q2, q3, report = quarters
    # the latest earlier snapshot the reader may read (the gate's subquery inside)
    with django_assert_num_queries(1):
        selectors.compared_for(Reader(is_officer=True), q3)
    # ... and, as it is not the stored one, its scores
    with django_assert_num_queries(2):
        selectors.compared_for(Reader.public(), q3)


@pytest.mark.pdf
def test_a_pack_that_compared_against_a_snapshot_since_made_part_ii_is_withdrawn(client, register, officer, committee):
    """Q3's public pack printed its direction of travel against Q2 ("was 8") while Q2 was Part I.
    Q2's report made Part II afterwards takes "was 8" away from the public: the version of the
    other meeting that printed it is withdrawn too, not only Q2's own."""
    from committee.pack import services as pack_services
    from tests.gate_surfaces import text_of

    make_entry(register, "CR1", score=(20, 12))
    _reported(register, officer, committee, "Q1 2018/19", 12)
    q2, q2_report = _reported(register, officer, committee, "Q2 2018/19", 8)
    q3, q3_report = _reported(register, officer, committee, "Q3 2018/19", 9)
    from committee.models import Meeting

    meeting = Meeting.objects.get(pk=q3_report.agenda_item.meeting_id)  # as published
    pack = pack_services.pack_request(meeting=meeting, kind=AgendaPack.Kind.PUBLIC)
    pack = pack_services.pack_build(pack_id=pack.pk)
    printed = " ".join(text_of(client.get(pack.get_absolute_url())).split())
    assert "against the Q2 2018/19 snapshot" in printed and "(was 8)" in printed

    exempt(q2_report.agenda_item, 3)
    pack_services.packs_after_papers_changed(meeting=q2_report.agenda_item.meeting, by=officer)
    pack.refresh_from_db()
    assert pack.withdrawn_at is not None, "the public still downloads Q2's Part II score in Q3's pack"
    assert client.get(pack.get_absolute_url()).status_code == 410


def test_search_text_worked_out_against_a_snapshot_since_made_part_ii_is_written_again(register, officer, committee):
    """Q3's appendix was stored for search with its direction of travel against Q2 ("was 8").
    Q2's report made Part II: search must not find Q2's scores in Q3's text any more; it reads
    Q3 against Q1, as its page does."""
    from committee.models import Appendix
    from committee.pack import services as pack_services

    make_entry(register, "CR1", score=(20, 12))
    _reported(register, officer, committee, "Q1 2018/19", 12)
    q2, q2_report = _reported(register, officer, committee, "Q2 2018/19", 8)
    q3, q3_report = _reported(register, officer, committee, "Q3 2018/19", 9)
    appendix = Appendix.objects.get(report=q3_report)
    assert "Q2 2018/19" in appendix.document_text

    exempt(q2_report.agenda_item, 3)
    pack_services.packs_after_papers_changed(meeting=q2_report.agenda_item.meeting, by=officer)

    appendix.refresh_from_db()
    assert "Q2 2018/19" not in appendix.document_text and "was 8" not in appendix.document_text
    assert "Q1 2018/19" in appendix.document_text


@pytest.mark.pdf
def test_a_pack_that_compared_against_a_snapshot_no_longer_reported_is_withdrawn(client, register, officer, committee):
    """Q2's snapshot was public only through Q2's report's appendix. The officer points that
    appendix at another snapshot: Q2's scores are no longer public, and the Q3 pack that
    printed its direction against them ("was 8") is withdrawn, though the change names no row
    of Q2's any more."""
    from committee import services as committee_services
    from committee.models import Appendix, Meeting
    from committee.pack import services as pack_services

    make_entry(register, "CR1", score=(20, 12))
    q1, _ = _reported(register, officer, committee, "Q1 2018/19", 12)
    q2, q2_report = _reported(register, officer, committee, "Q2 2018/19", 8)
    q3, q3_report = _reported(register, officer, committee, "Q3 2018/19", 9)
    meeting = Meeting.objects.get(pk=q3_report.agenda_item.meeting_id)  # as published
    pack = pack_services.pack_build(pack_id=pack_services.pack_request(meeting=meeting, kind=AgendaPack.Kind.PUBLIC).pk)
    assert not pack.is_preview and f"risks.registersnapshot:{q2.pk}" in pack.carried["compared"]

    appendix = Appendix.objects.get(report=q2_report)
    committee_services.structured_appendix_set(appendix=appendix, row=q1)
    appendix.save()
    pack_services.packs_after_papers_changed(meeting=q2_report.agenda_item.meeting, by=officer)

    pack.refresh_from_db()
    assert pack.withdrawn_at is not None, "Q3's pack still prints Q2's scores, public through no paper now"

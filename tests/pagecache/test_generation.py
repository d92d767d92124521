"""The public content generation rises with every committed change to public content, once
per transaction, and not for a change rolled back; every table of the public apps raises it
(a new model's table too), so no service can forget."""

import pytest
from django.db import connection, transaction
from django.utils import timezone

from committee import services
from committee.models import AgendaPack, Minutes, Report
from pagecache import generation
from risks import services as risk_services
from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.page_cache]


def number() -> int:
    now = generation.current()
    return now[0] if now else 0


def test_every_table_of_the_public_apps_raises_the_generation():
    public = generation.public_tables(connection)
    # The tables officers change when they publish, edit, cancel, report a risk or a KPI.
    for table in ("committee_meeting", "committee_report", "committee_agendapack", "committee_minutes"):
        assert table in public
    assert any(t.startswith("risks_") for t in public) and any(t.startswith("performance_") for t in public)
    assert any(t.startswith("send_actions_") for t in public)
    missing = set(public) - generation.tables_with_trigger()
    assert not missing, f"public tables whose changes would leave cached pages stale: {sorted(missing)}"


@pytest.fixture
def published(committee, officer):
    meeting = MeetingFactory(committee=committee)
    ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting, title="Library opening hours"))
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    meeting.refresh_from_db()
    return meeting


def _edit_paper(meeting, officer):
    report = Report.objects.get(agenda_item__meeting=meeting)
    report.executive_summary = "<p>Corrected after publication.</p>"
    report.save()


def _cancel(meeting, officer):
    services.meeting_cancel(meeting=meeting, by=officer, reason="Insufficient business")


def _publish_minutes(meeting, officer):
    Minutes.objects.update_or_create(meeting=meeting, defaults={"published_at": timezone.now()})


def _pack_ready(meeting, officer):
    # The pack builder marks a version ready with QuerySet.update (no signal, no save()).
    AgendaPack.objects.filter(meeting=meeting).update(progress_note="Ready")


def _risk_register(meeting, officer):
    risk_services.register_create(name="Corporate risk register", slug="corporate")


def _bulk_rows(meeting, officer):
    # Raw SQL, as a data fix or an import might do it.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE committee_agendaitem SET title = title WHERE meeting_id = %s", [meeting.pk])


@pytest.mark.parametrize(
    "change",
    [_edit_paper, _cancel, _publish_minutes, _pack_ready, _risk_register, _bulk_rows],
    ids=lambda f: f.__name__.strip("_"),
)
def test_a_committed_change_raises_the_generation(published, officer, change):
    before = number()
    change(published, officer)
    assert number() > before


def test_publishing_an_agenda_raises_it_once(committee, officer):
    meeting = MeetingFactory(committee=committee)
    ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting))
    before = number()
    services.meeting_publish_agenda(meeting=meeting, by=officer)  # one transaction, many rows
    after = number()
    assert after > before
    # Once per transaction: the next change raises it from there, not by the rows written.
    _cancel(meeting, officer)
    assert number() > after


def test_a_change_rolled_back_leaves_it_alone(published, officer):
    before = number()
    with pytest.raises(RuntimeError), transaction.atomic():
        _edit_paper(published, officer)
        raise RuntimeError("the officer's save failed")
    assert number() == before


def test_the_generation_is_raised_in_the_changes_own_transaction(published, officer):
    """A reader outside the transaction sees neither the change nor the new number until it
    commits, then both at once."""
    from django.db import connections

    before = number()
    with transaction.atomic():
        _edit_paper(published, officer)
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute(f"SELECT number FROM {generation.TABLE} WHERE id = 1")  # noqa: S608 - a constant
                assert cursor.fetchone()[0] == before
        finally:
            other.close()
    assert number() > before

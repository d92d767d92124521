"""On PostgreSQL, search matches on the stored, GIN-indexed search vectors, and they follow
every write."""

import re

import pytest
from django.db import connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from committee import gate
from committee.models import AgendaItem, Meeting, Report
from committee.portal.search import SOURCE_BY_KIND, SOURCES, _stored_vector, search
from tests.factories import AgendaItemFactory, ReportFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the search vectors exist on PostgreSQL only"),
]


def _query():
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery("troubled families", search_type="websearch", config="english")


def test_every_search_source_uses_its_index():
    with connection.cursor() as cursor:
        # On a near-empty table the planner would rather scan; make it show whether the
        # GIN index can serve the match at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
    for source in SOURCES:
        plan = (
            source.model.objects.annotate(search_document=_stored_vector(source.model))
            .filter(search_document=_query())
            .order_by()
            .explain()
        )
        assert f"{source.model._meta.db_table}_search" in plan, f"{source.kind}: {plan}"
        levels = source.model.objects.filter(
            RawSQL("search_levels @@ %s::tsquery", ["'troubl>4'"], output_field=BooleanField())
        )
        assert f"{source.model._meta.db_table}_search_levels" in levels.order_by().explain(), source.kind
    # The agenda items search reads those without a report, through the index of those only
    # (Source.searched_rows). Most matching items have a report, and the planner knows it
    # (ANALYZE): on a near-empty table the whole index and the partial one cost about the
    # same, and which is chosen depended on what earlier tests had left in the table's pages
    # (in a parallel run, the whole index now and then). So the whole index is dropped inside
    # the test's transaction (rolled back after it): what is proved is that the query's
    # condition lets the partial index serve it. No plain index scans either: on a table this
    # small, one of the item's meeting would do.
    for _ in range(20):
        ReportFactory(title="Troubled families", agenda_item__title="Troubled families")
    AgendaItemFactory(title="Troubled families")
    with connection.cursor() as cursor:
        cursor.execute('DROP INDEX "committee_agendaitem_search"')
        cursor.execute('ANALYZE "committee_agendaitem"')
        cursor.execute("SET LOCAL enable_indexscan = off")
    source = SOURCE_BY_KIND["Agenda item"]
    items = AgendaItem.objects.filter(RawSQL(source.searched_rows, [], output_field=BooleanField()))  # noqa: S611 - SQL of the code
    plan = items.annotate(search_document=_stored_vector(AgendaItem)).filter(search_document=_query()).explain()
    assert "committee_agendaitem_search_no_report" in plan, plan


def test_the_stored_vector_follows_edits():
    report = ReportFactory(executive_summary="<p>Highways maintenance.</p>")
    matching = Report.objects.annotate(v=_stored_vector(Report)).filter(v=_query())
    assert not matching.exists()
    Report.objects.filter(pk=report.pk).update(executive_summary="<p>Troubled Families Programme.</p>")
    assert list(matching.values_list("pk", flat=True)) == [report.pk]


def test_the_candidate_levels_follow_edits():
    """A word occurring 4 times or more is a candidate at level 4 (committee.portal.search)."""
    report = ReportFactory(executive_summary="<p>Budget.</p>")
    candidates = Report.objects.filter(
        RawSQL('"committee_report"."search_levels" @@ %s::tsquery', ["'budget>4'"], output_field=BooleanField())
    )
    assert not candidates.exists()
    Report.objects.filter(pk=report.pk).update(executive_summary="<p>Budget, budget, budgets and the budget.</p>")
    assert list(candidates.values_list("pk", flat=True)) == [report.pk]


def test_the_database_keeps_the_levels_the_search_asks_for():
    """The search asks for the levels it knows (committee.portal.search.LEVELS); the stored
    column must hold a token for each level a word reaches, and none other: a level the column
    lacks would find no candidates, and the search would rank every match."""
    from committee.portal.search import LEVELS

    report = ReportFactory(executive_summary="<p>" + "budget " * 300 + "</p>")
    with connection.cursor() as cursor:
        cursor.execute('SELECT "search_levels"::text FROM "committee_report" WHERE "id" = %s', [report.pk])
        (stored,) = cursor.fetchone()
    # PostgreSQL keeps 255 positions of a word at most: "budget" reaches every level.
    assert sorted(int(level) for level in re.findall(r"'budget>(\d+)'", stored)) == sorted(LEVELS)


def _has_report(*items) -> list[bool]:
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT "id", "has_report" FROM "committee_agendaitem" WHERE "id" = ANY(%s)', [[i.pk for i in items]]
        )
        kept = dict(cursor.fetchall())
    return [kept[item.pk] for item in items]


def test_the_database_keeps_whether_an_item_has_a_report():
    """Search reads an item without a report through the column the database keeps (migration
    0019): it must follow a report added, moved to another item and deleted, however written."""
    first, second = AgendaItemFactory(), AgendaItemFactory()
    assert _has_report(first, second) == [False, False]
    report = ReportFactory(agenda_item=first)
    assert _has_report(first, second) == [True, False]
    Report.objects.filter(pk=report.pk).update(agenda_item=second)
    assert _has_report(first, second) == [False, True]
    report.refresh_from_db()
    report.delete()
    assert _has_report(first, second) == [False, False]
    Report.objects.bulk_create([Report(agenda_item=first, title="Bulk", report_of="Chief Executive")])
    assert _has_report(first, second) == [True, False]


def test_an_item_is_found_through_its_report_and_on_its_own_once_the_report_goes():
    """What a reader sees: an item with a report is one result, the report; once the report is
    deleted, the item itself is found."""
    item = AgendaItemFactory(title="Troubled Families Programme")
    Meeting.objects.filter(pk=item.meeting_id).update(agenda_published_at=item.meeting.starts_at)
    report = ReportFactory(agenda_item=item)

    def found():
        return [(hit.kind, hit.pk) for hit in search(query="troubled families", reader=gate.Reader.public())]

    assert found() == [("Report", report.pk)]
    report.delete()
    assert found() == [("Agenda item", item.pk)]


def _row_version(item) -> str:
    """Where the item's row is: a row written again moves (its ctid), even within the
    transaction that wrote it (whose xmin stays the same)."""
    with connection.cursor() as cursor:
        cursor.execute('SELECT ctid::text FROM "committee_agendaitem" WHERE "id" = %s', [item.pk])
        return cursor.fetchone()[0]


def test_saving_a_report_where_it_is_leaves_its_item_alone():
    """Django's save writes every column of a report; the item is written (and locked) only
    when the report moves: a lock on every save would make a report's author wait for, or
    deadlock with, an officer saving the item's meeting (which locks it, then its items)."""
    report = ReportFactory()
    before = _row_version(report.agenda_item)
    report.title = "Highways Maintenance Programme 2018/19"
    report.save()
    assert _row_version(report.agenda_item) == before


def test_an_item_written_after_its_report_in_the_same_transaction_knows_of_it():
    """The foreign keys are checked at commit, so a fixture or an import may write a report
    before its item: the item is told of it as it is written."""
    meeting = AgendaItemFactory().meeting
    item_id = AgendaItem.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    with transaction.atomic():
        Report.objects.create(agenda_item_id=item_id, title="Written first", report_of="Chief Executive")
        item = AgendaItem.objects.create(
            pk=item_id, meeting=meeting, order=99, number="99", title="Written second", kind=AgendaItem.Kind.REPORT
        )
    assert _has_report(item) == [True]

"""On PostgreSQL, search matches on the stored, GIN-indexed search vectors, and they follow
every write."""

import re

import pytest
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from committee.models import Report
from committee.portal.search import SOURCES, _stored_vector
from tests.factories import ReportFactory

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

"""On PostgreSQL, search uses the GIN indexes (the query's expression matches the index's)."""

import pytest
from django.db import connection

from committee.search import SearchDocument, _sources
from committee.selectors import Reader

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN indexes exist on PostgreSQL only")
def test_every_search_source_uses_its_index():
    from django.contrib.postgres.search import SearchQuery

    query = SearchQuery("troubled families", search_type="websearch", config="english")
    with connection.cursor() as cursor:
        # On a near-empty table the planner would rather scan; make it show whether the
        # GIN index can serve the match at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    for kind, qs, fields, _ in _sources(Reader.public()):
        plain = (
            qs.model.objects.annotate(search_document=SearchDocument(*fields))
            .filter(search_document=query)
            .order_by()
        )
        plan = plain.explain()
        assert f"{qs.model._meta.db_table}_search" in plan, f"{kind}: {plan}"

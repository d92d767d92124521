"""Candidate levels for ranking common words on PostgreSQL (committee.portal.search).

Ranking every match of a common phrase with ts_rank means reading every matching row's
vector: about 11,000 rows for "school transport" in a ten-year archive. Each searched table
gets a second stored column, `search_levels`: for every word (lexeme) that occurs at least
L times in the row's text, the token "word>L", for L in LEVELS, with a GIN index. Through it
the search finds the rows where every word of the query is frequent without reading the
others, and ranks only those (with ts_rank on the full vector, as before).

A generated column cannot read another generated column, so the text is parsed again on
write (the same expression as 0004's `search_vector`).
"""

import importlib

from django.db import migrations

# committee.portal.search.LEVELS must be the same numbers.
LEVELS = (4, 8, 16, 32, 64, 128)

_search_indexes = importlib.import_module("committee.migrations.0004_search_indexes")

FUNCTION = f"""
CREATE OR REPLACE FUNCTION quorum_search_levels(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_to_tsvector(array_agg(word.lexeme || '>' || level)), ''::tsvector)
    FROM unnest(vector) AS word, unnest(ARRAY[{", ".join(map(str, LEVELS))}]) AS level
    WHERE cardinality(word.positions) >= level
$$
"""  # noqa: S608 - the levels are the numbers above


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    add_levels(schema_editor)


def add_levels(schema_editor):
    """The column on every searched table, computed by quorum_search_levels, and its index."""
    for table, fields in _search_indexes.SEARCHED.items():
        expression = _search_indexes._expression(fields)
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN "search_levels" tsvector '
            f"GENERATED ALWAYS AS (quorum_search_levels({expression})) STORED"
        )
        schema_editor.execute(f'CREATE INDEX "{table}_search_levels" ON "{table}" USING gin ("search_levels")')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in _search_indexes.SEARCHED:
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "search_levels"')
    schema_editor.execute("DROP FUNCTION IF EXISTS quorum_search_levels(tsvector)")


class Migration(migrations.Migration):
    dependencies = [("committee", "0016_paragraph_not_recorded")]

    operations = [migrations.RunPython(create, drop)]

"""Finer candidate levels for ranking common words on PostgreSQL (committee.portal.search).

0017 gave each searched row the tokens "word>L" for L in 4, 8, 16, 32, 64, 128: a level
holding a page's rows could hold four or five times as many, and every candidate is ranked
with ts_rank. Here the levels are eight to each doubling, from 4 to 235 (the last below 255:
PostgreSQL keeps at most 255 positions of a word in a tsvector, so no word occurs more often
than that as the index sees it). Adjacent levels are about 9% apart in occurrences, not in
rows: on the benchmark's archive the appendices at levels 19, 21 and 23 for "school
transport" are 203, 67 and 7. Each frequent word of a row gets a token per level it
reaches (a word occurring 100 times: 33 tokens, 5 before).

A generated column's expression cannot be changed in place before PostgreSQL 17: the column
is dropped and added again, which computes it for every row (as 0017 did).
"""

import importlib

from django.db import migrations

# committee.portal.search.LEVELS must be the same numbers: 4 to 235, eight levels to a doubling.
LEVELS = tuple(sorted({round(4 * 2 ** (step / 8)) for step in range(48)}))

_search_indexes = importlib.import_module("committee.migrations.0004_search_indexes")
_coarse = importlib.import_module("committee.migrations.0017_search_levels")


def _function(levels) -> str:
    return _coarse.FUNCTION.replace(", ".join(map(str, _coarse.LEVELS)), ", ".join(map(str, levels)))


def _rebuild(schema_editor, levels) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in _search_indexes.SEARCHED:
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN "search_levels"')
    schema_editor.execute(_function(levels))
    _coarse.add_levels(schema_editor)


def finer(apps, schema_editor):
    _rebuild(schema_editor, LEVELS)


def coarser(apps, schema_editor):
    _rebuild(schema_editor, _coarse.LEVELS)


class Migration(migrations.Migration):
    dependencies = [("committee", "0017_search_levels")]

    operations = [migrations.RunPython(finer, coarser)]

"""Full-text search on PostgreSQL: each searched table gets a `search_vector` column that
PostgreSQL computes and stores whenever a row is written (GENERATED ALWAYS ... STORED), and
a GIN index on it. Ranking then reads the stored vector instead of parsing every matching
document again. The models do not declare the column (SQLite, for the demo, has no
tsvector: it searches by LIKE); committee.portal.search reads it on PostgreSQL only, and
tests/committee/test_search_index.py checks that the index serves the match."""

from django.db import migrations

SEARCHED = {
    "committee_report": (
        "title",
        "executive_summary",
        "recommendation",
        "background_and_advice",
        "consultations",
        "implications",
        "risk_management",
    ),
    "committee_agendaitem": ("title", "standing_text"),
    "committee_minute": ("text", "resolution"),
    "committee_appendix": ("title", "body", "document_text"),
}


def _expression(fields):
    return "to_tsvector('english'::regconfig, " + " || ' ' || ".join(f'COALESCE("{f}", \'\')' for f in fields) + ")"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, fields in SEARCHED.items():
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS ({_expression(fields)}) STORED'
        )
        schema_editor.execute(f'CREATE INDEX "{table}_search" ON "{table}" USING gin ("search_vector")')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCHED:
        schema_editor.execute(f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "search_vector"')


class Migration(migrations.Migration):
    dependencies = [("committee", "0003_agenda_pack")]

    operations = [migrations.RunPython(create, drop)]

"""GIN indexes for full-text search on PostgreSQL (SQLite has none: the demo searches by
LIKE). Each expression is exactly the one committee.search.SearchDocument builds for that
source, so that PostgreSQL uses the index for the @@ match; tests/committee/test_search_index.py
checks that it does."""

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
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{table}_search" ON "{table}" USING gin ({_expression(fields)})')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCHED:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{table}_search"')


class Migration(migrations.Migration):
    dependencies = [("committee", "0003_agenda_pack")]

    operations = [migrations.RunPython(create, drop)]

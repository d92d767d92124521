"""Search finds an agenda item that has a report through its report (committee.portal.search:
`only_without_report`), so it ranks only the items without one. Asked as a join ("no report
row for this item"), PostgreSQL read every item matching a common word and looked each up
in the reports before ranking the few left: on the benchmark's archive 496 items read for
"school transport", 375 thrown away, 3 of the ranking's 6 ms.

Here each agenda item gets a `has_report` column that the database itself keeps true while
a report points at the item (a trigger on the reports: a report added, moved to another
item or deleted), and a GIN index of the items' search vectors that holds only the items
without a report, so the search reads only those. A generated column cannot read another
table, hence the trigger. Like `search_vector`, the column exists on PostgreSQL only and the
model does not declare it, so no save from Django can write a stale value into it;
tests/committee/test_search_index.py holds the column to the reports.

A trigger naming a column (`UPDATE OF agenda_item_id`) stops PostgreSQL changing that
column's type: a later migration that does must drop the trigger first and make it again.
Unlike committee/db_rules.py's triggers, these need not be taken away around `migrate`: they
exist on PostgreSQL only, which alters a table in place.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION committee_agendaitem_has_report() RETURNS trigger AS $$
BEGIN
    -- The item a report left (deleted, or moved to another item) may have another report:
    -- ask, rather than assume (the one-to-one constraint says it has not, today).
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE committee_agendaitem AS item
           SET has_report = EXISTS (SELECT FROM committee_report WHERE agenda_item_id = OLD.agenda_item_id)
         WHERE item.id = OLD.agenda_item_id AND item.has_report;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE committee_agendaitem AS item SET has_report = true
         WHERE item.id = NEW.agenda_item_id AND NOT item.has_report;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""

# An item written after its report in one transaction (the foreign keys are checked at
# commit, so a fixture or an import may write them in that order) is told of it.
ITEM_FUNCTION = """
CREATE OR REPLACE FUNCTION committee_agendaitem_has_report_written() RETURNS trigger AS $$
BEGIN
    NEW.has_report := EXISTS (SELECT FROM committee_report WHERE agenda_item_id = NEW.id);
    RETURN NEW;
END
$$ LANGUAGE plpgsql
"""

TRIGGERS = {
    # A report added or deleted.
    "committee_report_item_has_report": (
        "committee_report",
        "AFTER INSERT OR DELETE ON committee_report FOR EACH ROW EXECUTE FUNCTION committee_agendaitem_has_report()",
    ),
    # A report moved to another item; only then: Django's save writes every column, and an
    # item rewritten (locked) on every save of its report would wait for, or deadlock with, an
    # officer saving the item's meeting, which locks the meeting and then writes its items.
    "committee_report_item_has_report_moved": (
        "committee_report",
        "AFTER UPDATE OF agenda_item_id ON committee_report FOR EACH ROW "
        "WHEN (OLD.agenda_item_id IS DISTINCT FROM NEW.agenda_item_id) "
        "EXECUTE FUNCTION committee_agendaitem_has_report()",
    ),
    "committee_agendaitem_has_report_written": (
        "committee_agendaitem",
        "BEFORE INSERT ON committee_agendaitem FOR EACH ROW EXECUTE FUNCTION committee_agendaitem_has_report_written()",
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # No report written between the column's filling and its triggers (the migration runs in
    # one transaction, which keeps this lock to its end): a report deleted in between would
    # leave its item hidden from search.
    schema_editor.execute('LOCK TABLE "committee_report" IN SHARE ROW EXCLUSIVE MODE')
    schema_editor.execute('ALTER TABLE "committee_agendaitem" ADD COLUMN "has_report" boolean NOT NULL DEFAULT false')
    schema_editor.execute(FUNCTION)
    schema_editor.execute(ITEM_FUNCTION)
    for name, (_table, definition) in TRIGGERS.items():
        schema_editor.execute(f'CREATE TRIGGER "{name}" {definition}')
    schema_editor.execute(
        'UPDATE "committee_agendaitem" AS item SET "has_report" = true '
        'WHERE EXISTS (SELECT FROM "committee_report" WHERE "agenda_item_id" = item."id")'
    )
    schema_editor.execute(
        'CREATE INDEX "committee_agendaitem_search_no_report" ON "committee_agendaitem" '
        'USING gin ("search_vector") WHERE NOT "has_report"'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, _definition) in TRIGGERS.items():
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
    schema_editor.execute("DROP FUNCTION IF EXISTS committee_agendaitem_has_report()")
    schema_editor.execute("DROP FUNCTION IF EXISTS committee_agendaitem_has_report_written()")
    schema_editor.execute('ALTER TABLE "committee_agendaitem" DROP COLUMN IF EXISTS "has_report"')


class Migration(migrations.Migration):
    dependencies = [("committee", "0018_finer_search_levels")]

    operations = [migrations.RunPython(create, drop)]

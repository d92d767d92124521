"""Rules the database keeps that Django's constraints cannot say.

A minute belongs to one agenda item and to one set of minutes; both lead to a meeting, and
they must lead to the same one: the minutes of 27 June 2018 cannot carry a minute of an
item on 18 April's agenda. `Minute.clean` says so to the officer; this is the same rule
kept by the database, so that no other path (a service, an import, a shell) can break it.

Why triggers. The natural rule is a composite foreign key, (agenda_item_id, meeting_id) on
the minute referencing (id, meeting_id) of the item, and (minutes_id, meeting_id)
referencing the minutes. Django cannot declare one (it would be lost from its migration
state), SQLite cannot add one to an existing table, and it needs a denormalised meeting
column on every minute. A CHECK cannot look at another table. So three row triggers keep
the rule, one per way of breaking it: a minute written with an item of another meeting,
an item moved to another meeting while it has a minute, and minutes moved to another
meeting while they have minutes of items.

Why here and not in a migration. On SQLite Django alters a table by building a copy and
dropping the original; that drops the table's triggers, and a trigger of another table
that names the dropped one makes the rename that follows fail ("error in trigger: no such
table"). So the triggers are taken away before every `migrate` (pre_migrate) and put back
after it (post_migrate), on PostgreSQL and SQLite alike (committee/apps.py): a future
migration of these tables can neither lose them nor trip over them. A test writes a
wrong minute straight to the database and expects it refused, so a database without
them fails the suite.
"""

from dataclasses import dataclass

from django.db import connections

RULE = "minute_item_of_own_meeting"
MESSAGE = "A minute can only be of an item on the agenda of the meeting these minutes are of."
TABLES = ("committee_minute", "committee_agendaitem", "committee_minutes")


@dataclass(frozen=True)
class DatabaseRule:
    """A rule the database keeps by trigger, described like a Meta constraint so that the
    walk of every constraint behind the admin's forms (tests/core) finds it too."""

    name: str
    model: str
    violation_error_message: str
    default_violation_error_message: str = ""

    def get_violation_error_message(self) -> str:
        return self.violation_error_message


RULES = [DatabaseRule(name=RULE, model="committee.Minute", violation_error_message=MESSAGE)]


def rules_of(model) -> list[DatabaseRule]:
    return [rule for rule in RULES if rule.model == model._meta.label]


_SQLITE_TRIGGERS = {
    "committee_minute_own_meeting_insert": """
        CREATE TRIGGER IF NOT EXISTS committee_minute_own_meeting_insert
        BEFORE INSERT ON committee_minute FOR EACH ROW
        WHEN (SELECT meeting_id FROM committee_agendaitem WHERE id = NEW.agenda_item_id)
             IS NOT (SELECT meeting_id FROM committee_minutes WHERE id = NEW.minutes_id)
        BEGIN SELECT RAISE(ABORT, 'minute_item_of_own_meeting'); END""",
    "committee_minute_own_meeting_update": """
        CREATE TRIGGER IF NOT EXISTS committee_minute_own_meeting_update
        BEFORE UPDATE OF agenda_item_id, minutes_id ON committee_minute FOR EACH ROW
        WHEN (SELECT meeting_id FROM committee_agendaitem WHERE id = NEW.agenda_item_id)
             IS NOT (SELECT meeting_id FROM committee_minutes WHERE id = NEW.minutes_id)
        BEGIN SELECT RAISE(ABORT, 'minute_item_of_own_meeting'); END""",
    "committee_agendaitem_minute_own_meeting": """
        CREATE TRIGGER IF NOT EXISTS committee_agendaitem_minute_own_meeting
        BEFORE UPDATE OF meeting_id ON committee_agendaitem FOR EACH ROW
        WHEN OLD.meeting_id IS NOT NEW.meeting_id AND EXISTS (
            SELECT 1 FROM committee_minute m JOIN committee_minutes s ON s.id = m.minutes_id
            WHERE m.agenda_item_id = NEW.id AND s.meeting_id IS NOT NEW.meeting_id)
        BEGIN SELECT RAISE(ABORT, 'minute_item_of_own_meeting'); END""",
    "committee_minutes_items_own_meeting": """
        CREATE TRIGGER IF NOT EXISTS committee_minutes_items_own_meeting
        BEFORE UPDATE OF meeting_id ON committee_minutes FOR EACH ROW
        WHEN OLD.meeting_id IS NOT NEW.meeting_id AND EXISTS (
            SELECT 1 FROM committee_minute m JOIN committee_agendaitem i ON i.id = m.agenda_item_id
            WHERE m.minutes_id = NEW.id AND i.meeting_id IS NOT NEW.meeting_id)
        BEGIN SELECT RAISE(ABORT, 'minute_item_of_own_meeting'); END""",
}

# One function for the three triggers; FOR SHARE holds the item and the minutes still until
# the minute is written, so that a move of either committed meanwhile cannot slip past.
_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION committee_minute_item_of_own_meeting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'committee_minute' THEN
        IF (SELECT meeting_id FROM committee_agendaitem WHERE id = NEW.agenda_item_id FOR SHARE)
           IS DISTINCT FROM (SELECT meeting_id FROM committee_minutes WHERE id = NEW.minutes_id FOR SHARE) THEN
            RAISE EXCEPTION 'minute_item_of_own_meeting: %', 'A minute can only be of an item on the agenda of the meeting these minutes are of.' USING ERRCODE = 'check_violation';
        END IF;
    ELSIF TG_TABLE_NAME = 'committee_agendaitem' THEN
        IF EXISTS (SELECT 1 FROM committee_minute m JOIN committee_minutes s ON s.id = m.minutes_id
                   WHERE m.agenda_item_id = NEW.id AND s.meeting_id IS DISTINCT FROM NEW.meeting_id) THEN
            RAISE EXCEPTION 'minute_item_of_own_meeting: %', 'A minute can only be of an item on the agenda of the meeting these minutes are of.' USING ERRCODE = 'check_violation';
        END IF;
    ELSE
        IF EXISTS (SELECT 1 FROM committee_minute m JOIN committee_agendaitem i ON i.id = m.agenda_item_id
                   WHERE m.minutes_id = NEW.id AND i.meeting_id IS DISTINCT FROM NEW.meeting_id) THEN
            RAISE EXCEPTION 'minute_item_of_own_meeting: %', 'A minute can only be of an item on the agenda of the meeting these minutes are of.' USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$$"""

_POSTGRES_TRIGGERS = {
    "committee_minute_own_meeting": (
        "committee_minute",
        "BEFORE INSERT OR UPDATE OF agenda_item_id, minutes_id ON committee_minute FOR EACH ROW",
    ),
    "committee_agendaitem_minute_own_meeting": (
        "committee_agendaitem",
        "BEFORE UPDATE OF meeting_id ON committee_agendaitem FOR EACH ROW "
        "WHEN (OLD.meeting_id IS DISTINCT FROM NEW.meeting_id)",
    ),
    "committee_minutes_items_own_meeting": (
        "committee_minutes",
        "BEFORE UPDATE OF meeting_id ON committee_minutes FOR EACH ROW "
        "WHEN (OLD.meeting_id IS DISTINCT FROM NEW.meeting_id)",
    ),
}


def _tables_exist(connection) -> bool:
    return set(TABLES) <= set(connection.introspection.table_names())


def install(using: str = "default") -> None:
    """Put the triggers in place (again); harmless when they are."""
    connection = connections[using]
    if not _tables_exist(connection):
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRES_FUNCTION)
            for name, (table, when) in _POSTGRES_TRIGGERS.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                cursor.execute(f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION committee_minute_item_of_own_meeting()")
        elif connection.vendor == "sqlite":
            for sql in _SQLITE_TRIGGERS.values():
                cursor.execute(sql)


def remove(using: str = "default") -> None:
    """Take the triggers away while migrations alter the tables (see the module)."""
    connection = connections[using]
    if not _tables_exist(connection):
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name, (table, _) in _POSTGRES_TRIGGERS.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        elif connection.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")

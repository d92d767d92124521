"""The public content generation: read by every anonymous page request, raised by every
change to a row of the apps that hold public content (`PUBLIC_APPS`).

Raised by the database itself. Every table of those apps has a trigger (installed after
every `migrate`, so a new model's table has one too; tests/pagecache checks every table),
so nothing can change public content without raising it: not a service, an admin save, a
`QuerySet.update`, `bulk_create`, the pack builder's status updates or raw SQL. No
service has to remember.

On PostgreSQL the trigger is a constraint trigger DEFERRED to the commit, and raises the
number once per transaction: the new number becomes visible at the very moment the change
does (same transaction), and the one-row lock on the counter is held only while the
transaction commits, not from its first write, so two officers' transactions cannot
deadlock over it whatever order they lock their rows in. On SQLite (`make run`) writes are
serialised anyway; a plain trigger raises it for each row written.

Over-counting is harmless: an officer's edit to a draft makes the next anonymous request
render afresh. Missing a change would serve a stale page.
"""

import datetime

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils import timezone
from django.utils.dateparse import parse_datetime

PUBLIC_APPS = ("committee", "risks", "performance", "send_actions", "decisions", "interests")

TABLE = "pagecache_publicgeneration"
TRIGGER_PREFIX = "pagecache_raise_"

_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION pagecache_raise_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Once per transaction: a transaction-local setting remembers that it was raised.
    IF current_setting('pagecache.raised', true) = 'yes' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('pagecache.raised', 'yes', true);
    -- Never a number used before, even after the row was emptied (a test database flushed
    -- while a server keeps its cache): at least the microseconds since 1970.
    UPDATE pagecache_publicgeneration
       SET number = GREATEST(number + 1, (extract(epoch from clock_timestamp()) * 1000000)::bigint),
           changed_at = clock_timestamp()
     WHERE id = 1;
    IF NOT FOUND THEN
        INSERT INTO pagecache_publicgeneration (id, number, changed_at)
        VALUES (1, (extract(epoch from clock_timestamp()) * 1000000)::bigint, clock_timestamp())
        ON CONFLICT (id) DO NOTHING;
    END IF;
    RETURN NULL;
END
$$"""

# The same on SQLite (julianday: days since 4714 BC; 2440587.5 is 1970-01-01).
_SQLITE_RAISE = (
    "INSERT OR IGNORE INTO pagecache_publicgeneration (id, number, changed_at) VALUES (1, "
    "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER), strftime('%Y-%m-%d %H:%M:%f', 'now')); "
    "UPDATE pagecache_publicgeneration SET "
    "number = max(number + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)), "
    "changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = 1;"
)


def public_tables(connection) -> list[str]:
    existing = set(connection.introspection.table_names())
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in PUBLIC_APPS and not model._meta.proxy and model._meta.managed
    }
    return sorted(tables & existing)


def _trigger(table: str, event: str = "") -> str:
    return f"{TRIGGER_PREFIX}{table}{event}"[:63]


def install(using: str = DEFAULT_DB_ALIAS) -> None:
    """Put a trigger on every public table (again; harmless when they are there)."""
    connection = connections[using]
    if TABLE not in connection.introspection.table_names():
        return
    remove(using)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRES_FUNCTION)
            for table in public_tables(connection):
                cursor.execute(
                    f'CREATE CONSTRAINT TRIGGER {_trigger(table)} AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pagecache_raise_generation()"
                )
        elif connection.vendor == "sqlite":
            for table in public_tables(connection):
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(
                        f'CREATE TRIGGER {_trigger(table, "_" + event.lower())} AFTER {event} ON "{table}" '
                        f"BEGIN {_SQLITE_RAISE} END"
                    )


def remove(using: str = DEFAULT_DB_ALIAS) -> None:
    """Take the triggers away while migrations alter the tables (as committee/db_rules.py
    does, for the same reason: SQLite rebuilds a table to alter it)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE %s",
                [TRIGGER_PREFIX + "%"],
            )
            for name, table in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [TRIGGER_PREFIX + "%"]
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def tables_with_trigger(using: str = DEFAULT_DB_ALIAS) -> set[str]:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE %s", [TRIGGER_PREFIX + "%"]
            )
        else:
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [TRIGGER_PREFIX + "%"]
            )
        return {row[0].strip('"') for row in cursor.fetchall()}


# The database's own clock, read with the generation: it stamps `changed_at`, so the moment
# a page is made is compared with the change on one clock, whatever the web server's says.
_CLOCK = {"postgresql": "clock_timestamp()", "sqlite": "strftime('%Y-%m-%d %H:%M:%f', 'now')"}


def current(using: str = DEFAULT_DB_ALIAS):
    """(number, changed_at, read_at) now, or None when the row is missing (a database just
    emptied): then nothing is cached. `read_at` is the database's time of this read: a page
    made after it holds every change committed before it. One primary-key read, without the
    ORM: it is paid by every anonymous request, cached or not. A database that cannot be read
    (down, or not yet migrated) means no cache, not an error: the page decides for itself
    whether it needs it."""
    connection = connections[using]
    clock = _CLOCK.get(connection.vendor, "CURRENT_TIMESTAMP")
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number, changed_at, {clock} FROM {TABLE} WHERE id = 1")  # noqa: S608 - constants
            row = cursor.fetchone()
    except DatabaseError:
        return None
    if row is None:
        return None
    number, changed_at, read_at = row
    return number, _aware(changed_at), _aware(read_at)


def _aware(moment):
    if isinstance(moment, str):  # SQLite through a raw cursor
        moment = parse_datetime(moment)
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment

"""The rows the migrations put in a new database, made again after a test empties it.

Code reads these rows as the council's own data (its standing items, its Word headings, the
public pages' generation). A test that commits (a transactional test, the browser suite)
empties every table after it; on a parallel run the next test in that process may be any
module's, and would find the tables empty. So the seeds run again after each such flush, by
the migrations' own functions, and the test database's set-up refuses to start if a
migration seeds a table this list does not name."""

from importlib import import_module
from types import SimpleNamespace

from django.apps import apps
from django.db import connection

# (the model the seed fills, the migration, its seeding function)
SEEDS = (
    ("committee.WordHeading", "committee.migrations.0010_report_word", "seed_headings"),
    ("committee.StandingItem", "committee.migrations.0012_standing_items", "seed_standing_items"),
    ("pagecache.PublicGeneration", "pagecache.migrations.0001_initial", "first_generation"),
)

# Filled again by the post_migrate signal a flush sends: Django's content types and
# permissions, and the council's roles with their permissions (committee/apps.py).
REMADE_AFTER_A_FLUSH = {"contenttypes.ContentType", "auth.Permission", "auth.Group"}


def filled_tables() -> set[str]:
    """The models with rows in the database now."""
    return {
        model._meta.label
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._default_manager.exists()
    } - REMADE_AFTER_A_FLUSH


def check_every_seed_is_named() -> None:
    """Called on a newly migrated database: each table a migration filled is in SEEDS."""
    unnamed = filled_tables() - {label for label, _, _ in SEEDS}
    if unnamed:
        raise RuntimeError(
            f"Migrations fill {sorted(unnamed)}, which tests/seeded.py does not make again after "
            "a test empties the database: add their seeding functions to SEEDS."
        )


def restore() -> None:
    """Run again each seed whose table is empty."""
    editor = SimpleNamespace(connection=connection)
    for label, migration, function in SEEDS:
        if not apps.get_model(label)._default_manager.exists():
            getattr(import_module(migration), function)(apps, editor)

"""The public content generation: read by every anonymous page request, raised by every
change to something a public page, feed, search result or the API may show.

Raising it is automatic for every row saved or deleted through the ORM in the apps that hold
public content (`PUBLIC_APPS`: signals below), and explicit (`public_content_changed()`) in
the services that change rows without signals (`QuerySet.update`, `bulk_create`,
`bulk_update`, raw SQL). tests/pagecache/test_generation.py fails when a service in those
apps does so and does not call it.
"""

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

# The apps whose rows reach public pages. Over-counting is harmless (an officer's draft edit
# makes the next anonymous request render afresh); missing one would serve a stale page.
PUBLIC_APPS = ("committee", "risks", "performance", "send_actions")

TABLE = "pagecache_publicgeneration"


def current(using: str = DEFAULT_DB_ALIAS):
    """(number, changed_at) now, or None when the row is missing (a database just emptied):
    then nothing is cached. One primary-key read, without the ORM: it is paid by every
    anonymous request, cached or not."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT number, changed_at FROM {TABLE} WHERE id = 1")  # noqa: S608 - a constant
        row = cursor.fetchone()
    if row is None:
        return None
    number, changed_at = row
    if isinstance(changed_at, str):  # SQLite through a raw cursor
        from django.utils.dateparse import parse_datetime

        changed_at = parse_datetime(changed_at)
    if changed_at is not None and timezone.is_naive(changed_at):
        changed_at = timezone.make_aware(changed_at, timezone.UTC)
    return number, changed_at


def _raised_in_this_transaction() -> None:
    """A marker among the transaction's on-commit hooks: present while the transaction that
    raised the number is open, gone once it commits or rolls back (a savepoint rolled back
    takes its marker with it, as it takes the raise)."""


def public_content_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Raise the generation, in the caller's transaction: the new number becomes visible to
    readers at the same moment as the change. Once per transaction is enough."""
    connection = connections[using]
    # Django keeps (savepoint ids, callable, robust) for each on_commit hook.
    if connection.in_atomic_block and any(hook[1] is _raised_in_this_transaction for hook in connection.run_on_commit):
        return
    _raise(connection)
    if connection.in_atomic_block:
        transaction.on_commit(_raised_in_this_transaction, using=using)


def _raise(connection) -> None:
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET number = number + 1, changed_at = %s WHERE id = 1", [now])  # noqa: S608
        if cursor.rowcount == 0:  # the row was emptied (a test database flushed): put it back
            cursor.execute(f"INSERT INTO {TABLE} (id, number, changed_at) VALUES (1, 1, %s)", [now])  # noqa: S608


def _on_change(sender, using=DEFAULT_DB_ALIAS, raw=False, **kwargs):
    if raw:  # loaddata: fixtures, not officers
        return
    public_content_changed(using=using)


def watch_public_models() -> None:
    """Every save and delete of a row of the public apps raises the generation."""
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in PUBLIC_APPS:
            post_save.connect(_on_change, sender=model, dispatch_uid=f"pagecache-save-{model._meta.label}")
            post_delete.connect(_on_change, sender=model, dispatch_uid=f"pagecache-delete-{model._meta.label}")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    _on_change, sender=field.remote_field.through, dispatch_uid=f"pagecache-m2m-{field.remote_field.through._meta.label}"
                )

"""Data made once for a whole module of tests, and undone after its last test."""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def kept_for_the_module(django_db_blocker):
    """A transaction for a module-scoped fixture to fill, rolled back after the module's last
    test. Filling costs seconds; each test runs in a savepoint inside this transaction
    (pytest-django's own), so what one test changes is undone before the next, as if each
    had filled the database itself."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)

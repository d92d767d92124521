"""Who changed a record, and why, in its django-simple-history history.

On a web request simple_history's middleware names the signed-in person; a service called
from a worker, a command or an import has no request, so every service that takes `by`
names the person this way (one helper, so that no service forgets the reason)."""

from typing import Any, Protocol

from django.core.exceptions import ObjectDoesNotExist
from django.utils.text import capfirst


def recorded_by(instance, by: "Person | None" = None, *, reason: str = ""):
    """Mark `instance` so that its next history row records `by` and `reason`; returns it."""
    if by is not None:
        instance._history_user = by
    if reason:
        instance._change_reason = reason
    return instance


class Person(Protocol):
    """Whoever acts: a signed-in user (services take them as `by`)."""

    pk: Any


def record_name(obj) -> str:
    """What a record is called on its history pages. Most records name themselves by what they
    belong to (a figure by its measure, a minute by its meeting), which may have been deleted
    since an old version was saved, or with the record itself: then by their kind and number."""
    try:
        return str(obj)
    except ObjectDoesNotExist:
        return f"{capfirst(obj._meta.verbose_name)} {obj.pk} (what it belonged to has been deleted)"


class NamedRecord:
    """A record as its history pages print it: its name (record_name) and its key."""

    def __init__(self, obj):
        self.pk = obj.pk
        self.name = record_name(obj)

    def __str__(self):
        return self.name

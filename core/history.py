"""Who changed a record, and why, in its django-simple-history history.

On a web request simple_history's middleware names the signed-in person; a service called
from a worker, a command or an import has no request, so every service that takes `by`
names the person this way (one helper, so that no service forgets the reason)."""

from typing import Any, Protocol


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

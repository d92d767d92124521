"""What a client that keeps a copy of the public API learns when it syncs.

`modified_since` finds a record whose own row changed (`updated_at`). It cannot find a record
that left the API without its row changing (a report whose agenda item was made Part II, a
record deleted), nor one that appeared or came back (an agenda published: its items' rows are
as they were), nor one whose nested content changed (an appendix of a report made exempt).
So the API keeps, for each record it lists, when it last appeared, when its nested content
last changed and when it left (`ApiListing`), and brings them up to date whenever a client
asks for changes and public content has changed since the last time (the public content
generation, pagecache/generation.py, which the database raises on every change). A time is
when the change was noticed, at or after it happened; a client that asks "since" the time
of its last sync is told of every change after its copy was made.

Which records an endpoint lists is its own `get_queryset()`, the gate's public view: the same
selector the list reads. Nested content: an endpoint's `listing_parts()`, if it has one.
"""

import hashlib

from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from core.models import ApiListing, ApiListingSweep
from pagecache import generation


def listed_endpoints() -> list[tuple[str, type]]:
    """(prefix, viewset) of every endpoint whose list takes `modified_since`."""
    return [(prefix, viewset) for prefix, viewset, _basename in _listed()]


def endpoints_by_model() -> dict[str, tuple[str, str]]:
    """Each listed model's label: its endpoint's prefix and the basename of its addresses."""
    return {label(viewset.serializer_class.Meta.model): (prefix, basename) for prefix, viewset, basename in _listed()}


def _listed() -> list[tuple[str, type, str]]:
    from config.urls import router

    return [
        (prefix, viewset, basename)
        for prefix, viewset, basename in router.registry
        if "modified_since" in getattr(getattr(viewset, "filterset_class", None), "base_filters", {})
    ]


def label(model: type[Model]) -> str:
    return model._meta.label


def sweep() -> None:
    """Bring the listings up to what the API lists now, unless nothing public has changed
    since they were. Sweeps wait for each other (a lock on the one state row)."""
    now_generation = generation.current()
    swept = ApiListingSweep.objects.filter(pk=1).values_list("generation", flat=True).first()
    if now_generation is not None and swept == now_generation[0]:
        return  # nothing public has changed: no lock, no transaction (every sync asks this)
    ApiListingSweep.objects.get_or_create(pk=1)  # (Django's own retry: another may make it first)
    with transaction.atomic():
        state = ApiListingSweep.objects.select_for_update().get(pk=1)
        if now_generation is not None and state.generation == now_generation[0]:
            return
        now = timezone.now()
        for _prefix, viewset in listed_endpoints():
            _sweep_endpoint(viewset(), now, first=state.swept_at is None)
        state.generation = now_generation[0] if now_generation else None
        state.swept_at = now
        state.save()


def _sweep_endpoint(view, now, *, first: bool) -> None:
    listed = view.get_queryset().prefetch_related(None).order_by()
    model = label(listed.model)
    current = {str(key): pk for pk, key in listed.values_list("pk", view.lookup_field)}
    parts = view.listing_parts(listed) if hasattr(view, "listing_parts") else {}
    # What was listed, as plain values: model instances for every row cost more than the sweep.
    fields = ("pk", "key", "record_pk", "fingerprint", "listed_at", "changed_at", "withdrawn_at")
    known = {row[1]: row for row in ApiListing.objects.filter(model=model).values_list(*fields)}
    made, changed = [], []

    def update(row, **values):
        changed.append(ApiListing(model=model, **(dict(zip(fields, row, strict=True)) | values)))

    for key, pk in current.items():
        fingerprint = _digest(parts.get(pk))
        row = known.get(key)
        if row is None:
            # The first sweep cannot know when a record appeared: "before tracking".
            made.append(ApiListing(model=model, key=key, record_pk=pk, fingerprint=fingerprint,
                                   listed_at=None if first else now))  # fmt: skip
        elif row[-1] is not None or row[2] != pk:  # withdrawn, or another row under its key
            update(row, withdrawn_at=None, listed_at=now, record_pk=pk, fingerprint=fingerprint)
        elif row[3] != fingerprint:
            update(row, fingerprint=fingerprint, changed_at=now)
    for key, row in known.items():
        if key not in current and row[-1] is None:  # listed until now
            update(row, withdrawn_at=now)
    ApiListing.objects.bulk_create(made, batch_size=1000)
    ApiListing.objects.bulk_update(
        changed, ["record_pk", "fingerprint", "listed_at", "changed_at", "withdrawn_at"], batch_size=1000
    )


def _digest(parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest() if parts else ""


def moved_since(model: type[Model], since) -> QuerySet:
    """The rows of `model` the API lists that appeared, came back or had their nested content
    changed after `since` (as record_pk values, for `pk__in`)."""
    return ApiListing.objects.filter(
        Q(listed_at__gt=since) | Q(changed_at__gt=since), model=label(model), withdrawn_at=None
    ).values("record_pk")


def withdrawn() -> QuerySet:
    return ApiListing.objects.filter(withdrawn_at__isnull=False).order_by("withdrawn_at", "pk")

"""Shared Celery tasks."""

from celery import shared_task


@shared_task(name="core.tasks.sweep_api_listings")
def sweep_api_listings() -> None:
    """Keep the API's listings (core/api_listings.py) current between clients' syncs, so that
    a record made Part II and back again in between is still told of, and a sync pays for
    nothing but what changed since this ran (nothing, when no public content has changed)."""
    from core import api_listings

    api_listings.sweep()

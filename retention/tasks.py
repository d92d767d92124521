"""Celery beat's daily retention review (settings.CELERY_BEAT_SCHEDULE): says in the log how
many meetings' papers are past their retention period and wait for an officer. It removes
nothing: removal is an officer's decision (admin › Retention › Review)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="retention.tasks.review_retention")
def review_retention() -> int:
    from . import selectors

    due = selectors.due_for_review()
    if due:
        logger.info(
            "%d set(s) of papers are past their retention period and wait for an officer's review", len(due),
            extra={"retention_due": len(due)},
        )  # fmt: skip
    return len(due)

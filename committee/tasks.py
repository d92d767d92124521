"""Celery beat's nightly clearing of stored files nothing uses (settings.CELERY_BEAT_SCHEDULE);
manage.py prune_appendix_files does the same by hand or from cron. The agenda pack's tasks
are in committee/pack/tasks.py."""

import logging
from datetime import timedelta

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="committee.tasks.prune_appendix_files")
def prune_appendix_files() -> int:
    """Delete appendix files no appendix has used for a day (the command's default), and files
    kept for a form that came back with a message and was never saved, once their token has
    lapsed (core.held_uploads)."""
    from committee.services import appendix_files_prune
    from core import held_uploads

    removed = appendix_files_prune(older_than=timedelta(days=1))
    kept = held_uploads.prune()
    logger.info("Deleted %d unused appendix file(s) and %d file(s) kept for a form never saved", removed, kept)
    return removed + kept

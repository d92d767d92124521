"""The agenda pack's Celery task: thin. It takes an id, calls the service, and retries what may pass.

The service module imports this one (to enqueue); this module imports the service only
inside the task, so there is no import cycle and the web process, which only enqueues,
never loads WeasyPrint or pikepdf (they load in the worker, with the builder)."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_init, worker_ready
from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

# Storage and database hiccups pass; a problem with the papers does not (the service marks
# the build failed with a message for the officer and returns).
TRANSIENT = (OSError, DatabaseError)


@shared_task(
    # The name it has always had, so that builds already queued still find it.
    name="committee.tasks.build_agenda_pack",
    bind=True,
    acks_late=True,  # a killed worker's build goes back to the queue
    reject_on_worker_lost=True,
    max_retries=6,
)
def build_agenda_pack(self, pack_id: int) -> None:
    from committee.pack import services

    try:
        services.pack_build(pack_id=pack_id)
    except services.PackBusy as exc:
        raise self.retry(countdown=exc.retry_in, max_retries=None) from exc
    except SoftTimeLimitExceeded:
        services.pack_fail(
            pack_id=pack_id,
            message="Building the pack took longer than the time allowed. Check for very long appendices "
            "(split them, or upload them as PDFs) and build it again.",
        )
    except TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            services.pack_fail(
                pack_id=pack_id,
                message=f"The pack could not be built after {self.max_retries + 1} attempts "
                f"({exc.__class__.__name__}: {exc}). Build it again; if it fails again, tell the system administrator.",
            )
            raise
        countdown = min(300, 5 * 2**self.request.retries)
        services.pack_release(
            pack_id=pack_id, note=f"Retrying after a temporary problem: {exc.__class__.__name__}", retry_in=countdown
        )
        raise self.retry(exc=exc, countdown=countdown) from exc
    except Exception as exc:
        services.pack_fail(
            pack_id=pack_id,
            message=f"The pack could not be built because of an unexpected error ({exc.__class__.__name__}). "
            "Build it again; if it fails again, tell the system administrator.",
        )
        raise


@shared_task(
    name="committee.pack.tasks.prerender_papers",
    # Nothing is lost if a pre-render never runs: the builds render what the cache lacks.
    # So no late acknowledgement and no retries: a killed worker's pre-render is not repeated.
    acks_late=False,
)
def prerender_papers(meeting_id: int, seen: list[str] | None = None) -> None:
    """Render an unpublished meeting's papers into the part cache, debounced: a first look
    notes each paper's content hash and sends this task again after the debounce with them;
    the second renders the papers that did not change in between (the services)."""
    from committee.pack import services

    if seen is None:
        seen = services.papers_prerender_look(meeting_id=meeting_id)
        if seen is not None:
            prerender_papers.apply_async((meeting_id, seen), countdown=services.prerender_debounce_seconds())
        return
    services.papers_prerender(meeting_id=meeting_id, seen=seen)


@shared_task(name="committee.tasks.resume_interrupted_builds")
def resume_interrupted_builds() -> int:
    """The sweep, run by Celery beat (settings.CELERY_BEAT_SCHEDULE): sends the builds that
    the message queue never got (it was down when they were asked for) and those whose
    worker died (their lease lapsed)."""
    from committee.pack import services

    count = services.packs_resume_interrupted()
    if count:
        logger.info("Sent %d unsent or interrupted agenda pack build(s)", count)
    return count


@shared_task(name="committee.tasks.prune_pack_cache")
def prune_pack_cache() -> int:
    """Daily, by Celery beat: remove rendered papers not written for QUORUM_PACK_CACHE_DAYS
    (manage.py prune_pack_cache does the same by hand). Served packs are never touched."""
    from datetime import timedelta

    from committee.pack.render import cache_prune

    removed = cache_prune(older_than=timedelta(days=settings.QUORUM_PACK_CACHE_DAYS))
    logger.info("Removed %d cached part(s) of agenda packs", removed)
    return removed


@worker_ready.connect
def resume_builds_on_start(**kwargs) -> None:
    """A worker that starts sends again the builds a dead worker or a lost message left,
    and every queued one (the demo's filesystem broker loses a killed worker's message)."""
    from committee.pack import services

    try:
        count = services.packs_resume_interrupted(all_queued=True)
        if count:
            logger.info("Sent %d interrupted agenda pack build(s) again", count)
    except DatabaseError:
        logger.exception("Could not look for interrupted agenda pack builds")
    finally:
        # This runs in the worker's main process; the pool's children must not share its
        # database connection.
        connections.close_all()


@worker_init.connect
def warm_up_pack_renderer(**kwargs) -> None:
    """The worker loads the fonts and compiles the papers' templates once, as it starts, in
    its main process: every pool process forked from it (recycled ones too) starts warm,
    rather than paying for it in its first build. Not in worker_process_init, which Celery
    gives a few seconds before it replaces the process."""
    from committee.pack import builder

    builder.warm_up()

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
    soft_time_limit=getattr(settings, "QUORUM_PACK_SOFT_TIME_LIMIT", settings.CELERY_TASK_SOFT_TIME_LIMIT),
    time_limit=getattr(settings, "QUORUM_PACK_TIME_LIMIT", settings.CELERY_TASK_TIME_LIMIT),
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
        services.pack_release(pack_id=pack_id, note=f"Retrying after a temporary problem: {exc.__class__.__name__}")
        raise self.retry(exc=exc, countdown=min(300, 5 * 2**self.request.retries)) from exc
    except Exception as exc:
        services.pack_fail(
            pack_id=pack_id,
            message=f"The pack could not be built because of an unexpected error ({exc.__class__.__name__}). "
            "Build it again; if it fails again, tell the system administrator.",
        )
        raise


@worker_ready.connect
def resume_interrupted_builds(**kwargs) -> None:
    """A worker that starts sends again the builds a dead worker or a lost message left."""
    from committee.pack import services

    try:
        count = services.packs_resume_interrupted()
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

"""The Celery app for the Sentry test: Quorum's own, with one task that fails, on a queue of
the test's own (QUORUM_TEST_QUEUE) so that no other worker takes it."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from celery import shared_task  # noqa: E402

from config.celery import app  # noqa: E402

app.conf.task_default_queue = os.environ.get("QUORUM_TEST_QUEUE", "celery")


@shared_task(name="tests.operations.boom")
def boom() -> None:
    raise RuntimeError("sentry-probe: the task failed")


__all__ = ["app"]

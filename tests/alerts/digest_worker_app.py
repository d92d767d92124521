"""The Celery app for the digest worker test: Quorum's own, on a queue of the test's own and
the test's SMTP server on loopback. Once in the test (QUORUM_TEST_DIE_MARK is made then), its
worker process dies with SIGKILL as it starts sending digest number QUORUM_TEST_DIE_AT: as a
machine is lost, the digest's changes claimed and nothing sent for them."""

import os
import signal
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.mail.backends.smtp import EmailBackend  # noqa: E402

from config.celery import app  # noqa: E402

app.conf.task_default_queue = os.environ["QUORUM_TEST_QUEUE"]
settings.EMAIL_BACKEND = "tests.alerts.digest_worker_app.DyingSmtpBackend"
settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", int(os.environ["QUORUM_TEST_SMTP_PORT"])
settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
settings.QUORUM_ALERTS_PER_SECOND = 0

DIE_AT, DIED = int(os.environ["QUORUM_TEST_DIE_AT"]), Path(os.environ["QUORUM_TEST_DIE_MARK"])


class DyingSmtpBackend(EmailBackend):
    started = 0

    def send_messages(self, email_messages):
        DyingSmtpBackend.started += len(email_messages)
        if DyingSmtpBackend.started >= DIE_AT and not DIED.exists():
            DIED.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return super().send_messages(email_messages)


__all__ = ["app"]

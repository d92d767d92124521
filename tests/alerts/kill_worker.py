"""Run as a separate process by test_at_most_once: sends alerts as a worker does, and kills
itself with SIGKILL (no clean-up, no exception handlers) after `--die-after` messages have been
recorded sent, leaving the rest of its claimed batch behind."""

import os
import signal
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402

from alerts import services  # noqa: E402

port, die_after = int(sys.argv[1]), int(sys.argv[2])
settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
settings.QUORUM_ALERTS_PER_SECOND = 0
sent = 0


def on_sent(delivery):
    global sent
    sent += 1
    if sent == die_after:
        os.kill(os.getpid(), signal.SIGKILL)


services.deliveries_send(batch_size=int(sys.argv[3]), on_sent=on_sent)

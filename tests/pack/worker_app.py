"""The Celery app for the worker tests: Quorum's own, with short timeouts so that a killed
worker's build is taken over in seconds rather than minutes."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402

from config.celery import app  # noqa: E402

settings.QUORUM_PACK_LEASE_SECONDS = int(os.environ.get("QUORUM_PACK_LEASE_SECONDS", "3"))
# A queue of the test's own, so that no other worker on the broker takes its builds.
app.conf.task_default_queue = os.environ.get("QUORUM_TEST_QUEUE", "celery")
if app.conf.broker_url.startswith("redis"):
    # Redis hands an unacknowledged message (a killed worker's) back after this long.
    app.conf.broker_transport_options = {"visibility_timeout": 8}
elif os.environ.get("QUORUM_TEST_BROKER_DIR"):
    # Kombu's filesystem broker lives in the working folder: hosts with working folders of
    # their own share the test's broker folder, as hosts share a broker.
    shared = os.environ["QUORUM_TEST_BROKER_DIR"]
    app.conf.broker_transport_options = {
        **app.conf.broker_transport_options,
        "data_folder_in": f"{shared}/queue",
        "data_folder_out": f"{shared}/queue",
        "control_folder": f"{shared}/control",
    }

__all__ = ["app"]

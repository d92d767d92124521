from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """What an IT team runs Quorum with: health checks, request ids in JSON logs, metrics,
    error reports, backups (docs/operations.md). No models."""

    name = "operations"
    verbose_name = "Operations"

    def ready(self):
        # Celery's publish and run signals carry the request id into the task (operations.requestid).
        # The deployment checklist's checks of Quorum's own settings (manage.py check --deploy).
        from . import (
            checks,  # noqa: F401
            requestid,  # noqa: F401
        )

from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Alerts and webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import outbox as core_outbox

        from . import outbox

        # The domain apps tell core.outbox what changed; the alerts' outbox row is written
        # here, in their transaction (core/outbox.py says why the direction is this way).
        core_outbox.register(outbox.record)

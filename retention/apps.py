from django.apps import AppConfig


class RetentionConfig(AppConfig):
    """Papers past their retention period (domain rules 10): listed for officers to review,
    removed only on an officer's confirmation, each removal recorded (docs/operations.md)."""

    name = "retention"
    verbose_name = "Retention"

from django.conf import settings
from django.db import models
from django.db.models import Q


class RetentionRemoval(models.Model):
    """The record an officer's removal leaves: what was removed, when, by whom and why. It
    outlives what it describes (the meeting is named in words as well as linked)."""

    class Kind(models.TextChoices):
        REPORTS = "reports", "Reports and their appendices (six years after the meeting)"
        BACKGROUND_PAPERS = "background_papers", "Lists of background papers (four years after the meeting)"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    meeting = models.ForeignKey(
        "committee.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="retention_removals"
    )
    meeting_name = models.CharField(max_length=300, help_text="The meeting, as it was named when its papers went.")
    retention_ended_on = models.DateField(help_text="The day the retention period ended.")
    removed = models.TextField(
        help_text="What was removed: the papers by title, the files, the pack versions withdrawn."
    )
    removed_at = models.DateTimeField(auto_now_add=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(help_text="Why, in the officer's words.")

    class Meta:
        ordering = ["-removed_at"]
        verbose_name = "removal at the end of retention"
        verbose_name_plural = "removals at the end of retention"
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="retentionremoval_has_reason",
                violation_error_message="Say why the papers are removed.",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display().split(' (')[0]} of {self.meeting_name}"

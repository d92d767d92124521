"""What the ModernGov import keeps: every imported record's ModernGov id, and each run.

The ids make the import idempotent (a record already imported is found by its id and
updated only when ModernGov's answer for it changed) and keep ModernGov's old page
addresses working (moderngov/old_links.py).
"""

from django.db import models


class Kind(models.TextChoices):
    COMMITTEE = "committee", "Committee"
    WARD = "ward", "Ward or electoral division"
    MEMBER = "member", "Councillor"
    MEETING = "meeting", "Meeting"
    AGENDA_ITEM = "agenda_item", "Agenda item"
    DOCUMENT = "document", "Document"


class ImportRun(models.Model):
    """One run of `manage.py import_moderngov`. A run that did not finish is resumed by the
    next run from the same source: the meetings it already imported are not asked for again."""

    source = models.CharField(max_length=500, help_text="The ModernGov site's address or the folder read.")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True, help_text="Imported, updated and skipped, by kind.")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        state = "finished" if self.finished_at else "not finished"
        return f"Import from {self.source} ({state})"


class ModernGovId(models.Model):
    """A Quorum record imported from ModernGov, by its ModernGov id."""

    kind = models.CharField(max_length=12, choices=Kind.choices)
    moderngov_id = models.BigIntegerField(help_text="The id in ModernGov's web service and page addresses.")
    object_id = models.PositiveBigIntegerField(help_text="The Quorum record's id.")
    fingerprint = models.CharField(
        max_length=64, help_text="A hash of what ModernGov said about it: unchanged means nothing to update."
    )
    original = models.JSONField(
        default=dict, blank=True, help_text='ModernGov\'s own words where Quorum maps them: {"status": "…"}.'
    )
    last_run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "moderngov_id"]
        verbose_name = "ModernGov id"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "moderngov_id"],
                name="moderngovid_unique",
                violation_error_message="This ModernGov id is already imported.",
            ),
        ]
        indexes = [models.Index(fields=["kind", "object_id"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.moderngov_id}"

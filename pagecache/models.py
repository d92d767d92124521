from django.db import models


class PublicGeneration(models.Model):
    """One row: a number that rises whenever something a public page shows may have changed.
    Every cached page is kept under the number it was made at, so a change makes every page
    new at once, in every web process. It is raised in the transaction that makes the change
    (pagecache.generation.public_content_changed), so a reader never sees the new number
    without the new content."""

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "public content generation"

    def __str__(self):
        return f"{self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"

"""What the API's clients are told of records that left it (core/api_listings.py)."""

from django.db import models


class ApiListing(models.Model):
    """One record as the public API last listed it: when it (re)appeared, when its nested
    content last changed, when it left. A client that syncs with `modified_since` learns of
    the first two through the lists and of the last through /api/withdrawals/."""

    model = models.CharField(max_length=100, help_text="The listed model's label, e.g. committee.Report.")
    key = models.CharField(max_length=255, help_text="What the API's address of the record holds: its id or slug.")
    record_pk = models.BigIntegerField(help_text="The row listed under the key now (a new version has a new row).")
    fingerprint = models.CharField(max_length=64, blank=True, help_text="A digest of the record's nested content.")
    listed_at = models.DateTimeField(null=True, blank=True, help_text="When it last appeared; blank: before tracking.")
    changed_at = models.DateTimeField(null=True, blank=True, help_text="When its nested content last changed.")
    withdrawn_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="When it left the API.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "key"], name="core_apilisting_one_per_key")]
        indexes = [models.Index(fields=["model", "listed_at"]), models.Index(fields=["model", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.model} {self.key}"


class ApiListingSweep(models.Model):
    """The public content generation the listings were last brought up to (one row)."""

    generation = models.BigIntegerField(null=True, blank=True)
    swept_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"API listings swept at {self.swept_at}"

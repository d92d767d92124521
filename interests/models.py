"""Members' interests (Localism Act 2011 ss.29-34; SI 2012/1464): the register, its
published versions, declarations at meetings and dispensations. docs/interests.md."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from committee.models import AgendaItem, Meeting, Member
from core.dates import days_after, typed_days_problems, years_after

# s.30(1) and s.30(3): within 28 days of taking office, or of becoming aware of a new interest
# or a change to one.
NOTIFY_WITHIN_DAYS = 28

# What the published register says in place of a sensitive interest's details (s.32(2)).
WITHHELD_WORDING = "The member has an interest whose details are withheld under section 32(2) of the Localism Act 2011."


class Category(models.TextChoices):
    # The seven categories of disclosable pecuniary interests: the Schedule to SI 2012/1464.
    EMPLOYMENT = "employment", "Employment, office, trade, profession or vocation"
    SPONSORSHIP = "sponsorship", "Sponsorship"
    CONTRACTS = "contracts", "Contracts"
    LAND = "land", "Land"
    LICENCES = "licences", "Licences"
    CORPORATE_TENANCIES = "corporate_tenancies", "Corporate tenancies"
    SECURITIES = "securities", "Securities"
    # The council's own code of conduct (s.28(2)).
    OTHER_REGISTRABLE = "other_registrable", "Other registrable interest (the council's code)"
    GIFT = "gift", "Gift or hospitality"

    @classmethod
    def pecuniary(cls) -> list[str]:
        return [c.value for c in cls][:7]


class Whose(models.TextChoices):
    # s.30(3): the member's own, or their spouse's or civil partner's or a person they live
    # with as such. Kept for officers; the published register does not say whose (the
    # register's entries come from register_entries, which leaves this out).
    MEMBER = "member", "The member's"
    PARTNER = "partner", "The member's spouse's or partner's"


class Interest(models.Model):
    """One entry of a member's register as officers keep it now. What the public read is the
    latest published RegisterVersion, never these rows."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="interests")
    category = models.CharField(max_length=24, choices=Category.choices)
    whose = models.CharField(max_length=8, choices=Whose.choices, default=Whose.MEMBER)
    description = models.TextField(
        help_text='As the register prints it: "Director, Ribble Valley Holdings Ltd", "Land at 3 Mill Lane, Preston".'
    )
    is_sensitive = models.BooleanField(
        default=False,
        verbose_name="Sensitive (s.32)",
        help_text="The monitoring officer agrees that its disclosure could lead to the member, or someone "
        "connected with them, being subject to violence or intimidation: the published register says only "
        "that the member has an interest whose details are withheld.",
    )
    sensitive_reason = models.TextField(
        blank=True, help_text="Why the monitoring officer agreed the interest is sensitive (for officers only)."
    )
    value = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, help_text="Gifts and hospitality: estimated value (£)."
    )
    arose_on = models.DateField(
        help_text="When the member took office or the interest arose or changed: the 28 days to notify run from here."
    )
    notified_on = models.DateField(null=True, blank=True, help_text="When the member notified the monitoring officer.")
    ended_on = models.DateField(null=True, blank=True, help_text="When the interest ended (it leaves the register).")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["member", "category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_sensitive=False) | ~Q(sensitive_reason=""),
                name="interest_sensitive_has_reason",
                violation_error_message="Say why the monitoring officer agreed that this interest is sensitive.",
            ),
            models.CheckConstraint(
                condition=~Q(category="gift") | Q(value__isnull=False),
                name="interest_gift_has_value",
                violation_error_message="Give the estimated value of the gift or hospitality.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("arose_on")),
                name="interest_ends_after_it_arose",
                violation_error_message="An interest cannot end before it arose.",
            ),
            models.CheckConstraint(
                condition=Q(notified_on__isnull=True) | Q(notified_on__gte=models.F("arose_on")),
                name="interest_notified_after_it_arose",
                violation_error_message="The member cannot have notified it before it arose.",
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_category_display()}"

    def clean(self):
        super().clean()
        threshold = settings.QUORUM_GIFTS_THRESHOLD
        errors = {}
        if self.category == Category.GIFT and self.value is not None and self.value <= threshold:
            errors["value"] = f"Gifts and hospitality are registered above £{threshold:,}: this one need not be."
        # The notification ends the 28 days of s.30(1): a day to come would stand in for one
        # not made, and the interest would never show as late.
        errors |= typed_days_problems(self, {"notified_on": {}})
        if errors:
            raise ValidationError(errors)

    @property
    def notify_by(self):
        """s.30(1): the last day for the member to notify the monitoring officer."""
        return days_after(self.arose_on, NOTIFY_WITHIN_DAYS)

    @property
    def is_late(self) -> bool:
        """Notified after the 28 days, or still not notified once they have passed."""
        if self.notified_on is not None:
            return self.notified_on > self.notify_by
        return timezone.localdate() > self.notify_by


class RegisterVersion(models.Model):
    """A published version of one member's register. Publishing a change makes a new
    version; a version, once published, is never changed (the public can read each one).

    `entries` is what the public reads and never holds a sensitive interest's details;
    `withheld` holds those details, and `sources` the interests the entries come from, for
    officers only (committee.gate.REGISTER_PUBLIC_FIELDS leaves them out)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="register_versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # [{"category": "land", "category_display": "Land", "description": "...", "withheld": false}]
    entries = models.JSONField(default=list, editable=False)
    # [{"category": ..., "description": ...}] of the sensitive entries: officers only.
    withheld = models.JSONField(default=list, editable=False)
    # The id of the interest each entry was published from, in the entries' order: officers
    # only (not a public column), so that an interest made sensitive later is withheld from
    # its own entries and no other's (services.interest_withhold_published). Empty in the
    # versions published before it was kept.
    sources = models.JSONField(default=list, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["member", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "number"],
                name="registerversion_unique_number",
                violation_error_message="This member's register already has a version with this number.",
            ),
        ]

    def __str__(self):
        return f"Register of interests of {self.member}, version {self.number}"

    def get_absolute_url(self):
        return reverse("interests:register-version", args=[self.member.slug, self.number])


class Dispensation(models.Model):
    """s.33: a dispensation lets a member take part in business in which they have a
    disclosable pecuniary interest, for a term of at most four years (s.33(3))."""

    class Ground(models.TextChoices):
        # s.33(2)(a)-(e)
        QUORUM = "a", "(a) so many members would be prevented that the business could not be transacted"
        POLITICAL_BALANCE = "b", "(b) the political balance would be upset so as to alter the outcome"
        INTERESTS_OF_AREA = "c", "(c) it is in the interests of people living in the area"
        EXECUTIVE = "d", "(d) every member of the executive would otherwise be prevented"
        APPROPRIATE = "e", "(e) it is otherwise appropriate"

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dispensations")
    for_what = models.TextField(help_text="The business it covers: what the member may take part in, and how.")
    ground = models.CharField(max_length=1, choices=Ground.choices)
    granted_by = models.CharField(max_length=200, help_text='"Standards Committee", "Monitoring Officer".')
    granted_on = models.DateField()
    valid_from = models.DateField()
    valid_to = models.DateField()
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["member", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")),
                name="dispensation_ends_after_it_starts",
                violation_error_message="A dispensation cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.for_what[:60]} ({self.valid_from:%-d %B %Y} to {self.valid_to:%-d %B %Y})"

    def clean(self):
        super().clean()
        # Granted once it is (not on a day to come), and it relieves the member from then on
        # (s.33), never for a meeting held before it was granted.
        from_granted = {"not_before": self.granted_on, "because": "the day it was granted", "later": True}
        errors = typed_days_problems(
            self, {"granted_on": {}, **({"valid_from": from_granted} if self.granted_on else {})}
        )
        if errors:
            raise ValidationError(errors)
        if self.valid_from and self.valid_to and self.valid_to > years_after(self.valid_from, 4):
            raise ValidationError({"valid_to": "A dispensation lasts at most four years (s.33(3))."})

    def covers(self, day) -> bool:
        return self.valid_from <= day <= self.valid_to


class Declaration(models.Model):
    """An interest a member declared in an agenda item at the meeting (s.31; the council's code)."""

    class Kind(models.TextChoices):
        PECUNIARY = "pecuniary", "Disclosable pecuniary interest"
        OTHER_REGISTRABLE = "other_registrable", "Other registrable interest"
        NON_REGISTRABLE = "non_registrable", "Non-registrable interest"

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="declarations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    nature = models.TextField(
        blank=True, help_text='As the minutes print it: "Her husband is employed by BT Lancashire Services."'
    )
    is_sensitive = models.BooleanField(
        default=False,
        verbose_name="Sensitive (s.32)",
        help_text="A sensitive interest: the member declared that they have an interest, not its nature (s.31(3)); "
        "the nature is not recorded.",
    )
    left_room = models.BooleanField(default=False, verbose_name="Left the room for the item")
    dispensation = models.ForeignKey(
        Dispensation, null=True, blank=True, on_delete=models.PROTECT, related_name="declarations",
        help_text="The dispensation under which the member took part, if any.",
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agenda_item__order", "member__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "member", "kind"],
                name="declaration_unique_per_item_member_kind",
                violation_error_message="This member's declaration of this kind on this item is already recorded.",
            ),
            # s.31(3): the nature of a sensitive interest is not disclosed, so not recorded.
            models.CheckConstraint(
                condition=(Q(is_sensitive=True) & Q(nature="")) | (Q(is_sensitive=False) & ~Q(nature="")),
                name="declaration_nature_unless_sensitive",
                violation_error_message="Say the nature of the interest; for a sensitive interest, leave it empty.",
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_kind_display()} in item {self.agenda_item.number}"

    def clean(self):
        super().clean()
        if self.agenda_item_id and NoneDeclared.objects.filter(meeting_id=self.agenda_item.meeting_id).exists():
            raise ValidationError(
                {
                    "agenda_item": "This meeting's record says no interests were disclosed: delete that record "
                    "(Records that no interests were disclosed) before recording a declaration."
                }
            )
        if self.dispensation_id and self.member_id and self.dispensation.member_id != self.member_id:
            raise ValidationError({"dispensation": "This dispensation was granted to another member."})
        if self.dispensation_id and self.agenda_item_id:
            day = timezone.localtime(self.agenda_item.meeting.starts_at).date()
            if not self.dispensation.covers(day):
                raise ValidationError({"dispensation": "This dispensation did not cover the day of the meeting."})


class NoneDeclared(models.Model):
    """The record that no member disclosed an interest at the meeting: the minutes print the
    council's words "No pecuniary or non-pecuniary interests were disclosed." """

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="no_interests_declared")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = "record that no interests were disclosed"
        verbose_name_plural = "records that no interests were disclosed"

    def __str__(self):
        return f"No interests disclosed at {self.meeting}"

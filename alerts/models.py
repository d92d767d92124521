"""Alerts: the outbox of changes, people's email subscriptions, councillors' notices, webhooks.

An `Event` is one change a service made (an agenda published, a meeting moved), written in the
same transaction as the change: the outbox. After commit a worker fans it out into one
`Delivery` per address (unique: an address hears of an event once, however many of its
subscriptions match) and one `WebhookDelivery` per hook, and sends them in claimed batches.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from committee.models import Committee, Meeting, Member, Report
from core.outbox import Kind as Changed
from decisions.models import Decision, ForwardPlanEntry


class EventKind(models.TextChoices):
    MEETING_ADDED = Changed.MEETING_ADDED, "Meeting added"
    MEETING_MOVED = Changed.MEETING_MOVED, "Meeting moved"
    MEETING_POSTPONED = Changed.MEETING_POSTPONED, "Meeting postponed"
    MEETING_CANCELLED = Changed.MEETING_CANCELLED, "Meeting cancelled"
    AGENDA_PUBLISHED = Changed.AGENDA_PUBLISHED, "Agenda published"
    PAPER_CHANGED = Changed.PAPER_CHANGED, "Paper changed after publication"
    SUPPLEMENTARY_PACK = Changed.SUPPLEMENTARY_PACK, "Supplementary agenda pack ready"
    MINUTES_PUBLISHED = Changed.MINUTES_PUBLISHED, "Minutes published"
    FORWARD_PLAN_PUBLISHED = Changed.FORWARD_PLAN_PUBLISHED, "Forward plan notice published"
    DECISION_PUBLISHED = Changed.DECISION_PUBLISHED, "Decision published"
    CALL_IN_OUTCOME = Changed.CALL_IN_OUTCOME, "Call-in outcome"


# What each kind of event is about, as the database requires it: a meeting's events name the
# meeting (and its committee); the forward plan's its entry; a decision's the decision. The
# committee of a plan entry or decision is its decision maker's, and none for a decision taken
# by an individual member or officer.
MEETING_KINDS = (
    EventKind.MEETING_ADDED, EventKind.MEETING_MOVED, EventKind.MEETING_POSTPONED, EventKind.MEETING_CANCELLED,
    EventKind.AGENDA_PUBLISHED, EventKind.PAPER_CHANGED, EventKind.SUPPLEMENTARY_PACK, EventKind.MINUTES_PUBLISHED,
)  # fmt: skip
DECISION_KINDS = (EventKind.DECISION_PUBLISHED, EventKind.CALL_IN_OUTCOME)
PLAN_KINDS = (EventKind.FORWARD_PLAN_PUBLISHED,)


class Event(models.Model):
    """One change, as the outbox: written by the service that made it, in its transaction."""

    Kind = EventKind

    kind = models.CharField(max_length=30, choices=EventKind.choices)
    committee = models.ForeignKey(Committee, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    plan_entry = models.ForeignKey(ForwardPlanEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # What the message must say that the rows will not remember: the old date of a moved meeting,
    # the reason for a cancellation (public text the officer typed for the public).
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True, help_text="When its deliveries were written.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="alerts_event_kind_valid",
                condition=Q(kind__in=EventKind.values),
                violation_error_message="Choose one of the kinds of event.",
            ),
            models.CheckConstraint(
                name="alerts_event_about",
                violation_error_message="An event names what it is about: its meeting, forward plan entry or decision.",
                condition=Q(kind__in=MEETING_KINDS, meeting__isnull=False, committee__isnull=False)
                | Q(kind__in=PLAN_KINDS, plan_entry__isnull=False, meeting__isnull=True)
                | Q(kind__in=DECISION_KINDS, decision__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.meeting or self.decision or self.plan_entry or self.committee}"


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "As it happens"
    DAILY = "daily", "A daily digest"


class Subscriber(models.Model):
    """An email address that asked for alerts (no account, no password)."""

    email = models.EmailField(unique=True)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    hard_bounces = models.PositiveSmallIntegerField(default=0)
    paused_at = models.DateTimeField(
        null=True, blank=True, help_text="Sending stopped: the address bounced hard three times or complained."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                name="alerts_subscriber_frequency_valid",
                condition=Q(frequency__in=Frequency.values),
                violation_error_message="Choose how often to be told.",
            )
        ]

    def __str__(self):
        return self.email


class SubscriptionKind(models.TextChoices):
    COMMITTEE = "committee", "A committee"
    ALL_MEETINGS = "all", "All meetings"
    COUNCILLOR = "councillor", "A councillor's committees"
    SEARCH = "search", "New papers matching words"
    DECISIONS = "decisions", "The forward plan and decisions"


class Subscription(models.Model):
    Kind = SubscriptionKind

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    kind = models.CharField(max_length=12, choices=SubscriptionKind.choices)
    committee = models.ForeignKey(Committee, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    words = models.CharField(max_length=200, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, help_text="Nothing is sent before this (double opt-in).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["subscriber", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                name="alerts_subscription_target",
                violation_error_message="Choose what to be told about.",
                condition=(Q(kind="committee", committee__isnull=False, member__isnull=True, words=""))
                | Q(kind="all", committee__isnull=True, member__isnull=True, words="")
                | Q(kind="councillor", member__isnull=False, committee__isnull=True, words="")
                | (Q(kind="search", committee__isnull=True, member__isnull=True) & ~Q(words=""))
                | Q(kind="decisions", committee__isnull=True, member__isnull=True, words=""),
            ),
            models.UniqueConstraint(
                fields=["subscriber", "kind", "committee", "member", "words"],
                nulls_distinct=False,
                name="alerts_subscription_once",
                violation_error_message="You already have this alert.",
            ),
        ]

    def __str__(self):
        return self.describe()

    def describe(self) -> str:
        if self.kind == SubscriptionKind.COMMITTEE:
            return f"Meetings of {self.committee}"
        if self.kind == SubscriptionKind.COUNCILLOR:
            return f"Meetings of the committees {self.member} sits on"
        if self.kind == SubscriptionKind.SEARCH:
            return f"New papers matching “{self.words}”"
        if self.kind == SubscriptionKind.DECISIONS:
            return "The forward plan and decisions"
        return "All meetings"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    DIGEST = "digest", "Waiting for the daily digest"
    SENT = "sent", "Sent"
    FAILED = "failed", "Not sent"


class Delivery(models.Model):
    """One message about one event to one address. Unique (event, address): a retried task,
    a second worker or a person with two matching subscriptions never sends it twice."""

    Status = DeliveryStatus

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField()
    subscriber = models.ForeignKey(Subscriber, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subscription = models.ForeignKey(Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # A councillors' notice (a committee they sit on) rather than a public subscription.
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    claimed_until = models.DateTimeField(null=True, blank=True, help_text="A worker is sending it until then.")
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="alerts_delivery_once"),
            models.CheckConstraint(
                name="alerts_delivery_recipient",
                condition=Q(subscriber__isnull=False, member__isnull=True)
                | Q(subscriber__isnull=True, member__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["status", "claimed_until"])]

    def __str__(self):
        return f"{self.event} to {self.email} ({self.get_status_display()})"


class DigestRun(models.Model):
    """The daily digests' run under way, one row: one run at a time, so that two never send
    at twice QUORUM_ALERTS_PER_SECOND. Held by a run (its Celery task's id, the same when
    the task is retried or handed back after its worker was lost) until `held_until`, a
    lease renewed before each digest: a run whose worker died leaves it to lapse."""

    run = models.CharField(max_length=64, blank=True)
    held_until = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Daily digests, held by {self.run} until {self.held_until}" if self.run else "Daily digests"


class Bounce(models.Model):
    class Kind(models.TextChoices):
        HARD = "hard", "Hard bounce"
        SOFT = "soft", "Soft bounce"
        COMPLAINT = "complaint", "Complaint (marked as spam)"

    email = models.EmailField(db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    detail = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.email}"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Webhook(models.Model):
    """A subscriber organisation's system, told of events by a signed JSON POST."""

    organisation = models.CharField(max_length=200, help_text="Who receives it: “Lancashire Post newsroom”.")
    url = models.URLField(max_length=500, help_text="An https address that accepts POST requests.")
    events = models.JSONField(default=list, help_text="The kinds of event it receives.")
    secret = models.CharField(
        max_length=100, default=new_secret, help_text="Signs every request (HMAC-SHA256); give it to the organisation."
    )
    contact_email = models.EmailField(blank=True, help_text="Told, with the officer, when the hook is paused.")
    is_active = models.BooleanField(default=True)
    paused_at = models.DateTimeField(null=True, blank=True, help_text="Deliveries failed for a day; stopped.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "url"],
                name="alerts_webhook_unique_url",
                violation_error_message="This organisation already has a webhook at this address.",
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.url}"

    def get_absolute_url(self):
        return reverse("admin:alerts_webhook_change", args=[self.pk])


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting (or retrying)"
        DELIVERED = "delivered", "Delivered"
        GAVE_UP = "gave_up", "Gave up (hook paused)"
        # Its decision or forward plan entry was withheld from the public after the fan-out.
        NOT_SENT = "not_sent", "Not sent"

    hook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["hook", "event"],
                name="alerts_webhook_delivery_once",
                violation_error_message="This event is already on its way to this webhook.",
            )
        ]

    def __str__(self):
        return f"{self.event} to {self.hook.organisation} ({self.get_status_display()})"

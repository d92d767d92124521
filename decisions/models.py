"""Executive decisions (SI 2012/2089; LGA 2000 s.9F): who decides, the forward plan of key
decisions, the decisions and their published notices, call-in, and notices of private
meetings. The clocks are in decisions/clocks.py; who may read what is committee/gate.py's."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from committee.models import AgendaItem, Committee, Meeting, Member, Officer, Restrictable
from core.dates import typed_days_problems
from core.richtext import RichTextField

from . import clocks


class DecisionMaker(models.Model):
    """Who takes executive decisions (reg 2, "decision maker"): the executive or one of its
    committees, an individual executive member, or an officer with delegated powers."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", "The executive or an executive committee"
        MEMBER = "member", "An individual executive member"
        OFFICER = "officer", "An officer"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    committee = models.ForeignKey(Committee, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(Officer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(
        max_length=200, blank=True, help_text='The portfolio or post: "Cabinet Member for Highways and Transport".'
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                name="decisionmaker_one_of_kind",
                condition=(
                    Q(kind="committee", committee__isnull=False, member__isnull=True, officer__isnull=True)
                    | Q(kind="member", committee__isnull=True, member__isnull=False, officer__isnull=True)
                    | Q(kind="officer", committee__isnull=True, member__isnull=True, officer__isnull=False)
                ),
                violation_error_message="Choose the committee, the councillor or the officer that the kind of "
                "decision maker names, and only that one.",
            ),
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(committee__isnull=False),
                name="decisionmaker_unique_committee",
                violation_error_message="This committee is already a decision maker.",
            ),
            models.UniqueConstraint(
                fields=["member", "role"],
                condition=Q(member__isnull=False),
                name="decisionmaker_unique_member_role",
                violation_error_message="This councillor is already a decision maker in this role.",
            ),
            models.UniqueConstraint(
                fields=["officer", "role"],
                condition=Q(officer__isnull=False),
                name="decisionmaker_unique_officer_role",
                violation_error_message="This officer is already a decision maker in this role.",
            ),
        ]

    def __str__(self):
        who = self.committee or self.member or self.officer
        return f"{who} ({self.role})" if self.role and self.kind != self.Kind.COMMITTEE else str(who)

    @property
    def sort_name(self) -> str:
        return str(self)


class ForwardPlanEntry(models.Model):
    """A matter in the forward plan: the notice of a key decision (reg 9), or of another
    executive decision the council chooses to publish ahead."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed (not yet published)"
        NOTICE_PUBLISHED = "notice_published", "Notice published"
        DECIDED = "decided", "Decided"
        DEFERRED = "deferred", "Deferred"
        WITHDRAWN = "withdrawn", "Withdrawn"

    reference = models.CharField(max_length=30, unique=True, help_text='The forward plan reference: "FP/2026/014".')
    title = models.CharField(max_length=300, help_text="The matter in respect of which a decision is to be made.")
    summary = models.TextField(blank=True)
    maker = models.ForeignKey(DecisionMaker, on_delete=models.PROTECT, related_name="plan_entries")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED, db_index=True)
    decision_due = models.DateField(
        help_text="The date on which, or the first day of the period in which, the decision is to be made."
    )
    decision_due_end = models.DateField(
        null=True, blank=True, help_text="The end of the period, when a period is given."
    )
    amount = models.DecimalField(
        max_digits=14, decimal_places=0, null=True, blank=True,
        help_text="The spending or saving, in pounds, when it is known (key decision threshold: a setting).",
    )  # fmt: skip
    divisions = models.TextField(blank=True, help_text="The electoral divisions affected, one a line.")
    significant_in_divisions = models.BooleanField(
        default=False,
        help_text="Significant in its effects on communities living or working in these divisions (reg 8(1)(b)).",
    )
    is_key_decision = models.BooleanField(default=False, editable=False, db_index=True)
    documents = models.TextField(blank=True, help_text="The documents submitted to the decision maker (reg 9(1)(e)).")
    how_to_get_documents = models.TextField(
        blank=True, help_text="The address from which documents may be had, and how to submit others (reg 9(1)(f)-(g))."
    )
    in_private = models.BooleanField(default=False, help_text="The decision is to be taken in private (reg 9(1)(d)).")
    private_reasons = models.TextField(blank=True, help_text="Why it is to be taken in private.")
    notice_published_on = models.DateField(null=True, blank=True, editable=False)
    # The general exception (reg 10) and special urgency (reg 11), when 28 days' notice cannot be given.
    scrutiny_chair_notified_on = models.DateField(null=True, blank=True, verbose_name="chair of scrutiny told on")
    exception_notice_on = models.DateField(null=True, blank=True, verbose_name="general exception notice published on")
    exception_reasons = models.TextField(blank=True, verbose_name="general exception reasons")
    urgency_agreed_by = models.CharField(max_length=200, blank=True, verbose_name="urgency agreed by")
    urgency_agreed_on = models.DateField(null=True, blank=True, verbose_name="urgency agreed on")
    urgency_reasons = models.TextField(blank=True, verbose_name="special urgency reasons")
    status_reason = models.TextField(blank=True, help_text="Why the decision was deferred or withdrawn.")
    # The day the entry was recorded: none of its notices is dated before it (a notice cannot
    # precede the matter it gives notice of, and an earlier date counts days nobody had).
    recorded_on = models.DateField(default=timezone.localdate, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    NOT_BEFORE_RECORDED = "the day this entry was recorded: a notice is not dated before the entry it gives notice of"

    class Meta:
        ordering = ["decision_due", "reference"]
        verbose_name = "forward plan entry"
        verbose_name_plural = "forward plan entries"
        constraints = [
            models.CheckConstraint(
                name="forwardplanentry_private_has_reasons",
                condition=Q(in_private=False) | ~Q(private_reasons=""),
                violation_error_message="Give the reasons why the decision is to be taken in private (reg 9(1)(d)).",
            ),
            models.CheckConstraint(
                name="forwardplanentry_period_in_order",
                condition=Q(decision_due_end__isnull=True) | Q(decision_due_end__gte=models.F("decision_due")),
                violation_error_message="The period ends on or after the day it starts.",
            ),
            models.CheckConstraint(
                name="forwardplanentry_published_has_date",
                condition=Q(status="proposed") | Q(notice_published_on__isnull=False),
                violation_error_message="A published entry needs the date its notice was published.",
            ),
            models.CheckConstraint(
                name="forwardplanentry_notices_after_recorded",
                condition=(Q(notice_published_on__isnull=True) | Q(notice_published_on__gte=models.F("recorded_on")))
                & (Q(exception_notice_on__isnull=True) | Q(exception_notice_on__gte=models.F("recorded_on"))),
                violation_error_message="A notice of the entry (the forward plan's, the general exception's) is not "
                "dated before the day the entry was recorded.",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self):
        return reverse("decisions:plan-entry", args=[self.pk])

    @property
    def division_list(self) -> list[str]:
        return [line.strip() for line in self.divisions.splitlines() if line.strip()]

    @property
    def key_decision_grounds(self) -> list[str]:
        return clocks.key_decision_grounds(
            amount=self.amount,
            threshold=settings.QUORUM_KEY_DECISION_THRESHOLD,
            significant_in_divisions=self.significant_in_divisions,
            divisions=self.division_list,
        )

    @property
    def may_be_taken_from(self):
        """Reg 9: the first day the key decision may be taken on its notice alone."""
        if self.notice_published_on is None:
            return None
        return clocks.key_decision_may_be_taken_from(self.notice_published_on)

    @property
    def exception_record(self) -> clocks.ExceptionRecord:
        return clocks.ExceptionRecord(
            scrutiny_chair_notified_on=self.scrutiny_chair_notified_on,
            exception_notice_on=self.exception_notice_on,
            exception_reasons=self.exception_reasons,
            urgency_agreed_by=self.urgency_agreed_by,
            urgency_agreed_on=self.urgency_agreed_on,
            urgency_reasons=self.urgency_reasons,
        )

    # The lifecycle, said once: services enforce these, the admin offers what they allow.
    @property
    def is_put_off(self) -> bool:
        """Deferred or withdrawn: status_reason says why."""
        return self.status in (self.Status.DEFERRED, self.Status.WITHDRAWN)

    @property
    def can_publish_notice(self) -> bool:
        return self.status in (self.Status.PROPOSED, self.Status.DEFERRED)

    @property
    def can_defer(self) -> bool:
        return self.status == self.Status.NOTICE_PUBLISHED

    @property
    def can_withdraw(self) -> bool:
        return self.status in (self.Status.PROPOSED, self.Status.NOTICE_PUBLISHED, self.Status.DEFERRED)

    @property
    def can_record_decision(self) -> bool:
        return self.status == self.Status.NOTICE_PUBLISHED

    def clean(self):
        super().clean()
        errors = {}
        if self.significant_in_divisions and len(self.division_list) < 2:
            errors["divisions"] = (
                "Name the two or more electoral divisions whose communities are affected (reg 8(1)(b))."
            )
        # Regs 10-11: what happened before the decision, so not later than today; the
        # general exception's notice starts its 5 clear days, so not before the entry.
        not_before_entry = {"not_before": self.recorded_on, "because": self.NOT_BEFORE_RECORDED}
        errors |= typed_days_problems(
            self, {"scrutiny_chair_notified_on": {}, "exception_notice_on": not_before_entry, "urgency_agreed_on": {}}
        )
        if errors:
            raise ValidationError(errors)


class Decision(Restrictable):
    """An executive decision, taken at a meeting (from an agenda item and its report, reg 12)
    or by an individual member or officer (reg 13). The decision notice publishes it."""

    maker = models.ForeignKey(DecisionMaker, on_delete=models.PROTECT, related_name="decisions")
    plan_entry = models.OneToOneField(
        ForwardPlanEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="decision",
        help_text="The forward plan entry this decision was noticed under (every key decision has one).",
    )  # fmt: skip
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions",
        help_text="The agenda item (and its report) the decision was taken on; none for an individual's decision.",
    )  # fmt: skip
    title = models.CharField(max_length=300)
    decided_on = models.DateField()
    decision = RichTextField(help_text="The decision, as resolved.")
    reasons = RichTextField(blank=True, help_text="The reasons for the decision (reg 12(b), 13(2)(b)).")
    alternatives_rejected = RichTextField(
        blank=True, help_text="Alternative options considered and rejected (reg 12(c), 13(2)(c))."
    )
    is_key_decision = models.BooleanField(default=False)
    is_urgent = models.BooleanField(
        default=False, help_text="Urgent under the constitution, so not subject to call-in (its reasons below)."
    )
    urgency_reasons = models.TextField(blank=True, help_text="Why implementation cannot wait for the call-in period.")
    # The day the decision was recorded: its notice, which starts the call-in period, is not
    # dated before it.
    recorded_on = models.DateField(default=timezone.localdate, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta(Restrictable.Meta):
        ordering = ["-decided_on", "-pk"]
        constraints = [
            *Restrictable.Meta.constraints,
            models.CheckConstraint(
                name="decision_urgent_has_reasons",
                condition=Q(is_urgent=False) | ~Q(urgency_reasons=""),
                violation_error_message="Give the reasons why the decision is urgent and cannot wait for call-in.",
            ),
            models.CheckConstraint(
                name="decision_key_has_plan_entry",
                condition=Q(is_key_decision=False) | Q(plan_entry__isnull=False),
                violation_error_message="A key decision is taken on a forward plan entry (reg 9): choose it.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.decided_on:%-d %B %Y})"

    def get_absolute_url(self):
        return reverse("decisions:decision-detail", args=[self.pk])

    @property
    def meeting(self) -> Meeting | None:
        return self.agenda_item.meeting if self.agenda_item_id else None


class DecisionNotice(models.Model):
    """The published record of a decision (regs 12-13): once published, the call-in clock runs."""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="notice")
    published_on = models.DateField()
    call_in_deadline = models.DateField(
        null=True, blank=True, editable=False, help_text="None for an urgent decision (not subject to call-in)."
    )
    may_be_implemented_from = models.DateField(editable=False)
    published_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on"]
        constraints = [
            models.CheckConstraint(
                name="decisionnotice_implemented_after_publication",
                condition=Q(may_be_implemented_from__gte=models.F("published_on")),
                violation_error_message="A decision is implemented on or after its notice is published.",
            )
        ]

    def __str__(self):
        return f"Decision notice: {self.decision}"


class CallIn(models.Model):
    """A call-in of a decision by scrutiny members (LGA 2000 s.9F(2); the constitution)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Awaiting the scrutiny committee"
        NO_FURTHER_ACTION = "no_further_action", "No further action: the decision may be implemented"
        REFERRED_BACK = "referred_back", "Referred back to the decision maker"
        REFERRED_TO_COUNCIL = "referred_to_council", "Referred to full council"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="call_ins")
    members = models.ManyToManyField(Member, related_name="call_ins", help_text="The scrutiny members calling it in.")
    requested_on = models.DateField()
    reasons = models.TextField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_on"]
        verbose_name = "call-in"
        constraints = [
            models.CheckConstraint(
                name="callin_outcome_has_date",
                condition=Q(outcome="pending", outcome_on__isnull=True)
                | (~Q(outcome="pending") & Q(outcome_on__isnull=False)),
                violation_error_message="An outcome needs the date it was reached (and a pending call-in has none).",
            ),
            models.CheckConstraint(
                name="callin_outcome_after_request",
                condition=Q(outcome_on__isnull=True) | Q(outcome_on__gte=models.F("requested_on")),
                violation_error_message="The outcome is reached on or after the call-in.",
            ),
        ]

    def __str__(self):
        return f"Call-in of {self.decision} ({self.get_outcome_display()})"

    def clean(self):
        super().clean()
        # A call-in and its outcome are recorded once they happen (the call-in holds the
        # decision from its day; a day to come would stand in for one not yet made).
        errors = typed_days_problems(self, {"requested_on": {}, "outcome_on": {}})
        if errors:
            raise ValidationError(errors)

    @property
    def holds_the_decision(self) -> bool:
        """Until scrutiny decides, and when it sends the decision back, it is not implemented."""
        return self.outcome != self.Outcome.NO_FURTHER_ACTION


class PrivateMeetingNotice(models.Model):
    """Reg 5: notice of the intention to hold (part of) a meeting in private, 28 clear days
    before, and a further notice 5 clear days before with representations and the response."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="private_notice")
    items = models.TextField(help_text="The business to be taken in private.")
    reasons = models.TextField(help_text="Why the meeting (or part of it) is to be held in private (reg 5(2)(b)).")
    published_on = models.DateField(help_text="The 28 clear days' notice (reg 5(2)).")
    representations = models.TextField(blank=True, help_text="Representations received about holding it in private.")
    response = models.TextField(blank=True, help_text="The council's response to them (reg 5(5)(c)).")
    further_notice_on = models.DateField(null=True, blank=True, help_text="The further notice (reg 5(4)).")
    # The day the notice was recorded: neither notice is dated before it (each is public
    # from its day, so an earlier one would count days of notice nobody had).
    recorded_on = models.DateField(default=timezone.localdate, editable=False)
    history = HistoricalRecords()

    NOT_BEFORE_RECORDED = "the day this notice was recorded: a notice is public from its day, not before it"

    class Meta:
        ordering = ["meeting__starts_at"]
        constraints = [
            models.CheckConstraint(
                name="privatemeetingnotice_response_to_representations",
                condition=Q(representations="") | ~Q(response=""),
                violation_error_message="Give the council's response to the representations received (reg 5(5)(c)).",
            ),
            models.CheckConstraint(
                name="privatemeetingnotice_published_after_recorded",
                condition=Q(published_on__gte=models.F("recorded_on"))
                & (Q(further_notice_on__isnull=True) | Q(further_notice_on__gte=models.F("recorded_on"))),
                violation_error_message="A notice is not dated before the day it was recorded.",
            ),
        ]

    def __str__(self):
        return f"Notice of private meeting: {self.meeting}"

    def get_absolute_url(self):
        return reverse("decisions:private-notices") + f"#meeting-{self.meeting_id}"

    @property
    def notice_due(self):
        """Reg 5(2): the last day for the 28 clear days' notice."""
        return clocks.private_meeting_notice_due(timezone.localdate(self.meeting.starts_at))

    @property
    def further_notice_due(self):
        """Reg 5(4): the last day for the further notice, 5 clear days before."""
        return clocks.private_meeting_further_notice_due(timezone.localdate(self.meeting.starts_at))

    def clean(self):
        super().clean()
        # Public from its day, so a day to come is allowed; not one before it was recorded.
        from_recorded = {"not_before": self.recorded_on, "because": self.NOT_BEFORE_RECORDED, "later": True}
        errors = typed_days_problems(self, {"published_on": from_recorded, "further_notice_on": from_recorded})
        if errors:
            raise ValidationError(errors)
        if self.meeting_id is None or self.published_on is None:
            return
        day = timezone.localdate(self.meeting.starts_at)
        if self.published_on > clocks.private_meeting_notice_due(day):
            errors["published_on"] = (
                f"Reg 5(2): the notice is published by {clocks.private_meeting_notice_due(day):%-d %B %Y} "
                "(28 clear days before the meeting)."
            )
        if self.further_notice_on and self.further_notice_on > clocks.private_meeting_further_notice_due(day):
            errors["further_notice_on"] = (
                f"Reg 5(4): the further notice is published by "
                f"{clocks.private_meeting_further_notice_due(day):%-d %B %Y} (5 clear days before the meeting)."
            )
        if errors:
            raise ValidationError(errors)

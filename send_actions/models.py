"""A SEND written statement of action (or another improvement plan), as the council writes it.

The seed's Appendix B: areas of significant concern from the Ofsted/CQC inspection, the
working groups that take the work forward, actions A-L that address the areas, and the key
tasks (A1, A2, ...) with a date to complete, an expected outcome and their progress.

Progress is never overwritten: each ProgressUpdate is a dated record, and a task's status is
the status of its latest update (computed in selectors.py, never stored on the task). A
PlanSnapshot freezes the whole plan, as it stood, for a report to a meeting.

Action C of the seed is worked on by two working groups (Strategy, and Improving Outcomes),
each with its own statement of it and its own key tasks (C1-C3 and C4-C5). So an Action is
only its letter and the areas of concern it addresses; a WorkingGroupAction is one group's
part of an action, with that group's wording; a KeyTask belongs to a WorkingGroupAction.
"""

import calendar
import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.richtext import RichTextField

# The month names as the council writes them in the seed's tables ("Sept 2018", "Mar 2018",
# "July 2018", "April 2018"); Feb and Aug do not occur there and follow Jan and Mar.
SEED_MONTHS = ["Jan", "Feb", "Mar", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"]
_MONTH_NUMBERS = {name.lower(): n for n, name in enumerate(SEED_MONTHS, start=1)}
_MONTH_NUMBERS.update({calendar.month_name[n].lower(): n for n in range(1, 13)})
_MONTH_NUMBERS.update({calendar.month_abbr[n].lower(): n for n in range(1, 13)})


class Status(models.TextChoices):
    """Progress of a key task, in the seed's words."""

    PLANNED = "planned", "Action Planned"
    UNDERWAY = "underway", "Action Underway"
    COMPLETE = "complete", "Action Complete"


# What each status means, in plain words for parents, carers and young people.
STATUS_MEANINGS = {
    Status.PLANNED: "The work is planned but has not started yet.",
    Status.UNDERWAY: "The work has started.",
    Status.COMPLETE: "The work is finished.",
}


class DatePrecision(models.TextChoices):
    MONTH = "month", "Month (e.g. Sept 2018)"
    DAY = "day", "Day (e.g. 27 June 2018)"


def month_or_day_display(value: date | None, precision: str) -> str:
    """A date as the plan writes it: "Sept 2018" for a month, "27 June 2018" for a day."""
    if value is None:
        return ""
    if precision == DatePrecision.MONTH:
        return f"{SEED_MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {calendar.month_name[value.month]} {value.year}"


def month_or_day_iso(value: date | None, precision: str) -> str:
    """The machine-readable form for <time datetime="...">: "2018-09" or "2018-06-27"."""
    if value is None:
        return ""
    return value.isoformat()[:7] if precision == DatePrecision.MONTH else value.isoformat()


def parse_month(text: str) -> date:
    """ "Sept 2018" -> date(2018, 9, 1). Accepts the seed's month names and the usual ones."""
    match = re.fullmatch(r"\s*([A-Za-z]+)\.?\s+(\d{4})\s*", text or "")
    if not match or match.group(1).lower() not in _MONTH_NUMBERS:
        raise ValueError(f'"{text}" is not a month and year such as "Sept 2018".')
    return date(int(match.group(2)), _MONTH_NUMBERS[match.group(1).lower()], 1)


def normalise(value: date | None, precision: str) -> date | None:
    """A month is kept as its first day, whatever day was typed."""
    if value is not None and precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


class ActionPlanQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class ActionPlan(models.Model):
    class Kind(models.TextChoices):
        WRITTEN_STATEMENT = "written_statement", "Written statement of action"
        IMPROVEMENT_PLAN = "improvement_plan", "Other improvement plan"

    title = models.CharField(
        max_length=300,
        help_text='"Lancashire Special Educational Needs and Disability Written Statement of Action"',
    )
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WRITTEN_STATEMENT)
    dated = models.DateField(help_text="The plan's date (the first of the month for a month).")
    dated_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.MONTH)
    inspection = models.CharField(
        max_length=300, blank=True, help_text="The inspection the plan answers, in the plan's words."
    )
    inspection_started_on = models.DateField(null=True, blank=True)
    inspection_ended_on = models.DateField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True, help_text="When the plan was submitted to Ofsted and CQC.")
    accepted_on = models.DateField(
        null=True, blank=True, help_text="The date of Ofsted and CQC's letter judging the plan fit for purpose."
    )
    senior_leadership_owners = models.TextField(blank=True)
    senior_officer_support_owners = models.TextField(blank=True)
    introduction = RichTextField(blank=True, help_text="The introduction, up to the list of areas of concern.")
    delivery = RichTextField(
        blank=True, help_text="The rest of the introduction: the aims, the working groups and co-production."
    )
    governance = RichTextField(blank=True, help_text="Governance and accountability for the plan.")
    governance_structure_title = models.CharField(
        max_length=300,
        blank=True,
        default="Governance and accountability structure",
        help_text='The heading of the governance diagram: "Lancashire SEND Governance and Accountability Structure".',
    )
    key_terms = RichTextField(blank=True, help_text="The Key Terms table.")
    working_groups_note = RichTextField(
        blank=True, help_text="The text printed after the Working Group Actions, before the groups' tables."
    )
    published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When an officer published the plan on this website."
    )
    history = HistoricalRecords()

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-dated", "title"]
        constraints = [
            models.CheckConstraint(
                name="actionplan_inspection_dates_in_order",
                violation_error_message="The inspection ends on or after the day it started.",
                condition=Q(inspection_started_on__isnull=True)
                | Q(inspection_ended_on__isnull=True)
                | Q(inspection_ended_on__gte=F("inspection_started_on")),
            )
        ]

    def __str__(self):
        return self.full_title

    def get_absolute_url(self):
        return reverse("send_actions:plan-detail", args=[self.slug])

    def clean(self):
        self.dated = normalise(self.dated, self.dated_precision)

    @property
    def dated_display(self) -> str:
        return month_or_day_display(self.dated, self.dated_precision)

    @property
    def full_title(self) -> str:
        """As the seed heads it: "... Written Statement of Action (May 2018)"."""
        return f"{self.title} ({self.dated_display})" if self.dated else self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class AreaOfConcern(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="areas_of_concern")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name_plural = "areas of concern"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="areaofconcern_unique_number",
                violation_error_message="This plan already has an area of concern with this number.",
            )
        ]

    def __str__(self):
        return f"Area of Concern {self.number}: {self.text}"


def reporting_loop(links: dict[int, int | None], start: int) -> list[int]:
    """The bodies a report from `start` passes through until it comes back to `start`
    (empty when it reaches the top instead). `links` maps each body to the one it reports
    to. A loop would mean no one is ultimately accountable, so it is refused."""
    path: list[int] = []
    seen: set[int] = set()
    current = links.get(start)
    while current is not None and current not in seen:
        if current == start:
            return path
        path.append(current)
        seen.add(current)
        current = links.get(current)
    return []


class GovernanceBody(models.Model):
    """A board or committee in the plan's governance structure ("SEND Partnership Board")
    and the body it reports to ("Health and Wellbeing Board"); the top bodies report to
    none. Working groups are not repeated here: each WorkingGroup says which body it
    reports to. The structure prints as a diagram with a text alternative
    (templates/send_actions/_governance_structure.html)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="governance_bodies")
    name = models.CharField(max_length=200, help_text='"SEND Partnership Board"')
    purpose = models.TextField(blank=True, help_text="What the body is for and does, in the plan's words.")
    chair = models.CharField(max_length=300, blank=True, help_text="Who chairs it, if the plan says.")
    reports_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reporting_bodies",
        help_text="Leave empty for a body at the top of the structure.",
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Order among the bodies that report to the same body (lowest first)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "name"]
        verbose_name_plural = "governance bodies"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="governancebody_unique_name",
                violation_error_message="This plan already has a governance body with this name.",
            ),
            models.CheckConstraint(
                name="governancebody_not_reporting_to_itself",
                condition=~Q(reports_to=F("pk")),
                violation_error_message="A body cannot report to itself.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.reports_to_id:
            return
        above = self.reports_to
        if self.plan_id and above.plan_id != self.plan_id:
            raise ValidationError({"reports_to": "The body it reports to must belong to the same plan."}, code="plan")
        if self.pk is None:
            return  # a new body: nothing reports to it yet
        if above.pk == self.pk:
            raise ValidationError({"reports_to": "A body cannot report to itself."}, code="itself")
        links = dict(GovernanceBody.objects.filter(plan_id=self.plan_id).values_list("pk", "reports_to_id"))
        links[self.pk] = above.pk
        loop = reporting_loop(links, self.pk)
        if loop:
            raise ValidationError({"reports_to": loop_message(self.name, loop)}, code="loop")


def loop_message(name: str, loop: list[int]) -> str:
    names = dict(GovernanceBody.objects.filter(pk__in=loop).values_list("pk", "name"))
    chain = " → ".join([name, *(names.get(pk, "?") for pk in loop), name])
    return f"This would make a loop ({chain}): a body cannot report, directly or through others, to itself."


class WorkingGroup(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="working_groups")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200, help_text='"Commissioning and Access to Provision"')
    lead_name = models.CharField(max_length=200, help_text='"Hilary Fordham"')
    lead_role = models.CharField(max_length=300, blank=True, help_text='"Chief Operating Officer - Morecambe Bay CCG"')
    reports_to = models.ForeignKey(
        GovernanceBody,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="working_groups",
        help_text="The governance body the group reports its progress to.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="workinggroup_unique_number",
                violation_error_message="This plan already has a working group with this number.",
            )
        ]

    def __str__(self):
        return f"Working Group {self.number}: {self.name}"

    def clean(self):
        if self.reports_to_id and self.plan_id and self.reports_to.plan_id != self.plan_id:
            raise ValidationError({"reports_to": "The body it reports to must belong to the same plan."}, code="plan")

    @property
    def lead_display(self) -> str:
        return f"{self.lead_name} ({self.lead_role})" if self.lead_role else self.lead_name


class Action(models.Model):
    """An action of the plan (A-L). What it says is each working group's (WorkingGroupAction)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    letter = models.CharField(max_length=2, help_text='"A"')
    areas_of_concern = models.ManyToManyField(AreaOfConcern, related_name="actions", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "letter"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "letter"],
                name="action_unique_letter",
                violation_error_message="This plan already has an action with this letter.",
            )
        ]

    def __str__(self):
        return f"Action {self.letter}"

    def clean(self):
        if self.letter and not re.fullmatch(r"[A-Z]{1,2}", self.letter):
            raise ValidationError(
                {"letter": "An action's letter is one or two capital letters, such as A."}, code="letter"
            )


class WorkingGroupAction(models.Model):
    """One working group's part of an action. The seed states each action twice: in the
    Working Group Actions overview ("To develop strategic leadership and vision for SEND
    across the partnership") and at the head of the group's table ("Develop strategic
    leadership and vision for SEND across the partnership"); both are kept."""

    working_group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="group_actions")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="group_actions")
    statement = models.TextField(help_text="As the Working Group Actions overview states it.")
    wording = models.TextField(blank=True, help_text="As the head of the working group's table words it.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["working_group__number", "action__letter"]
        constraints = [
            models.UniqueConstraint(
                fields=["working_group", "action"],
                name="workinggroupaction_unique",
                violation_error_message="This working group already works on this action.",
            )
        ]

    def __str__(self):
        return f"{self.working_group}: Action {self.action.letter}"

    def clean(self):
        if self.working_group_id and self.action_id and self.working_group.plan_id != self.action.plan_id:
            raise ValidationError("The working group and the action must belong to the same plan.", code="plan")


class KeyTaskQuerySet(models.QuerySet):
    def with_status(self, on: date):
        """Annotate each task with its progress as of `on`: the status of its latest update
        dated on or before then (a task with none yet is planned), that update's completion
        date, and whether it is overdue: its date to complete has passed (for a month, the
        whole month) and it is not complete."""
        latest = ProgressUpdate.objects.filter(task=models.OuterRef("pk"), as_of__lte=on).order_by("-as_of", "-pk")
        first_of_month = on.replace(day=1)
        late = Q(due_precision=DatePrecision.MONTH, due_date__lt=first_of_month) | Q(
            due_precision=DatePrecision.DAY, due_date__lt=on
        )
        return self.annotate(
            status=models.functions.Coalesce(
                models.Subquery(latest.values("status")[:1]), models.Value(Status.PLANNED.value)
            ),
            completed_on=models.Subquery(latest.values("completed_on")[:1]),
        ).annotate(
            is_overdue=models.Case(
                models.When(late & ~Q(status=Status.COMPLETE), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )

    def overdue(self, on: date):
        return self.with_status(on).filter(is_overdue=True)


class KeyTask(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="key_tasks")
    group_action = models.ForeignKey(
        WorkingGroupAction,
        on_delete=models.PROTECT,
        related_name="key_tasks",
        verbose_name="working group and action",
    )
    code = models.CharField(max_length=8, help_text="Unique in the plan; its action's letter and a number: A1.")
    description = models.TextField(verbose_name="key task")
    due_date = models.DateField(
        verbose_name="date to complete", help_text="For a month, give any day of it (it is kept as the first)."
    )
    due_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.MONTH)
    original_due_date = models.DateField(editable=False, help_text="The date to complete first set in the plan.")
    original_due_precision = models.CharField(max_length=5, choices=DatePrecision.choices, editable=False)
    due_change_reason = models.TextField(blank=True, help_text="Why the date to complete was changed.")
    expected_outcome = models.TextField()
    see_also = models.ManyToManyField(
        "self", symmetrical=False, blank=True, help_text='Tasks the plan cross-refers to ("see H2").'
    )
    history = HistoricalRecords()

    objects = KeyTaskQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="keytask_unique_code_in_plan",
                violation_error_code="unique_code",
                violation_error_message="This plan already has a key task with this code.",
            ),
            models.CheckConstraint(
                name="keytask_changed_due_date_has_reason",
                condition=(Q(due_date=F("original_due_date")) & Q(due_precision=F("original_due_precision")))
                | ~Q(due_change_reason=""),
                violation_error_message="A changed date to complete needs the reason for the change.",
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.description}"

    def get_absolute_url(self):
        return reverse("send_actions:task-detail", args=[self.plan.slug, self.code])

    def clean(self):
        errors = {}
        self.due_date = normalise(self.due_date, self.due_precision)
        if self.group_action_id:
            group_action = self.group_action
            letter = group_action.action.letter
            if self.code and not re.fullmatch(rf"{re.escape(letter)}[0-9]{{1,3}}", self.code):
                errors["code"] = ValidationError(
                    "A key task's code is its action's letter and a number: %(example)s.",
                    code="code_letter",
                    params={"example": f"{letter}1"},
                )
            if self.plan_id and group_action.working_group.plan_id != self.plan_id:
                errors["group_action"] = ValidationError(
                    "The working group and action must belong to the task's plan.", code="plan"
                )
        if errors:
            raise ValidationError(errors)

    @property
    def due_display(self) -> str:
        return month_or_day_display(self.due_date, self.due_precision)

    @property
    def original_due_display(self) -> str:
        return month_or_day_display(self.original_due_date, self.original_due_precision)

    @property
    def due_changed(self) -> bool:
        return (self.due_date, self.due_precision) != (self.original_due_date, self.original_due_precision)

    @property
    def sort_key(self) -> tuple[str, int]:
        """A1, A2 ... A10: letters, then the number as a number."""
        letters = self.code.rstrip("0123456789")
        return letters, int(self.code[len(letters) :] or 0)


class ProgressUpdate(models.Model):
    """A dated report of a task's progress. Updates are only ever added: the latest one is
    the task's status, and the earlier ones are its history."""

    task = models.ForeignKey(KeyTask, on_delete=models.PROTECT, related_name="progress_updates")
    as_of = models.DateField(verbose_name="date", help_text="The date this progress is reported as at.")
    status = models.CharField(max_length=10, choices=Status.choices, verbose_name="progress")
    completed_on = models.DateField(null=True, blank=True, help_text="When the task was completed (if complete).")
    narrative = models.TextField(blank=True, verbose_name="update", help_text="What has been done and what is next.")
    made_by = models.CharField(max_length=200, help_text='Who reports this progress: "SEND Partnership Board".')
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["task", "as_of", "pk"]
        get_latest_by = ["as_of", "pk"]
        indexes = [models.Index(fields=["task", "as_of"])]
        constraints = [
            models.CheckConstraint(
                name="progressupdate_status_valid",
                violation_error_message="Choose one of the progress statuses.",
                condition=Q(status__in=Status.values),
            ),
            models.CheckConstraint(
                name="progressupdate_complete_has_completion_date",
                condition=(Q(status=Status.COMPLETE) & Q(completed_on__isnull=False))
                | (~Q(status=Status.COMPLETE) & Q(completed_on__isnull=True)),
                violation_error_message="A completed task needs its completion date; a task that is not "
                "complete has none.",
            ),
            models.CheckConstraint(
                name="progressupdate_completed_by_date",
                condition=Q(completed_on__isnull=True) | Q(completed_on__lte=F("as_of")),
                violation_error_message="The completion date cannot be after the date of the update.",
            ),
        ]

    def __str__(self):
        return f"{self.task.code} {self.get_status_display()} at {self.as_of:%-d %B %Y}"

    def clean(self):
        errors = {}
        if self.status == Status.COMPLETE and self.completed_on is None:
            errors["completed_on"] = ValidationError("Give the date the task was completed.", code="completed_on")
        if self.status and self.status != Status.COMPLETE and self.completed_on is not None:
            errors["completed_on"] = ValidationError(
                "Only a completed task has a completion date.", code="not_complete"
            )
        if self.as_of and self.completed_on and self.completed_on > self.as_of:
            errors["completed_on"] = ValidationError(
                "The completion date cannot be after the date of the update.", code="completed_after"
            )
        if self.as_of and self.as_of > timezone.localdate():
            errors["as_of"] = ValidationError("An update cannot be dated in the future.", code="future")
        if self.as_of and self.task_id:
            # The latest update is the task's status; an update dated before it would be
            # history that silently changes nothing, so it is refused.
            latest = (
                ProgressUpdate.objects.filter(task_id=self.task_id)
                .exclude(pk=self.pk)
                .order_by("-as_of", "-pk")
                .values_list("as_of", flat=True)
                .first()
            )
            if latest and self.as_of < latest:
                errors["as_of"] = ValidationError(
                    "This task already has an update dated %(latest)s; a new update cannot be dated before it.",
                    code="before_latest",
                    params={"latest": f"{latest:%-d %B %Y}"},
                )
        if errors:
            raise ValidationError(errors)


class PlanSnapshot(models.Model):
    """The plan frozen as it stood, for a report to a meeting (a structured appendix).

    `data` holds everything the appendix shows (selectors.PlanTables as JSON), so later
    changes to the plan, its tasks or their progress never alter what was reported.
    """

    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="snapshots")
    label = models.CharField(max_length=300, help_text='"As reported to Cabinet Committee ..., 27 June 2018"')
    as_at = models.DateField(help_text="Progress is as recorded on or before this date; overdue is judged on it.")
    taken_at = models.DateTimeField(auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    data = models.JSONField(editable=False)
    # Only the label can be corrected; the frozen data is not copied into each version.
    history = HistoricalRecords(excluded_fields=["data"])

    class Meta:
        ordering = ["-as_at", "-taken_at"]
        get_latest_by = ["as_at", "taken_at"]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("send_actions:snapshot-detail", args=[self.pk])

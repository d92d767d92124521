"""Committees, their members and meetings; agendas, reports, appendices and minutes.

The words are the council's own (see the seed agenda pack). Whether a reader may see a
thing is decided in committee/gate.py, never here or in a template.
"""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Now
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from core.dates import day_and_time, long_date
from core.richtext import RichTextField
from core.text import join_and

from . import db_rules
from .appendices import content_type_choices
from .validators import validate_pdf_upload

EXEMPT_PARAGRAPHS = {
    1: "Information relating to any individual",
    2: "Information which is likely to reveal the identity of an individual",
    3: "Information relating to the financial or business affairs of any particular person "
    "(including the authority holding that information)",
    4: "Information relating to any consultations or negotiations, or contemplated "
    "consultations or negotiations, in connection with any labour relations matter",
    5: "Information in respect of which a claim to legal professional privilege could be "
    "maintained in legal proceedings",
    6: "Information which reveals that the authority proposes to give a notice, or to make "
    "an order or direction, under any enactment",
    7: "Information relating to any action taken or to be taken in connection with the "
    "prevention, investigation or prosecution of crime",
}
ALL_PARAGRAPHS_MASK = (1 << len(EXEMPT_PARAGRAPHS)) - 1


class Access(models.TextChoices):
    """Who may read a thing (LGA 1972 s100A; domain rules 1, 5, 6)."""

    PUBLIC = "public", "Part I: open to press and public"
    EXEMPT = "exempt", "Part II: exempt information (Schedule 12A)"
    CONFIDENTIAL = "confidential", "Confidential information (s100A(2))"


class Restrictable(models.Model):
    """The legal basis for withholding an item or an appendix from the public.

    The exempt paragraphs are stored as a bit set (paragraph N is bit N-1) so that the
    database itself refuses a Part II record without a paragraph, or a public one with one.
    """

    access = models.CharField(max_length=12, choices=Access.choices, default=Access.PUBLIC)
    exempt_paragraphs = models.PositiveSmallIntegerField(
        default=0,
        help_text="Paragraphs of Part 1 of Schedule 12A to the Local Government Act 1972.",
    )
    public_interest_reasons = models.TextField(
        blank=True,
        help_text="Why the public interest in withholding the information outweighs the "
        "public interest in disclosing it (Schedule 12A, paragraph 10).",
    )
    confidential_basis = models.TextField(
        blank=True,
        help_text="The government department's terms, enactment or court order that bars disclosure (s100A(3)).",
    )
    # An archive imported from ModernGov says only that an item was restricted, never under
    # which paragraph: such an item is Part II without its paragraph until an officer records
    # it (recording it clears this). Nothing but the import sets it.
    paragraph_not_recorded = models.BooleanField(
        default=False,
        editable=False,
        help_text="Imported as restricted without its Schedule 12A paragraph: an officer is to record it.",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_access_basis",
                condition=(
                    Q(access=Access.PUBLIC, exempt_paragraphs=0, paragraph_not_recorded=False)
                    | (
                        Q(
                            access=Access.EXEMPT,
                            exempt_paragraphs__gte=1,
                            exempt_paragraphs__lte=ALL_PARAGRAPHS_MASK,
                            paragraph_not_recorded=False,
                        )
                        & ~Q(public_interest_reasons="")
                    )
                    # Imported restricted, its paragraph still to be recorded: Part II all the same.
                    | Q(access=Access.EXEMPT, exempt_paragraphs=0, paragraph_not_recorded=True)
                    | (
                        Q(access=Access.CONFIDENTIAL, exempt_paragraphs=0, paragraph_not_recorded=False)
                        & ~Q(confidential_basis="")
                    )
                ),
                violation_error_message="A Part II record needs at least one Schedule 12A "
                "paragraph and the public interest reasons; confidential information needs "
                "its legal basis; a public record has neither.",
            )
        ]

    @property
    def is_restricted(self) -> bool:
        return self.access != Access.PUBLIC

    @property
    def paragraph_numbers(self) -> list[int]:
        return [n for n in EXEMPT_PARAGRAPHS if self.exempt_paragraphs & (1 << (n - 1))]

    @paragraph_numbers.setter
    def paragraph_numbers(self, numbers) -> None:
        self.exempt_paragraphs = sum(1 << (int(n) - 1) for n in set(numbers))

    @property
    def paragraphs_display(self) -> str:
        numbers = [str(n) for n in self.paragraph_numbers]
        if not numbers and self.paragraph_not_recorded:
            return "Paragraph not recorded"
        if not numbers:
            return ""
        return f"Paragraph{'s' if len(numbers) > 1 else ''} {join_and(numbers)}"

    @property
    def not_for_publication_notice(self) -> str:
        if self.access == Access.CONFIDENTIAL:
            return "Confidential information: not for publication (s100A(3) of the Local Government Act 1972)"
        if self.paragraph_not_recorded and not self.paragraph_numbers:
            return (
                "Not for publication: exempt information under Part 1 of Schedule 12A to the Local Government "
                "Act 1972 (paragraph not recorded)"
            )
        numbers = [str(n) for n in self.paragraph_numbers]
        return (
            f"Not for publication by virtue of paragraph{'s' if len(numbers) > 1 else ''} {join_and(numbers)} "
            "of Part 1 of Schedule 12A to the Local Government Act 1972"
        )


class Officer(models.Model):
    """A council officer: a report's contact, a meeting's clerk, the signing officer."""

    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    email = models.EmailField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "job_title"],
                name="officer_unique_name_title",
                violation_error_message="There is already an officer with this name and job title.",
            )
        ]

    def __str__(self):
        return f"{self.name}, {self.job_title}" if self.job_title else self.name


class ElectoralDivision(models.Model):
    """A ward or electoral division that councillors are elected for ("Burnley Central
    East"). A record, not a word on each councillor: the public pages and ModernGov's web
    service list councillors by it."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Member(models.Model):
    """An elected councillor."""

    title = models.CharField(max_length=50, default="County Councillor")
    name = models.CharField(max_length=200, help_text='As the council writes it: "Geoff Driver", "A Atkinson".')
    honours = models.CharField(max_length=50, blank=True, help_text='Post-nominals, e.g. "CBE".')
    party = models.CharField(max_length=100, blank=True)
    division = models.ForeignKey(
        ElectoralDivision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name="electoral division",
    )
    email = models.EmailField(blank=True)
    slug = models.SlugField(max_length=200, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
        help_text="The councillor's login, which lets them read Part II papers of their committees.",
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return " ".join(part for part in (self.title, self.name, self.honours) if part)

    def get_absolute_url(self):
        return reverse("committee:member-detail", args=[self.slug])

    @property
    def electoral_division(self) -> str:
        """The division's name, or nothing (lists select the division with the member)."""
        return self.division.name if self.division_id else ""

    @property
    def name_with_honours(self) -> str:
        return f"{self.name} {self.honours}".strip()


class Committee(models.Model):
    class Kind(models.TextChoices):
        FULL_COUNCIL = "full_council", "Full Council"
        CABINET = "cabinet", "Cabinet"
        CABINET_COMMITTEE = "cabinet_committee", "Cabinet committee"
        SCRUTINY = "scrutiny", "Scrutiny committee"
        REGULATORY = "regulatory", "Regulatory committee"
        AUDIT = "audit", "Audit and governance committee"
        OTHER = "other", "Other committee or board"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    purpose = RichTextField(blank=True)
    is_active = models.BooleanField(default=True)
    members = models.ManyToManyField(Member, through="Membership", related_name="committees")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("committee:committee-detail", args=[self.slug])


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class Membership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        VICE_CHAIR = "vice_chair", "Vice-Chair"
        MEMBER = "member", "Member"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["committee", "role", "member__name"]
        constraints = [
            models.CheckConstraint(
                name="membership_ends_after_start",
                violation_error_message="A membership ends on or after the day it starts.",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
            ),
            models.UniqueConstraint(
                fields=["committee", "member", "start_date"],
                name="membership_unique_start",
                violation_error_message="This councillor already has a membership of this committee starting that day.",
            ),
        ]

    def __str__(self):
        return f"{self.member} ({self.get_role_display()}, {self.committee})"


class Venue(models.Model):
    name = models.CharField(max_length=200, help_text="Committee Room 'B' (The Diamond Jubilee Room)")
    address = models.CharField(max_length=300, help_text="County Hall, Preston")
    accessibility = models.TextField(blank=True, help_text="Step-free access, hearing loop, parking.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "address"],
                name="venue_unique",
                violation_error_message="There is already a venue with this name at this address.",
            )
        ]

    def __str__(self):
        return f"{self.name} - {self.address}"


class CouncilClosureDay(models.Model):
    """A day the council's offices are closed beyond the bank holidays (counts as no working day)."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d %B %Y}: {self.reason}"


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGENDA_PUBLISHED = "agenda_published", "Agenda published"
    HELD = "held", "Held"
    MINUTES_PUBLISHED = "minutes_published", "Minutes published"
    CANCELLED = "cancelled", "Cancelled"
    POSTPONED = "postponed", "Postponed"


# A meeting that will not take place on its date: said once, for Meeting.is_called_off and
# MeetingQuerySet.going_ahead() and called_off().
CALLED_OFF = (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED)
# A meeting whose agenda may be published: not yet published, or postponed and so awaiting a
# new one. Said once, for Meeting.can_publish_agenda and the meetings awaiting publication.
AWAITING_AGENDA = (MeetingStatus.DRAFT, MeetingStatus.POSTPONED)


class MeetingQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(starts_at__gte=timezone.now()).order_by("starts_at")

    def past(self):
        return self.filter(starts_at__lt=timezone.now()).order_by("-starts_at")

    def going_ahead(self):
        """Meetings not cancelled or postponed (see Meeting.is_called_off)."""
        return self.exclude(status__in=CALLED_OFF)

    def called_off(self):
        return self.filter(status__in=CALLED_OFF)


class Meeting(models.Model):
    Status = MeetingStatus

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(db_index=True)
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="meetings")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    clerk = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings_clerked",
        help_text="Democratic services contact for the meeting.",
    )  # fmt: skip
    signing_officer = models.ForeignKey(
        Officer, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings_signed",
        help_text="The officer who signs the agenda front sheet.",
    )  # fmt: skip
    publication_deadline = models.DateField(
        editable=False,
        help_text="Last day to publish the agenda with five clear working days (computed).",
    )
    agenda_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    late_publication_reasons = models.TextField(
        blank=True,
        help_text="Why the agenda was published with fewer than five clear working days: "
        "the special circumstances and the chair's opinion that the business is urgent.",
    )
    status_reason = models.TextField(blank=True, help_text="Why the meeting was cancelled or postponed.")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        permissions = [("publish_meeting", "Can publish agendas and minutes, cancel meetings and mark them held")]
        constraints = [
            models.CheckConstraint(
                name="meeting_status_valid",
                violation_error_message="Choose one of the meeting's statuses.",
                condition=Q(status__in=MeetingStatus.values),
            ),
            # The called-off statuses are written out, not taken from CALLED_OFF: a database
            # constraint is copied into its migration as it stands, and changing its wording
            # alone would make a new migration that changes nothing.
            models.CheckConstraint(
                name="meeting_published_has_date",
                violation_error_message="A meeting whose agenda is published needs the date it was published.",
                condition=Q(status="draft")
                | Q(status="cancelled")
                | Q(status="postponed")
                | Q(agenda_published_at__isnull=False),
            ),  # fmt: skip
        ]
        indexes = [models.Index(fields=["committee", "starts_at"])]

    def __str__(self):
        return f"{self.committee} - {long_date(self.starts_at)}"

    def get_absolute_url(self):
        return reverse("committee:meeting-detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.agenda_published_at is not None

    # The meeting's lifecycle, said once: the services enforce these, the admin shows the
    # buttons they allow.
    @property
    def can_publish_agenda(self) -> bool:
        return self.status in AWAITING_AGENDA

    @property
    def can_cancel(self) -> bool:
        """A meeting not yet held, and not already cancelled, can be cancelled or postponed."""
        return self.status in (MeetingStatus.DRAFT, MeetingStatus.AGENDA_PUBLISHED, MeetingStatus.POSTPONED)

    @property
    def is_called_off(self) -> bool:
        """Cancelled or postponed: the public is told so, with the reason (status_reason)."""
        return self.status in CALLED_OFF

    @property
    def can_mark_held(self) -> bool:
        """Its agenda is out and it has started."""
        return self.status == MeetingStatus.AGENDA_PUBLISHED and self.starts_at <= timezone.now()

    @property
    def can_write_minutes(self) -> bool:
        """Once held; published minutes can still be corrected (kept in history)."""
        return self.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_PUBLISHED)

    @property
    def can_publish_minutes(self) -> bool:
        return self.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_PUBLISHED)

    @property
    def deadline_met(self) -> bool | None:
        """None until the agenda is published."""
        if self.agenda_published_at is None:
            return None
        return timezone.localdate(self.agenda_published_at) <= self.publication_deadline


class AgendaItem(Restrictable):
    class Kind(models.TextChoices):
        APOLOGIES = "apologies", "Apologies for absence"
        DECLARATIONS = "declarations", "Disclosure of interests"
        MINUTES = "minutes", "Minutes of the previous meeting"
        REPORT = "report", "Report"
        URGENT_BUSINESS = "urgent_business", "Urgent business"
        NEXT_MEETING = "next_meeting", "Date of next meeting"
        EXCLUSION = "exclusion", "Exclusion of press and public"
        OTHER = "other", "Other"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField()
    number = models.CharField(max_length=10, help_text='The number shown on the agenda: "3", "5a".')
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REPORT)
    standing_text = RichTextField(blank=True, help_text="Text printed under the item on the agenda.")
    minutes_of = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="minutes_items",
        help_text="For a minutes item: the meeting whose minutes are to be confirmed.",
    )  # fmt: skip
    added_after_publication_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="Set when the item joins an agenda that was already published (a supplementary item).",
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    class Meta(Restrictable.Meta):
        ordering = ["meeting", "order"]
        constraints = [
            *Restrictable.Meta.constraints,
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="agendaitem_unique_order",
                violation_error_message="This meeting already has an item in this place on the agenda.",
            ),
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="agendaitem_unique_number",
                violation_error_message="This meeting already has an item with this number.",
            ),
        ]

    def __str__(self):
        # With its meeting: wherever an item is chosen (a minute, a report), "1. Apologies for
        # Absence" alone would stand for every meeting's first item.
        return f"{self.number}. {self.title} ({self.meeting})"

    def get_absolute_url(self):
        return reverse("committee:meeting-detail", args=[self.meeting_id]) + f"#item-{self.number}"

    def clean(self):
        super().clean()
        # A minuted item stays with its meeting (committee/db_rules.py keeps it in the database).
        if self.pk is not None and self.meeting_id is not None:
            elsewhere = Minute.objects.filter(agenda_item_id=self.pk).exclude(minutes__meeting_id=self.meeting_id)
            if elsewhere.exists():
                raise ValidationError(
                    {
                        "meeting": "This item has a minute in the minutes of its meeting: it cannot move to another meeting."
                    }
                )


class StandingItem(models.Model):
    """An item every agenda opens or closes with (apologies, disclosure of interests, the
    minutes, urgent business, the date of the next meeting), in the council's own words.
    A new meeting may start from these (the meeting's page offers it); officers edit the
    wording in the admin. "{committee}" in the text is replaced by the committee's name."""

    kind = models.CharField(max_length=20, choices=AgendaItem.Kind.choices)
    title = models.CharField(max_length=300)
    standing_text = RichTextField(blank=True, help_text="Printed under the item on the agenda.")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Where the item comes among the standing items (lowest first)."
    )
    is_active = models.BooleanField(default=True, help_text="Untick to leave it off new meetings.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Report(models.Model):
    """The paper behind an agenda item, with the sections councils write."""

    agenda_item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="report")
    title = models.CharField(max_length=300)
    report_of = models.CharField(max_length=200, help_text='"Head of Legal & Democratic Services"')
    electoral_divisions = models.CharField(max_length=300, default="All", help_text='"(All Divisions)"')
    contact = models.ForeignKey(Officer, null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    # Several people often write one report (a lead officer and a finance or legal colleague),
    # so a report has authors rather than one: each may edit it until its agenda is published.
    # Not the printed "Report of" or contact officer, which say who answers for it.
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        limit_choices_to={"is_staff": True},  # authors write in the admin
        related_name="reports_written",
        help_text="Sign-in accounts that may edit this report until its agenda is published, and read it if "
        "it is Part II. Democratic services officers edit every report.",
    )
    executive_summary = RichTextField(blank=True)
    recommendation = RichTextField(blank=True)
    background_and_advice = RichTextField(blank=True)
    consultations = RichTextField(blank=True)
    implications = RichTextField(blank=True)
    risk_management = RichTextField(blank=True)
    reason_for_part_ii = models.TextField(blank=True, default="N/A", verbose_name="Reason for inclusion in Part II")
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords()

    SECTIONS = (
        ("executive_summary", "Executive Summary"),
        ("recommendation", "Recommendation"),
        ("background_and_advice", "Background and Advice"),
        ("consultations", "Consultations"),
        ("implications", "Implications"),
        ("risk_management", "Risk management"),
    )

    class Meta:
        ordering = ["agenda_item__meeting", "agenda_item__order"]
        # Who reads every paper (Part II and drafts) is a permission of its own: a report
        # author edits reports but reads only the Part II reports they are named on.
        permissions = [("read_every_paper", "Can read every paper, Part II and drafts included")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("committee:report-detail", args=[self.pk])

    @property
    def reason_for_part_ii_shown(self) -> str:
        """What the paper says under "Reason for inclusion in Part II": the author's words;
        for a Part II paper whose author left none ("N/A": written for Part I, then made Part
        II, as a reclassification does), its item's grounds, the paragraph of Schedule 12A and
        the public interest reasons, which the councillor reading it beside the "Not for
        publication" banner needs; "N/A" for a Part I paper left so."""
        written = (self.reason_for_part_ii or "").strip()
        item = self.agenda_item
        if item.is_restricted and written.upper() in {"", "N/A", "NA", "NONE"}:
            # Confidential information has its basis; the public interest test is exempt's.
            grounds = item.confidential_basis if item.access == Access.CONFIDENTIAL else item.public_interest_reasons
            grounds = (grounds or "").strip()
            return f"{item.not_for_publication_notice}." + (f" {grounds}" if grounds else "")
        return written or "N/A"


class BackgroundPaper(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="background_papers")
    paper = models.CharField(max_length=300)
    date = models.CharField(max_length=50, blank=True)
    contact = models.CharField(max_length=200, blank=True, help_text="Contact/Tel")
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "pk"]

    def __str__(self):
        return self.paper


def report_source_upload_to(instance, filename: str) -> str:
    # Random, unguessable names, like appendices: a Part II report's Word file is exempt too.
    return f"report-sources/{secrets.token_urlsafe(24)}.docx"


class ReportSource(models.Model):
    """A Word document a report was imported from, kept with the report's history."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sources")
    file = models.FileField(upload_to=report_source_upload_to)
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField(help_text="Bytes.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "-uploaded_at"]

    def __str__(self):
        day, time = day_and_time(self.uploaded_at)
        return f"{self.original_name} ({day} {time})"


class WordHeading(models.Model):
    """What a heading in a report written in Word means: which part of the report its text
    goes to. Matching tolerates case, numbering and small differences of wording."""

    class Target(models.TextChoices):
        EXECUTIVE_SUMMARY = "executive_summary", "Executive Summary"
        RECOMMENDATION = "recommendation", "Recommendation"
        BACKGROUND_AND_ADVICE = "background_and_advice", "Background and Advice"
        CONSULTATIONS = "consultations", "Consultations"
        IMPLICATIONS = "implications", "Implications"
        RISK_MANAGEMENT = "risk_management", "Risk management"
        BACKGROUND_PAPERS = "background_papers", "List of Background Papers (its table)"
        REASON_FOR_PART_II = "reason_for_part_ii", "Reason for inclusion in Part II"
        LEAVE_OUT = "leave_out", "Leave out (not stored)"

    heading = models.CharField(max_length=200, unique=True, help_text='As authors write it: "Risk management".')
    target = models.CharField(max_length=30, choices=Target.choices)
    in_template = models.BooleanField(
        default=True, help_text="Written into the Word template Quorum gives authors (one heading per part)."
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Order in the template.")

    class Meta:
        ordering = ["order", "heading"]
        verbose_name = "Word heading"

    def __str__(self):
        return f"{self.heading} → {self.get_target_display()}"


def appendix_upload_to(instance, filename: str) -> str:
    # Random, unguessable names: restricted files must not be found by guessing (domain rules 9).
    # Always ".pdf": the file was judged a PDF by its content; the name it came with is kept
    # in document_name only.
    return f"appendices/{secrets.token_urlsafe(24)}.pdf"


def cleaned_document_name(name: str) -> str:
    """Where the cleaned copy of the uploaded file stored at `name` is kept: named after it, so
    that a replaced file can never leave a stale copy behind."""
    return f"appendices/cleaned/{PurePath(name).stem}.pdf"


class Appendix(Restrictable):
    """An appendix of a report: an uploaded PDF, rich text, or structured data from another app.

    A structured appendix points (by content type and id) at a frozen snapshot that another
    app registers in committee.appendices; committee/ needs no change when apps plug in.
    """

    class Kind(models.TextChoices):
        DOCUMENT = "document", "Uploaded PDF document"
        RICH_TEXT = "rich_text", "Text (letter or statement)"
        STRUCTURED = "structured", "Structured data (register, performance report, action plan)"

    class Placement(models.TextChoices):
        APPENDIX = "appendix", "Lettered appendix after the report"
        WITHIN_REPORT = "within_report", "Within the report, after the recommendation"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="appendices")
    placement = models.CharField(
        max_length=14, choices=Placement.choices, default=Placement.APPENDIX,
        help_text="Tables can sit within the report itself (the seed's KPI tables do).",
    )  # fmt: skip
    order = models.PositiveSmallIntegerField(default=0, help_text="Order among the report's appendices.")
    letter = models.CharField(max_length=3, blank=True, help_text="A, B, C... (none for tables within the report)")
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DOCUMENT)
    document = models.FileField(
        upload_to=appendix_upload_to, blank=True, validators=[validate_pdf_upload],
        help_text="Readers get a cleaned copy (the pages only); the file as uploaded is kept for officers.",
    )  # fmt: skip
    document_name = models.CharField(
        "original file name", max_length=255, blank=True, editable=False,
        help_text="The name the uploaded file had; its downloads are named after it.",
    )  # fmt: skip
    document_pages = models.PositiveIntegerField(null=True, blank=True, editable=False)
    document_text = models.TextField(blank=True, editable=False, help_text="Extracted for search.")
    body = RichTextField(blank=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, limit_choices_to=content_type_choices
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    structured = GenericForeignKey("content_type", "object_id")
    history = HistoricalRecords()

    class Meta(Restrictable.Meta):
        ordering = ["report", "order", "letter"]
        verbose_name_plural = "appendices"
        constraints = [
            *Restrictable.Meta.constraints,
            models.UniqueConstraint(
                fields=["report", "letter"],
                condition=~Q(letter=""),
                name="appendix_unique_letter",
                violation_error_message="This report already has an appendix with this letter.",
            ),
            models.CheckConstraint(
                name="appendix_lettered_unless_within",
                condition=Q(placement="within_report") | ~Q(letter=""),
                violation_error_message="A lettered appendix needs its letter.",
            ),
            models.CheckConstraint(
                name="appendix_content_matches_kind",
                condition=(
                    (Q(kind="document") & ~Q(document=""))
                    | (Q(kind="rich_text") & ~Q(body=""))
                    | Q(kind="structured", content_type__isnull=False, object_id__isnull=False)
                ),
                violation_error_message="A PDF appendix needs its file, a text appendix its text, "
                "and a structured appendix the data it shows.",
            ),
        ]

    def __str__(self):
        return f"Appendix '{self.letter}': {self.title}" if self.letter else self.title

    @property
    def served_size(self) -> int | None:
        """The size of the copy readers download: the cleaned copy (the file as uploaded
        until a file stored before cleaned copies were kept is first cleaned)."""
        storage = self.document.storage
        for name in (cleaned_document_name(self.document.name), self.document.name):
            try:
                return storage.size(name)
            except OSError:
                continue
        return None

    @property
    def download_name(self) -> str:
        """The file name a download is saved under: the uploaded file's, always as .pdf (a
        file uploaded as "letter.html" must not be saved as HTML)."""
        stem = PurePath(self.document_name).stem if self.document_name else ""
        return f"{stem or f'appendix-{self.letter or self.pk}'}.pdf"


class Minutes(models.Model):
    """The minutes of one meeting: who attended and what was resolved."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    officers_in_attendance = models.TextField(blank=True)
    confirmed_at = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="minutes_confirmed",
        help_text="The meeting at which these minutes were confirmed as a correct record.",
    )  # fmt: skip
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "minutes"

    def __str__(self):
        return f"Minutes of {self.meeting}"

    def clean(self):
        super().clean()
        # Their minutes are of items of their meeting (committee/db_rules.py keeps it in the database).
        saved = self.pk is not None and self.meeting_id is not None
        if saved and self.entries.exclude(agenda_item__meeting_id=self.meeting_id).exists():
            raise ValidationError(
                {"meeting": "These minutes have minutes of this meeting's items: they cannot move to another meeting."}
            )


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PRESENT)
    in_the_chair = models.BooleanField(default=False)
    is_substitute = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "-in_the_chair", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="attendance_unique",
                violation_error_message="This councillor is already in the attendance for this meeting.",
            ),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(in_the_chair=True),
                name="attendance_one_chair",
                violation_error_message="Only one councillor can be in the chair at a meeting.",
            ),
        ]

    def __str__(self):
        return f"{self.member}: {self.get_status_display()}"


class Minute(models.Model):
    """The minute of one agenda item: its account and its resolution."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="entries")
    agenda_item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="minute")
    text = RichTextField(blank=True)
    resolution = RichTextField(blank=True, help_text='"Resolved: That the Cabinet Committee note the report."')
    history = HistoricalRecords()

    class Meta:
        ordering = ["agenda_item__order"]

    def __str__(self):
        return f"Minute {self.agenda_item}"

    def clean(self):
        super().clean()
        # The minutes of one meeting minute the items of that meeting only; the database keeps
        # the same rule by trigger (committee/db_rules.py says why not a constraint).
        minutes = self.minutes if self.minutes_id is not None or Minute.minutes.is_cached(self) else None
        item = self.agenda_item if self.agenda_item_id is not None else None
        if minutes is not None and item is not None and minutes.meeting_id not in (None, item.meeting_id):
            raise ValidationError({"agenda_item": db_rules.MESSAGE})


# The agenda pack -------------------------------------------------------------------------


def agenda_pack_upload_to(instance, filename: str) -> str:
    # Every build writes a new, unguessable file; the pointer (a ready row) moves only when
    # the file is complete, so a failed build never replaces the last good pack.
    return f"packs/{instance.meeting_id}/{secrets.token_urlsafe(24)}.pdf"


class AgendaPack(models.Model):
    """One build of a meeting's agenda pack: a version of the PDF that councillors carry into
    the meeting and the public downloads.

    A row is a build request until its status is ready; only then does it get its version
    number. Ready versions are never changed or deleted (domain rules 10): a correction is a
    new version. Written only by committee.pack.services.
    """

    class Kind(models.TextChoices):
        PUBLIC = "public", "Public pack (Part I)"
        CONFIDENTIAL = "confidential", "Confidential pack (Parts I and II)"

    class Scope(models.TextChoices):
        FULL = "full", "Agenda pack"
        SUPPLEMENTARY = "supplementary", "Supplementary agenda pack"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packs")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    scope = models.CharField(max_length=13, choices=Scope.choices, default=Scope.FULL)
    is_preview = models.BooleanField(
        default=False, help_text="Built before the agenda was published: for officers only, never served publicly."
    )
    number = models.PositiveIntegerField(null=True, blank=True, help_text="Version number, given when ready.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    input_hash = models.CharField(max_length=64, blank=True, help_text="Hash of everything the pack is made from.")
    file = models.FileField(upload_to=agenda_pack_upload_to, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="Bytes.")
    checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the file.")
    page_ranges = models.JSONField(default=dict, blank=True, help_text='{"3": [1, 8]}: item number to pages.')
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent.")
    progress_note = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True, help_text="What to fix, when the build failed.")
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(
        null=True, blank=True, help_text="A rendering build whose lease has run out was interrupted and may be resumed."
    )
    sent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the build's message last reached the message queue. Empty: it has not (the queue was "
        "unreachable); the sweep sends it.",
    )
    front_pages = models.PositiveIntegerField(
        null=True, blank=True, help_text="Pages before the first paper (the front sheet): page 1 of the papers follows."
    )
    timings = models.JSONField(default=dict, blank=True)
    carried = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the version prints, so that it can be withdrawn when any of it stops being public: "
        '{"items": {item id: number printed under}, "appendices": {appendix id: number}}.',
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.TextField(
        blank=True, help_text="Shown to the public at the version's address: say why without revealing exempt content."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "kind", "scope", "-number", "-requested_at"]
        indexes = [models.Index(fields=["meeting", "kind", "scope", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "scope", "is_preview", "number"],
                condition=Q(number__isnull=False),
                name="agendapack_unique_version",
                violation_error_message="This pack already has a version with this number.",
            ),
            # Two requests for the same pack coalesce into the one waiting build.
            models.UniqueConstraint(
                fields=["meeting", "kind", "scope", "is_preview"],
                condition=Q(status="queued"),
                name="agendapack_one_queued",
                violation_error_message="This pack already has a build waiting.",
            ),
            models.CheckConstraint(
                name="agendapack_withdrawn_with_reason",
                condition=Q(withdrawn_at__isnull=True) | (Q(status="ready") & ~Q(withdrawal_reason="")),
                violation_error_message="Only a ready version can be withdrawn, and the withdrawal needs its reason.",
            ),
            # A version withdrawn when its papers were removed at the end of retention has
            # no file left (retention.services): withdrawn, its address answers 410 to all.
            models.CheckConstraint(
                name="agendapack_ready_has_file",
                violation_error_message="A ready version needs its number, its file and its page count.",
                condition=~Q(status="ready")
                | (Q(number__isnull=False) & (~Q(file="") | Q(withdrawn_at__isnull=False)) & Q(pages__isnull=False)),
            ),
        ]

    def __str__(self):
        version = f"version {self.number}" if self.number else self.get_status_display().lower()
        preview = "preview " if self.is_preview else ""
        return f"{self.get_scope_display()}, {preview}{self.get_kind_display()}: {self.meeting} ({version})"

    def get_absolute_url(self):
        return reverse("packs:download", args=[self.pk])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_building(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)

    @property
    def published_at(self):
        """When this version was published, as the meeting page says it. The first version of
        a pack asked for with the agenda is the agenda as published, open to inspection from
        the agenda's publication (the five clear working days count from then: domain rules 2
        and 3), however long after the worker built it (a worker that was down; the demo,
        building the packs of agendas published in 2018). A later version (a correction,
        items added after publication), a supplementary pack, and the first version of a pack
        first asked for later (the confidential pack, once an item was made Part II) were
        published when they became the version served."""
        if self.is_preview or self.finished_at is None:
            return None
        if (
            self.number == 1
            and self.scope == self.Scope.FULL
            and self.meeting.agenda_published_at
            and self.asked_for_with_agenda
        ):
            return min(self.meeting.agenda_published_at, self.finished_at)
        return self.finished_at

    @staticmethod
    def asked_for_with_agenda_q() -> Q:
        """Whether a pack was asked for with the agenda: the public pack always is (it is the
        agenda); another was if it was first asked for before the agenda's public pack was
        first ready (or while it still is not). Not time since the publication: the demo
        builds in 2026 the packs of agendas published in 2018."""
        agenda_pack_ready = AgendaPack.objects.filter(
            meeting=OuterRef(OuterRef("meeting")),
            kind=AgendaPack.Kind.PUBLIC,
            scope=AgendaPack.Scope.FULL,
            is_preview=False,
            number=1,
        ).values("finished_at")[:1]
        asked_before = AgendaPack.objects.filter(
            meeting=OuterRef("meeting"),
            kind=OuterRef("kind"),
            scope=OuterRef("scope"),
            is_preview=False,
            requested_at__lte=Coalesce(Subquery(agenda_pack_ready), Now()),
        )
        return Q(kind=AgendaPack.Kind.PUBLIC) | Exists(asked_before)

    @cached_property
    def asked_for_with_agenda(self) -> bool:
        """AgendaPack.asked_for_with_agenda_q for this version (a list of versions reads it
        with them: committee.pack.selectors.meeting_packs)."""
        if self.kind == self.Kind.PUBLIC:
            return True
        return AgendaPack.objects.filter(self.asked_for_with_agenda_q(), pk=self.pk).exists()

    @property
    def render_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

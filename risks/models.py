"""Risk and opportunity registers.

Officers keep the live register (Register, Entry) up to date. Each quarter a snapshot
(RegisterSnapshot, SnapshotEntry) copies every open entry as it stands, texts, scores and
owner included, so that the register a committee received can be shown and printed exactly,
years later, whatever has happened to the live entries since. Snapshots never point at live
text. Scores follow the council's 5x5 "Key to Scores": likelihood 1-5 by impact 1-5.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.richtext import RichTextField

from .colours import contrast_ratio

LIKELIHOOD = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Certain"}
IMPACT = {1: "Insignificant", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Catastrophic"}
# The seed's Key to Scores: "CATASTROPHIC (for risk) OUTSTANDING (for opportunity)".
OPPORTUNITY_IMPACT = {**IMPACT, 5: "Outstanding"}
# Every score a 5x5 grid can produce (there is no 7, 11, 13...).
POSSIBLE_SCORES = sorted({likelihood * impact for likelihood in LIKELIHOOD for impact in IMPACT})
MIN_CONTRAST = 4.5  # WCAG 2.2 AA for normal text

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Give a colour as #rrggbb, e.g. #b10e1e.")
prefix_validator = RegexValidator(r"^[A-Z]{1,6}$", "Capital letters only, e.g. CR.")


class Kind(models.TextChoices):
    RISK = "risk", "Risk"
    OPPORTUNITY = "opportunity", "Opportunity"


# The column headings of the seed's register, for each kind of entry.
HEADINGS = {
    Kind.RISK: {
        "reference": "Risk Identification Number (RIN)",
        "description": "Description",
        "types": "Risk Type",
        "consequences": "Possible Risk Consequences",
        "controls": "Current Controls",
        "score": "Risk Score",
        "actions": "Mitigating Actions",
        "residual": "Residual Score",
        "owner": "Risk Owner",
        "direction": "Direction of Travel",
    },
    Kind.OPPORTUNITY: {
        "reference": "Opportunity Identification Number",
        "description": "Opportunity Description",
        "types": "Opportunity Type",
        "consequences": "Possible Benefits",
        "controls": "Progress to date",
        "score": "Opportunity Score",
        "actions": "Maximising Actions",
        "residual": "Residual Opportunity Score",
        "owner": "Opportunity Owner",
        "direction": "Direction of Travel",
    },
}


class Direction(models.TextChoices):
    """Direction of travel of the residual score against the previous snapshot."""

    NEW = "new", "New"
    UP = "up", "Up"
    DOWN = "down", "Down"
    LEVEL = "level", "Level"


DIRECTION_MEANING = {
    # A rising risk is worse; a rising opportunity is better.
    (Kind.RISK, Direction.UP): "Up: the risk has increased",
    (Kind.RISK, Direction.DOWN): "Down: the risk has reduced",
    (Kind.OPPORTUNITY, Direction.UP): "Up: the opportunity has improved",
    (Kind.OPPORTUNITY, Direction.DOWN): "Down: the opportunity has reduced",
}


def direction_of_travel(*, previous_score: int | None, score: int) -> str:
    if previous_score is None:
        return Direction.NEW
    if score > previous_score:
        return Direction.UP
    if score < previous_score:
        return Direction.DOWN
    return Direction.LEVEL


class Register(models.Model):
    """A register of risks and opportunities: the corporate one, or a directorate's."""

    name = models.CharField(max_length=200, unique=True, help_text='"Corporate Risk and Opportunity Register"')
    slug = models.SlugField(max_length=100, unique=True, help_text="Short name used in addresses and imports.")
    description = models.TextField(blank=True)
    risk_prefix = models.CharField(
        max_length=6, default="CR", validators=[prefix_validator], help_text="References of risks: CR1, CR2..."
    )
    opportunity_prefix = models.CharField(
        max_length=6, default="CO", validators=[prefix_validator], help_text="References of opportunities: CO1..."
    )
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="register_prefixes_differ",
                condition=~Q(risk_prefix=F("opportunity_prefix")),
                violation_error_message="Risks and opportunities need different reference prefixes.",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("risks:index") + f"#register-{self.slug}"

    def prefix_for(self, kind: str) -> str:
        return self.opportunity_prefix if kind == Kind.OPPORTUNITY else self.risk_prefix


class ScoreBand(models.Model):
    """A band of the Key to Scores (Low, Medium, High) with its colours, per register."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="bands")
    name = models.CharField(max_length=30, help_text='Shown as text beside the colour: "High".')
    min_score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(25)])
    max_score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(25)])
    colour = models.CharField(max_length=7, validators=[hex_colour], help_text="Background, #rrggbb.")
    text_colour = models.CharField(
        max_length=7,
        default="#0b0c0c",
        validators=[hex_colour],
        help_text=f"Text on that background; the pair must reach {MIN_CONTRAST}:1 contrast.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["register", "min_score"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "name"],
                name="scoreband_unique_name",
                violation_error_message="This register already has a band with this name.",
            ),
            models.CheckConstraint(
                name="scoreband_range",
                condition=Q(min_score__gte=1, max_score__lte=25, min_score__lte=F("max_score")),
                violation_error_message="A band runs from a lower to a higher score, within 1 to 25.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.min_score}-{self.max_score})"

    def clean(self):
        if hex_colour.regex.match(self.colour or "") and hex_colour.regex.match(self.text_colour or ""):
            ratio = contrast_ratio(self.colour, self.text_colour)
            if ratio < MIN_CONTRAST:
                raise ValidationError(
                    {
                        "text_colour": f"Text on this background has a contrast of {ratio:.1f}:1; it needs {MIN_CONTRAST}:1."
                    },
                    code="contrast",
                )

    def as_data(self) -> dict:
        """The band as a snapshot keeps it."""
        return {
            "name": self.name,
            "min_score": self.min_score,
            "max_score": self.max_score,
            "colour": self.colour,
            "text_colour": self.text_colour,
        }


class RiskType(models.Model):
    """Economic, Social, Organisational, Political, Legal, Reputational... (several may apply)."""

    name = models.CharField(max_length=60, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


def _score_constraints(position: str) -> list[models.BaseConstraint]:
    """The database's own refusals for one scored position ("inherent" or "residual")."""
    likelihood, impact, score = f"{position}_likelihood", f"{position}_impact", f"{position}_score"
    return [
        models.CheckConstraint(
            name=f"%(app_label)s_%(class)s_{position}_likelihood_1_5",
            condition=Q(**{f"{likelihood}__isnull": True}) | Q(**{f"{likelihood}__gte": 1, f"{likelihood}__lte": 5}),
            violation_error_message="Likelihood is rated 1 to 5.",
        ),
        models.CheckConstraint(
            name=f"%(app_label)s_%(class)s_{position}_impact_1_5",
            condition=Q(**{f"{impact}__isnull": True}) | Q(**{f"{impact}__gte": 1, f"{impact}__lte": 5}),
            violation_error_message="Impact is rated 1 to 5.",
        ),
        models.CheckConstraint(
            name=f"%(app_label)s_%(class)s_{position}_rated_in_pairs",
            condition=Q(**{f"{likelihood}__isnull": True, f"{impact}__isnull": True})
            | Q(**{f"{likelihood}__isnull": False, f"{impact}__isnull": False}),
            violation_error_message="Give both likelihood and impact, or neither.",
        ),
        models.CheckConstraint(
            name=f"%(app_label)s_%(class)s_{position}_score_possible",
            condition=Q(**{f"{score}__in": POSSIBLE_SCORES}),
            violation_error_message="A score is likelihood x impact, so one of "
            + ", ".join(map(str, POSSIBLE_SCORES))
            + ".",
        ),
        models.CheckConstraint(
            name=f"%(app_label)s_%(class)s_{position}_score_is_product",
            condition=Q(**{f"{likelihood}__isnull": True}) | Q(**{score: F(likelihood) * F(impact)}),
            violation_error_message="The score must be likelihood x impact.",
        ),
    ]


LIKELIHOOD_CHOICES = [(n, f"{n} - {label}") for n, label in LIKELIHOOD.items()]
IMPACT_CHOICES = [(n, f"{n} - {label}") for n, label in IMPACT.items() if n < 5] + [
    (5, "5 - Catastrophic (risk) / Outstanding (opportunity)")
]


class Scored(models.Model):
    """The current (inherent) and residual positions of an entry.

    A registered score is likelihood x impact. An imported register may publish only the
    score (the seed does): then likelihood and impact stay empty and the entry is shown as
    "likelihood and impact not recorded", never placed in an invented cell.
    """

    POSITIONS = ("inherent", "residual")
    # The score fields in the register's column order (forms, imports and snapshots list
    # them from here).
    SCORE_FIELDS = tuple(f"{position}_{part}" for position in POSITIONS for part in ("likelihood", "impact", "score"))

    inherent_likelihood = models.PositiveSmallIntegerField(
        "likelihood (current)", null=True, blank=True, choices=LIKELIHOOD_CHOICES
    )
    inherent_impact = models.PositiveSmallIntegerField(
        "impact (current)", null=True, blank=True, choices=IMPACT_CHOICES
    )
    inherent_score = models.PositiveSmallIntegerField(
        "risk score (current)",
        blank=True,
        help_text="Likelihood x impact, worked out for you when both are given; "
        "give the score alone only when likelihood and impact are not known.",
    )
    residual_likelihood = models.PositiveSmallIntegerField(
        "likelihood (residual)", null=True, blank=True, choices=LIKELIHOOD_CHOICES
    )
    residual_impact = models.PositiveSmallIntegerField(
        "impact (residual)", null=True, blank=True, choices=IMPACT_CHOICES
    )
    residual_score = models.PositiveSmallIntegerField(
        "residual score",
        blank=True,
        help_text="After the mitigating (or maximising) actions.",
    )

    class Meta:
        abstract = True
        constraints = [*_score_constraints("inherent"), *_score_constraints("residual")]

    def clean(self):
        errors = {}
        for position in self.POSITIONS:
            likelihood = getattr(self, f"{position}_likelihood")
            impact = getattr(self, f"{position}_impact")
            score = getattr(self, f"{position}_score")
            if (likelihood is None) != (impact is None):
                missing = "impact" if impact is None else "likelihood"
                errors[f"{position}_{missing}"] = "Give both likelihood and impact, or neither."
            elif likelihood is not None:
                if score is None:
                    # The score is the product: fill it in so officers never type it twice.
                    setattr(self, f"{position}_score", likelihood * impact)
                elif score != likelihood * impact:
                    errors[f"{position}_score"] = (
                        f"Likelihood {likelihood} x impact {impact} is {likelihood * impact}, not {score}."
                    )
            elif score is None:
                errors[f"{position}_score"] = "Give likelihood and impact, or the score alone if only that is known."
            elif score not in POSSIBLE_SCORES:
                errors[f"{position}_score"] = "A score is likelihood x impact, so one of " + ", ".join(
                    map(str, POSSIBLE_SCORES)
                )
        if errors:
            raise ValidationError(errors)

    @property
    def inherent_placed(self) -> bool:
        return self.inherent_likelihood is not None

    @property
    def residual_placed(self) -> bool:
        return self.residual_likelihood is not None

    @property
    def headings(self) -> dict:
        return HEADINGS[Kind(self.kind)]

    def impact_label(self, impact: int | None) -> str:
        labels = OPPORTUNITY_IMPACT if self.kind == Kind.OPPORTUNITY else IMPACT
        return labels.get(impact, "")

    def _position_words(self, position: str) -> str:
        likelihood = getattr(self, f"{position}_likelihood")
        impact = getattr(self, f"{position}_impact")
        if likelihood is None:
            return "likelihood and impact not recorded"
        return f"likelihood {likelihood} ({LIKELIHOOD[likelihood]}) × impact {impact} ({self.impact_label(impact)})"

    @property
    def inherent_words(self) -> str:
        return self._position_words("inherent")

    @property
    def residual_words(self) -> str:
        return self._position_words("residual")


class Entry(Scored):
    """A live risk or opportunity, kept up to date by its owner's officers."""

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.RISK)
    reference = models.CharField(
        max_length=12, help_text="Unique in the register; its prefix follows the kind: CR1 (risk), CO1 (opportunity)."
    )
    number = models.PositiveIntegerField(
        editable=False, help_text="The reference's number, for ordering CR2 before CR10."
    )
    title = models.CharField(max_length=400, help_text='The short description: "Protect and safeguard children".')
    description = RichTextField(blank=True, help_text="More of the description, e.g. numbered sub-parts.")
    risk_types = models.ManyToManyField(RiskType, blank=True, related_name="entries", verbose_name="types")
    consequences = RichTextField("possible consequences (risk) or benefits (opportunity)", blank=True)
    controls = RichTextField("current controls (risk) or progress to date (opportunity)", blank=True)
    actions = RichTextField("mitigating actions (risk) or maximising actions (opportunity)", blank=True)
    owner = models.CharField(
        max_length=300, help_text='As the register names them: "Director of Children\'s Services".'
    )
    direction_note = models.TextField(
        "direction of travel, in words",
        blank=True,
        help_text="The officer's words for this quarter, copied into the next snapshot: "
        '"This is a new risk that is being monitored by both the Priorities Board and CMT".',
    )
    committee_summary = models.TextField(
        "summary for the covering report",
        blank=True,
        help_text="One line after the description in the covering report's table: \"Further mitigating actions "
        'added. Residual risk score remains unchanged." Left blank, a sentence giving the score is used.',
    )
    is_open = models.BooleanField("open", default=True, help_text="Closed entries are left out of new snapshots.")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[risk_types])

    class Meta(Scored.Meta):
        verbose_name_plural = "entries"
        # Risks before opportunities ("risk" sorts after "opportunity"), then by number.
        ordering = ["register", "-kind", "number"]
        constraints = [
            *Scored.Meta.constraints,
            models.UniqueConstraint(
                fields=["register", "reference"],
                name="entry_unique_reference",
                violation_error_message="This register already has an entry with this reference.",
            ),
            models.CheckConstraint(
                name="entry_kind_valid",
                violation_error_message="Choose risk or opportunity.",
                condition=Q(kind__in=Kind.values),
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        self.reference = (self.reference or "").strip().upper()
        if self.register_id and self.kind in Kind.values:
            prefix = self.register.prefix_for(self.kind)
            match = re.fullmatch(rf"{re.escape(prefix)}([1-9][0-9]*)", self.reference)
            if match is None:
                errors.setdefault("reference", []).append(
                    f"A {Kind(self.kind).label.lower()} in this register is numbered {prefix}1, {prefix}2..."
                )
            else:
                self.number = int(match.group(1))
        if errors:
            raise ValidationError(errors)


class RegisterSnapshot(models.Model):
    """The register as it stood when taken for a quarter ("Q1 2018/19"), as reported.

    Its entries are copies. While unlocked, officers may still word the direction of travel
    and the covering report's summary; once locked nothing in it can change.
    """

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="snapshots")
    period_label = models.CharField(max_length=50, help_text='"Q1 2018/19"')
    register_name = models.CharField(max_length=200, help_text="The register's name when the snapshot was taken.")
    bands = models.JSONField(default=list, help_text="The Key to Scores bands when the snapshot was taken.")
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The snapshot the direction of travel was worked out against.",
    )
    taken_at = models.DateTimeField()
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["register", "-taken_at", "-pk"]
        get_latest_by = "taken_at"
        permissions = [("lock_registersnapshot", "Can lock a register snapshot as reported")]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "period_label"],
                name="snapshot_unique_period",
                violation_error_message="This register already has a snapshot for this period.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("risks:snapshot-detail", args=[self.pk])

    @property
    def title(self) -> str:
        return f"{self.register_name} {self.period_label}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class SnapshotEntry(Scored):
    """One entry of a snapshot: a copy of the live entry's texts, scores and owner."""

    snapshot = models.ForeignKey(RegisterSnapshot, on_delete=models.CASCADE, related_name="entries")
    entry = models.ForeignKey(
        Entry,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="snapshot_entries",
        help_text="The live entry this was copied from (kept only to follow it across quarters).",
    )
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reference = models.CharField(max_length=12)
    title = models.CharField(max_length=400)
    description = RichTextField(blank=True)
    consequences = RichTextField(blank=True)
    controls = RichTextField(blank=True)
    actions = RichTextField(blank=True)
    owner = models.CharField(max_length=300)
    direction = models.CharField("direction of travel", max_length=8, choices=Direction.choices, default=Direction.NEW)
    previous_residual_score = models.PositiveSmallIntegerField(null=True, blank=True)
    direction_note = models.TextField("direction of travel, in words", blank=True)
    committee_summary = models.TextField("summary for the covering report", blank=True)
    history = HistoricalRecords()

    class Meta(Scored.Meta):
        verbose_name_plural = "snapshot entries"
        ordering = ["snapshot", "position"]
        constraints = [
            *Scored.Meta.constraints,
            models.UniqueConstraint(
                fields=["snapshot", "reference"],
                name="snapshotentry_unique_reference",
                violation_error_message="This snapshot already has an entry with this reference.",
            ),
            models.UniqueConstraint(
                fields=["snapshot", "position"],
                name="snapshotentry_unique_position",
                violation_error_message="This snapshot already has an entry in this position.",
            ),
            models.CheckConstraint(
                name="snapshotentry_kind_valid",
                violation_error_message="Choose risk or opportunity.",
                condition=Q(kind__in=Kind.values),
            ),
            models.CheckConstraint(
                name="snapshotentry_direction_valid",
                violation_error_message="Choose one of the directions of travel.",
                condition=Q(direction__in=Direction.values),
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self):
        return reverse("risks:snapshot-entry", args=[self.snapshot_id, self.reference])

    def clean(self):
        super().clean()
        if self.snapshot_id and RegisterSnapshot.objects.filter(pk=self.snapshot_id, locked_at__isnull=False).exists():
            raise ValidationError("This snapshot is locked as reported: it cannot be changed.", code="locked")

    @property
    def direction_meaning(self) -> str:
        """The computed direction in words; its sense depends on the kind (up is worse for a
        risk, better for an opportunity)."""
        if self.direction == Direction.NEW:
            if self.snapshot.previous_id is None:
                return "New: the register's first snapshot"
            return "New: not in the previous snapshot"
        if self.direction == Direction.LEVEL:
            return "Level: residual score unchanged"
        return DIRECTION_MEANING[(Kind(self.kind), Direction(self.direction))]

    @property
    def risk_types_display(self) -> str:
        # Reads the prefetched rows (selectors prefetch "risk_types").
        return "/".join(t.name for t in self.risk_types.all())

    @property
    def summary_sentence(self) -> str:
        """The covering report's words, or a plain sentence giving the residual score."""
        if self.committee_summary:
            return self.committee_summary
        if self.kind == Kind.OPPORTUNITY:
            return f"This opportunity has a residual score of {self.residual_score}."
        return f"Allowing for mitigating actions the residual score is {self.residual_score}."


class SnapshotEntryRiskType(models.Model):
    """A type of a snapshot entry, copied by name (renaming a live type changes no snapshot)."""

    snapshot_entry = models.ForeignKey(SnapshotEntry, on_delete=models.CASCADE, related_name="risk_types")
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["snapshot_entry", "name"]
        constraints = [models.UniqueConstraint(fields=["snapshot_entry", "name"], name="snapshotentrytype_unique")]

    def __str__(self):
        return self.name


class SnapshotSummary(models.Model):
    """The covering report's table of the entries whose residual score is at or above a
    threshold ("the residual risk score for the following entries are 12 or above"),
    generated from a snapshot. Attached to a report within the report itself."""

    snapshot = models.ForeignKey(RegisterSnapshot, on_delete=models.PROTECT, related_name="summaries")
    threshold = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(25)],
        help_text="Entries whose residual score is this or above are listed.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "snapshot summary table"
        verbose_name_plural = "snapshot summary tables"
        ordering = ["snapshot", "threshold"]
        constraints = [
            models.CheckConstraint(
                name="snapshotsummary_threshold_1_25",
                violation_error_message="The threshold is a score from 1 to 25.",
                condition=Q(threshold__gte=1, threshold__lte=25),
            ),
            models.UniqueConstraint(
                fields=["snapshot", "threshold"],
                name="snapshotsummary_unique",
                violation_error_message="This snapshot already has a summary with this threshold.",
            ),
        ]

    def __str__(self):
        return f"{self.snapshot}: residual score {self.threshold} or above"

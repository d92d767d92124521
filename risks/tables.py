"""The register page's table and its exports (CSV and XLSX).

The page shows the short columns; the long texts are on each entry's page. The exports carry
every column, the long texts as plain lines with their bullets.
"""

import django_tables2 as tables
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from .text import html_to_text


def _band_chip(score, band):
    if band is None:
        return format_html("<strong>{}</strong>", score)
    return format_html(
        '<strong class="band" style="background-color: {}; color: {}; padding: 0 0.3em; white-space: nowrap">{} {}</strong>',
        band.colour,
        band.text_colour,
        score,
        band.name,
    )


class TextColumn(tables.Column):
    """A rich-text column that only the exports carry, as plain text."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("visible", False)
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)

    def value(self, value):
        return html_to_text(value)


class SnapshotEntryTable(tables.Table):
    reference = tables.Column("Reference", linkify=True, order_by=("position",))
    kind = tables.Column("Risk or opportunity")
    title = tables.Column("Description")
    risk_types = tables.Column("Type", empty_values=(), orderable=False)
    owner = tables.Column("Owner")
    inherent_score = tables.Column("Risk score")
    residual_score = tables.Column("Residual score")
    direction = tables.Column("Direction of travel")

    # Export only: everything the appendix shows, and the likelihood and impact.
    description = TextColumn("Description (more)")
    consequences = TextColumn("Possible consequences or benefits")
    controls = TextColumn("Current controls or progress to date")
    actions = TextColumn("Mitigating or maximising actions")
    inherent_likelihood = tables.Column("Likelihood (current)", visible=False)
    inherent_impact = tables.Column("Impact (current)", visible=False)
    inherent_band = tables.Column("Band (current)", visible=False, accessor="inherent_band__name", default="")
    residual_likelihood = tables.Column("Likelihood (residual)", visible=False)
    residual_impact = tables.Column("Impact (residual)", visible=False)
    residual_band = tables.Column("Band (residual)", visible=False, accessor="residual_band__name", default="")
    direction_note = tables.Column("Direction of travel (officer's words)", visible=False)
    committee_summary = tables.Column("Summary for the covering report", visible=False)

    class Meta:
        template_name = "risks/_table.html"
        orderable = True
        empty_text = "No entry matches these filters."
        default = ""

    def __init__(self, *args, caption: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption

    def render_kind(self, record):
        return record.get_kind_display()

    def render_risk_types(self, record):
        # A line may break after each slash: "Economic/Political/Social" is one long word.
        return mark_safe("/<wbr>".join(conditional_escape(t.name) for t in record.risk_types.all()))  # noqa: S308 - names escaped

    def value_risk_types(self, record):
        return record.risk_types_display

    def render_inherent_score(self, record):
        return _band_chip(record.inherent_score, record.inherent_band)

    def value_inherent_score(self, record):
        return record.inherent_score

    def render_residual_score(self, record):
        return _band_chip(record.residual_score, record.residual_band)

    def value_residual_score(self, record):
        return record.residual_score

    def render_direction(self, record):
        if record.direction_note:
            return format_html("{}<br><small>Worked out: {}</small>", record.direction_note, record.direction_meaning)
        return record.direction_meaning

    def value_direction(self, record):
        return record.direction_meaning

    # Likelihood and impact as numbers (their choices would otherwise export as words).
    def value_inherent_likelihood(self, record):
        return record.inherent_likelihood

    def value_inherent_impact(self, record):
        return record.inherent_impact

    def value_residual_likelihood(self, record):
        return record.residual_likelihood

    def value_residual_impact(self, record):
        return record.residual_impact

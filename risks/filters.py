"""The register page's filters: kind, type, owner and a minimum residual score."""

import django_filters
from django import forms

from .models import Kind, SnapshotEntry


class SnapshotEntryFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="Risks or opportunities", choices=Kind.choices, empty_label="Risks and opportunities"
    )
    risk_type = django_filters.ChoiceFilter(label="Type", method="filter_risk_type", empty_label="Any type")
    # Owners are named at length ("Overall Risk Owner is CMT however..."): keep the box on a phone's screen.
    owner = django_filters.ChoiceFilter(
        label="Owner", empty_label="Any owner", widget=forms.Select(attrs={"style": "max-width: 100%"})
    )
    min_residual = django_filters.NumberFilter(
        label="Minimum residual score",
        field_name="residual_score",
        lookup_expr="gte",
        widget=forms.NumberInput(attrs={"min": 1, "max": 25, "inputmode": "numeric"}),
    )

    class Meta:
        model = SnapshotEntry
        fields = ["kind", "risk_type", "owner", "min_residual"]

    def __init__(self, *args, owners: list[str] = (), types: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        # The choices are the owners and types that occur in this snapshot.
        self.filters["owner"].extra["choices"] = [(owner, owner) for owner in owners]
        self.filters["risk_type"].extra["choices"] = [(name, name) for name in types]

    def filter_risk_type(self, queryset, name, value):
        return queryset.filter(risk_types__name=value)

"""The API's forward plan entries and decisions: a public surface, so it always reads as
`Reader.public()` through the gate (published notices only; no decision on a Part II item)."""

import django_filters
from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from committee import gate
from committee.portal.api import UpdatedFilter

from . import selectors
from .models import Decision, ForwardPlanEntry

PUBLIC = gate.Reader.public()


class PlanEntryFilter(UpdatedFilter):
    due_from = django_filters.DateFilter(field_name="decision_due", lookup_expr="gte")
    due_to = django_filters.DateFilter(field_name="decision_due", lookup_expr="lte")

    class Meta:
        model = ForwardPlanEntry
        fields = ["status", "is_key_decision"]


class PlanEntrySerializer(serializers.ModelSerializer):
    decision_maker = serializers.CharField(source="maker", read_only=True)
    key_decision_grounds = serializers.ListField(child=serializers.CharField(), read_only=True)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = ForwardPlanEntry
        fields = [
            "id", "reference", "title", "summary", "decision_maker", "status", "decision_due", "decision_due_end",
            "is_key_decision", "key_decision_grounds", "in_private", "private_reasons", "documents",
            "how_to_get_documents", "notice_published_on", "web_url", "updated_at",
        ]  # fmt: skip


class PlanEntryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanEntrySerializer
    filterset_class = PlanEntryFilter

    def get_queryset(self) -> QuerySet:
        return selectors.plan_entries(PUBLIC).order_by("decision_due", "reference")


class DecisionFilter(UpdatedFilter):
    decided_from = django_filters.DateFilter(field_name="decided_on", lookup_expr="gte")
    decided_to = django_filters.DateFilter(field_name="decided_on", lookup_expr="lte")

    class Meta:
        model = Decision
        fields = ["is_key_decision"]


class DecisionSerializer(serializers.ModelSerializer):
    decision_maker = serializers.CharField(source="maker", read_only=True)
    # A decision that is not a key decision may have no forward plan entry: null, and the
    # schema says so.
    forward_plan_reference = serializers.CharField(
        source="plan_entry.reference", default=None, allow_null=True, read_only=True
    )
    agenda_item = serializers.SerializerMethodField()
    notice_published_on = serializers.DateField(source="notice.published_on", read_only=True)
    call_in_deadline = serializers.DateField(source="notice.call_in_deadline", read_only=True)
    may_be_implemented_from = serializers.DateField(source="notice.may_be_implemented_from", read_only=True)
    status = serializers.SerializerMethodField()
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id", "title", "decision_maker", "decided_on", "decision", "reasons", "alternatives_rejected",
            "is_key_decision", "is_urgent", "forward_plan_reference", "agenda_item", "notice_published_on",
            "call_in_deadline", "may_be_implemented_from", "status", "web_url", "updated_at",
        ]  # fmt: skip

    def get_agenda_item(self, decision) -> str | None:
        item = decision.agenda_item
        return None if item is None else f"{item.meeting.get_absolute_url()}#item-{item.number}"

    def get_status(self, decision) -> str:
        return selectors.status_of(decision)


class DecisionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter

    def get_queryset(self) -> QuerySet:
        return selectors.decisions(PUBLIC).order_by("-decided_on", "-pk")

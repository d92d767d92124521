"""The API's members' interests: each councillor's register as last published (the public
columns only: a sensitive interest is there as withheld, without its details) and the
declarations made at meetings, where their agenda item is public. Always read as
`Reader.public()` through committee.gate, whoever is signed in (as committee.portal.api)."""

import django_filters
from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from committee import gate
from committee.portal.api import UpdatedFilter
from core.api import IdFilter

from . import selectors
from .models import Declaration, RegisterVersion

PUBLIC = gate.Reader.public()


class RegisterEntrySerializer(serializers.Serializer):
    category = serializers.CharField()
    category_display = serializers.CharField()
    withheld = serializers.BooleanField(help_text="A sensitive interest (s.32): its details are withheld.")
    description = serializers.CharField(help_text="Empty when withheld.")


class RegisterSerializer(serializers.ModelSerializer):
    member = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    version = serializers.IntegerField(source="number")
    entries = RegisterEntrySerializer(many=True, read_only=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = RegisterVersion
        fields = ["member", "version", "published_at", "entries", "web_url", "updated_at"]

    def get_web_url(self, version) -> str:
        return self.context["request"].build_absolute_uri(version.get_absolute_url())


class RegisterFilter(UpdatedFilter):
    class Meta:
        model = RegisterVersion
        fields: list[str] = []


class InterestViewSet(viewsets.ReadOnlyModelViewSet):
    """The register of members' interests: one entry per councillor, as last published."""

    serializer_class = RegisterSerializer
    filterset_class = RegisterFilter
    lookup_field = "member__slug"
    lookup_url_kwarg = "member"

    def get_queryset(self) -> QuerySet:
        return selectors.current_registers()


class DeclarationFilter(UpdatedFilter):
    meeting = IdFilter(field_name="agenda_item__meeting__id")
    member = django_filters.CharFilter(field_name="member__slug")
    committee = django_filters.CharFilter(field_name="agenda_item__meeting__committee__slug")

    class Meta:
        model = Declaration
        fields = ["kind"]


class DeclarationSerializer(serializers.ModelSerializer):
    member = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    meeting = serializers.IntegerField(source="agenda_item.meeting_id")
    item_number = serializers.CharField(source="agenda_item.number")
    item_title = serializers.CharField(source="agenda_item.title")
    sensitive = serializers.BooleanField(source="is_sensitive")
    dispensation = serializers.SerializerMethodField()

    class Meta:
        model = Declaration
        fields = [
            "id", "meeting", "agenda_item", "item_number", "item_title", "member", "kind", "nature",
            "sensitive", "left_room", "dispensation", "updated_at",
        ]  # fmt: skip

    def get_dispensation(self, declaration) -> dict | None:
        d = declaration.dispensation
        if d is None:
            return None
        return {"granted_by": d.granted_by, "valid_from": d.valid_from, "valid_to": d.valid_to, "for_what": d.for_what}


class DeclarationViewSet(viewsets.ReadOnlyModelViewSet):
    """Interests declared at meetings, where the agenda item is public."""

    serializer_class = DeclarationSerializer
    filterset_class = DeclarationFilter

    def get_queryset(self) -> QuerySet:
        return selectors.declarations(PUBLIC)

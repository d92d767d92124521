"""A read-only JSON API for committees, members, meetings, agenda items and documents.

It is a public surface: it always reads as `Reader.public()` through committee.gate, whoever
is signed in, so a Part II item appears with its number, title and exempt paragraphs only
(its text and report are never loaded: the gate's annotations carry only what may be read). Lists are paginated,
filterable by committee and date, and `modified_since` returns what changed since a client's
last sync. Responses carry ETag; Last-Modified, and the answer to If-Modified-Since, are the
page cache's, by when public content last changed (docs/caching.md): the newest `updated_at`
of the rows a list shows cannot see a row that left it.
"""

import django_filters
from django.db.models import Q, QuerySet
from django.urls import reverse
from rest_framework import mixins, serializers, viewsets

from committee import gate, selectors
from committee.models import AgendaItem, Appendix, Committee, Meeting, Member, Membership, Report
from core import api_listings
from core.api import IdFilter, UTCIsoDateTimeFilter
from core.models import ApiListing

PUBLIC = gate.Reader.public()


class UpdatedFilter(django_filters.FilterSet):
    modified_since = UTCIsoDateTimeFilter(
        method="changed_since",
        label=(
            "Changed, or newly listed, after this time (ISO 8601, with its offset, e.g. 2026-12-01T09:00:00Z); "
            "records that left the list since then are in /api/withdrawals/"
        ),
    )

    def changed_since(self, queryset: QuerySet, name: str, since) -> QuerySet:
        """Rows changed since, and rows the API began to list again, or whose nested content
        changed, since (core/api_listings.py: a row need not change to appear or to change)."""
        api_listings.sweep()
        return queryset.filter(Q(updated_at__gt=since) | Q(pk__in=api_listings.moved_since(queryset.model, since)))


class CommitteeFilter(UpdatedFilter):
    class Meta:
        model = Committee
        fields = ["kind", "is_active"]


class MemberFilter(UpdatedFilter):
    class Meta:
        model = Member
        fields = ["party"]


# Committees and members ----------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    member = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    committee = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Membership
        fields = ["committee", "member", "role", "start_date", "end_date"]


class CommitteeSerializer(serializers.HyperlinkedModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:committee-detail", lookup_field="slug")
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Committee
        fields = ["url", "slug", "name", "kind", "purpose", "is_active", "memberships", "web_url", "updated_at"]


class CommitteeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CommitteeSerializer
    lookup_field = "slug"
    filterset_class = CommitteeFilter

    def get_queryset(self) -> QuerySet:
        return Committee.objects.prefetch_related("memberships__member", "memberships__committee").order_by("name")

    def listing_parts(self, listed: QuerySet) -> dict[int, list[tuple]]:
        """A committee's memberships as the API shows them (a change to one leaves the
        committee's row as it was)."""
        return _nested(Membership.objects.filter(committee__in=listed), "committee_id",
                       ("member__slug", "role", "start_date", "end_date"))  # fmt: skip


class MemberSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:member-detail", lookup_field="slug")
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Member
        fields = ["url", "slug", "title", "name", "honours", "party", "electoral_division", "web_url", "updated_at"]


class MemberViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MemberSerializer
    lookup_field = "slug"
    filterset_class = MemberFilter

    def get_queryset(self) -> QuerySet:
        return Member.objects.select_related("division").order_by("name")


# Meetings and agendas -----------------------------------------------------------------------


class MeetingFilter(UpdatedFilter):
    committee = django_filters.CharFilter(field_name="committee__slug")
    date_from = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte")

    class Meta:
        model = Meeting
        fields = ["status"]


class MeetingSerializer(serializers.HyperlinkedModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    venue = serializers.CharField(source="venue.__str__", read_only=True)
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:meeting-detail")

    class Meta:
        model = Meeting
        fields = [
            "url",
            "id",
            "committee",
            "starts_at",
            "venue",
            "status",
            "status_reason",
            "agenda_published_at",
            "publication_deadline",
            "web_url",
            "updated_at",
        ]


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self) -> QuerySet:
        return selectors.meeting_list().order_by("-starts_at", "pk")


class AgendaItemFilter(UpdatedFilter):
    meeting = IdFilter(field_name="meeting__id")
    committee = django_filters.CharFilter(field_name="meeting__committee__slug")
    date_from = django_filters.DateFilter(field_name="meeting__starts_at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="meeting__starts_at", lookup_expr="date__lte")

    class Meta:
        model = AgendaItem
        fields = ["kind"]


class AgendaItemSerializer(serializers.ModelSerializer):
    """A Part II item: number, title, paragraphs. Its text and report are not in the API: the
    gate annotates each item with `readable`, `readable_text` and `readable_report_id`."""

    part = serializers.SerializerMethodField()
    exempt_paragraphs = serializers.ListField(source="paragraph_numbers", child=serializers.IntegerField())
    standing_text = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "meeting",
            "order",
            "number",
            "title",
            "kind",
            "part",
            "exempt_paragraphs",
            "standing_text",
            "report",
            "updated_at",
        ]

    def get_part(self, item) -> str:
        return "II" if item.is_restricted else "I"

    def get_standing_text(self, item) -> str:
        return str(item.readable_text or "")

    def get_report(self, item) -> str | None:
        if item.readable_report_id is None:
            return None
        return self.context["request"].build_absolute_uri(
            reverse("committee:report-detail", args=[item.readable_report_id])
        )


class AgendaItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgendaItemSerializer
    filterset_class = AgendaItemFilter

    def get_queryset(self) -> QuerySet:
        return selectors.published_agenda_items(PUBLIC).order_by("meeting_id", "order")


class DocumentFilter(UpdatedFilter):
    committee = django_filters.CharFilter(field_name="agenda_item__meeting__committee__slug")
    meeting = IdFilter(field_name="agenda_item__meeting__id")
    date_from = django_filters.DateFilter(field_name="agenda_item__meeting__starts_at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="agenda_item__meeting__starts_at", lookup_expr="date__lte")

    class Meta:
        model = Report
        fields: list[str] = []


class AppendixSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Appendix
        fields = ["letter", "title", "kind", "placement", "document_pages", "download"]

    def get_download(self, appendix) -> str | None:
        if appendix.kind != Appendix.Kind.DOCUMENT:
            return None
        return self.context["request"].build_absolute_uri(reverse("committee:appendix-document", args=[appendix.pk]))


class DocumentSerializer(serializers.ModelSerializer):
    """A published Part I report with its sections and its public appendices."""

    meeting = serializers.IntegerField(source="agenda_item.meeting_id")
    item_number = serializers.CharField(source="agenda_item.number")
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)
    appendices = AppendixSerializer(source="public_appendices", many=True, read_only=True)
    sections = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "meeting",
            "item_number",
            "title",
            "report_of",
            "first_published_at",
            "updated_at",
            "web_url",
            "sections",
            "appendices",
        ]

    def get_sections(self, report) -> dict:
        return {name: str(getattr(report, name)) for name, _ in Report.SECTIONS}


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter

    def get_queryset(self) -> QuerySet:
        from django.db.models import Prefetch

        return (
            selectors.reports_readable(PUBLIC)
            .select_related("agenda_item")
            .prefetch_related(
                Prefetch(
                    "appendices",
                    queryset=Appendix.objects.filter(gate.appendix_q(PUBLIC)),
                    to_attr="public_appendices",
                )
            )
            .order_by("-first_published_at", "pk")
        )

    def listing_parts(self, listed: QuerySet) -> dict[int, list[tuple]]:
        """A report's public appendices as the API shows them: one made exempt, deleted,
        moved or retitled leaves the report's row as it was."""
        shown = [name for name in AppendixSerializer.Meta.fields if name != "download"]
        public = Appendix.objects.filter(gate.appendix_q(PUBLIC), report__in=listed)
        return _nested(public, "report_id", ("pk", *shown))


def _nested(rows: QuerySet, parent: str, fields: tuple[str, ...]) -> dict[int, list[tuple]]:
    """Each parent's nested rows, as `fields`, in a stable order (for core/api_listings.py)."""
    nested: dict[int, list[tuple]] = {}
    for parent_pk, *values in rows.order_by(parent, "pk").values_list(parent, *fields):
        nested.setdefault(parent_pk, []).append(tuple(values))
    return nested


# Withdrawals ---------------------------------------------------------------------------------


class WithdrawalFilter(django_filters.FilterSet):
    since = UTCIsoDateTimeFilter(
        field_name="withdrawn_at",
        lookup_expr="gt",
        label="Withdrawn after this time (ISO 8601, with its offset): the time of a client's last sync",
    )

    class Meta:
        model = ApiListing
        fields: list[str] = []


class WithdrawalSerializer(serializers.ModelSerializer):
    """A record that left a list of the API: a client that keeps a copy deletes its own."""

    endpoint = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = ApiListing
        fields = ["endpoint", "key", "url", "withdrawn_at"]

    def get_endpoint(self, listing) -> str | None:
        return self.context["endpoints"].get(listing.model, (None, None))[0]

    def get_url(self, listing) -> str | None:
        prefix, basename = self.context["endpoints"].get(listing.model, (None, None))
        if basename is None:
            return None
        return self.context["request"].build_absolute_uri(reverse(f"api:{basename}-detail", args=[listing.key]))


class WithdrawalViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Records the public API no longer lists (made Part II, withdrawn, deleted), oldest
    first: ask with `since` set to the time of your last sync, and delete your copies."""

    serializer_class = WithdrawalSerializer
    filterset_class = WithdrawalFilter

    def get_queryset(self) -> QuerySet:
        return api_listings.withdrawn()

    def list(self, request, *args, **kwargs):
        api_listings.sweep()
        return super().list(request, *args, **kwargs)

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "endpoints": api_listings.endpoints_by_model()}

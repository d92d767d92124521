"""The officers' register of members' interests, declarations at meetings and dispensations
(docs/interests.md). Saved the careful way (core.forms.CarefulAdminMixin); publishing a
register goes through interests.services."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from core.admin_helpers import WrittenByServicesMixin
from core.forms import CarefulAdminMixin

from . import selectors, services
from .models import Declaration, Dispensation, Interest, NoneDeclared, RegisterVersion


class LateFilter(admin.SimpleListFilter):
    """s.30(1): notified more than 28 days after it arose, or still not notified."""

    title = "notified"
    parameter_name = "notified"

    def lookups(self, request, model_admin):
        return [("late", "Late (after 28 days)")]

    def queryset(self, request, queryset):
        if self.value() == "late":
            return queryset.filter(pk__in=selectors.late_notifications().values("pk"))
        return queryset


@admin.register(Interest)
class InterestAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["member", "category", "whose", "description_shown", "arose_on", "notify_by", "notified", "ended_on"]
    list_select_related = ["member"]
    list_filter = [LateFilter, "category", "is_sensitive", "whose"]
    search_fields = ["member__name", "description"]
    autocomplete_fields = ["member"]
    fieldsets = [
        (None, {"fields": ["member", "category", "whose", "description", "value"]}),
        ("Sensitive interest (s.32)", {"fields": ["is_sensitive", "sensitive_reason"]}),
        ("Dates", {"fields": ["arose_on", "notified_on", "ended_on"]}),
    ]
    actions = ["publish_registers"]

    def save_record(self, request, obj, form, change):
        if services.interest_save(obj, by=request.user):
            self.message_user(request, "Its details are now withheld from the published versions of the register.")

    @admin.display(description="Description")
    def description_shown(self, obj):
        return (
            f"{obj.description} (sensitive: withheld from the published register)"
            if obj.is_sensitive
            else obj.description
        )

    @admin.display(description="Notify by")
    def notify_by(self, obj):
        return obj.notify_by

    @admin.display(description="Notified")
    def notified(self, obj):
        when = obj.notified_on.strftime("%-d %B %Y") if obj.notified_on else "Not yet"
        return f"{when} (late)" if obj.is_late else when

    @admin.action(description="Publish the registers of these interests' members")
    def publish_registers(self, request, queryset):
        published, unchanged = [], []
        for member in {interest.member for interest in queryset.select_related("member")}:
            version = services.register_publish(member, by=request.user)
            (published if version else unchanged).append(
                str(member) + (f" (version {version.number})" if version else "")
            )
        if published:
            self.message_user(request, f"Published: {', '.join(sorted(published))}.", messages.SUCCESS)
        if unchanged:
            self.message_user(
                request, f"Unchanged since last published, so not published again: {', '.join(sorted(unchanged))}."
            )


@admin.register(RegisterVersion)
class RegisterVersionAdmin(CarefulAdminMixin, WrittenByServicesMixin, admin.ModelAdmin):
    """Published versions, kept as published: never changed or deleted here."""

    list_display = ["member", "number", "published_at", "published_by"]
    list_select_related = ["member", "published_by"]
    search_fields = ["member__name"]
    fields = ["member", "number", "published_at", "published_by", "published_entries", "withheld_details"]
    readonly_fields = fields

    @admin.display(description="As published")
    def published_entries(self, obj):
        return format_html_join(
            "", "<p><strong>{}</strong>: {}</p>",
            ((e["category_display"], e["description"] or "(details withheld)") for e in obj.entries),
        )  # fmt: skip

    @admin.display(description="Withheld details (officers only)")
    def withheld_details(self, obj):
        return format_html_join(
            "", "<p><strong>{}</strong>: {}</p>", ((e["category_display"], e["description"]) for e in obj.withheld)
        )


@admin.register(Dispensation)
class DispensationAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["member", "for_what", "granted_by", "valid_from", "valid_to"]
    list_select_related = ["member"]
    search_fields = ["member__name", "for_what"]
    autocomplete_fields = ["member"]

    def save_record(self, request, obj, form, change):
        services.dispensation_save(obj, by=request.user)


@admin.register(Declaration)
class DeclarationAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["member", "agenda_item", "kind", "left_room"]
    list_select_related = ["member", "agenda_item__meeting__committee"]
    list_filter = ["kind", "agenda_item__meeting__committee"]
    search_fields = ["member__name", "agenda_item__title", "nature"]
    autocomplete_fields = ["agenda_item", "member", "dispensation"]
    fields = ["agenda_item", "member", "kind", "nature", "is_sensitive", "left_room", "dispensation"]

    # The agenda packs print declarations: each write goes through the service, which
    # withdraws a published version that no longer prints one as the public now reads it.
    def save_record(self, request, obj, form, change):
        services.declaration_record(obj, by=request.user)

    def delete_model(self, request, obj):
        services.declaration_delete(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for declaration in queryset.select_related("agenda_item"):
            services.declaration_delete(declaration, by=request.user)


@admin.register(NoneDeclared)
class NoneDeclaredAdmin(CarefulAdminMixin, admin.ModelAdmin):
    """ "No pecuniary or non-pecuniary interests were disclosed." """

    list_display = ["meeting", "recorded_at"]
    list_select_related = ["meeting__committee"]
    autocomplete_fields = ["meeting"]
    search_fields = ["meeting__committee__name"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class Checked(form):
            def clean(self):
                cleaned = super().clean()
                meeting = cleaned.get("meeting")
                if meeting is not None and Declaration.objects.filter(agenda_item__meeting=meeting).exists():
                    self.add_error("meeting", ValidationError(services.NONE_DECLARED_REFUSED))
                return cleaned

        return Checked

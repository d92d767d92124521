"""The officers' side of alerts: webhooks (register, see the delivery log, resume), and the
subscribers, events and bounces to look at (written only by the services)."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q

from core.admin_helpers import WrittenByServicesMixin
from core.forms import CarefulAdminMixin

from . import services
from .models import Bounce, Delivery, Event, EventKind, Subscriber, Subscription, Webhook, WebhookDelivery


class ReadOnlyAdmin(WrittenByServicesMixin, admin.ModelAdmin):
    """Rows written by the services only: officers look."""


class WebhookForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=EventKind.choices, widget=forms.CheckboxSelectMultiple, help_text="The changes to send."
    )

    class Meta:
        model = Webhook
        fields = ["organisation", "url", "events", "contact_email", "is_active"]

    url = forms.URLField(
        label="URL", max_length=500, assume_scheme="https", help_text=Webhook._meta.get_field("url").help_text
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.startswith("https://"):
            raise forms.ValidationError("Give an https address: the requests carry the organisation's signature.")
        return url


class WebhookDeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    verbose_name_plural = "Delivery log (latest first)"
    fields = ["event", "status", "attempts", "last_status_code", "last_error", "next_attempt_at", "delivered_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event__committee", "event__meeting__committee")


@admin.register(Webhook)
class WebhookAdmin(CarefulAdminMixin, admin.ModelAdmin):
    form = WebhookForm
    list_display = ["organisation", "url", "is_active", "paused_at", "delivered", "waiting"]
    readonly_fields = ["secret", "paused_at", "created_by", "created_at"]
    inlines = [WebhookDeliveryInline]
    actions = ["resume"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                delivered_count=Count("deliveries", filter=Q(deliveries__status="delivered")),
                waiting_count=Count("deliveries", filter=Q(deliveries__status="pending")),
            )
        )

    @admin.display(description="Delivered", ordering="delivered_count")
    def delivered(self, obj):
        return obj.delivered_count

    @admin.display(description="Waiting", ordering="waiting_count")
    def waiting(self, obj):
        return obj.waiting_count

    def save_record(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_record(request, obj, form, change)

    @admin.action(description="Resume the chosen paused webhooks (send what they missed)")
    def resume(self, request, queryset):
        for hook in queryset.filter(paused_at__isnull=False):
            services.webhook_resume(hook=hook)
            self.message_user(request, f"{hook.organisation}: resumed.", messages.SUCCESS)


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    fields = ["kind", "committee", "member", "words", "confirmed_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0


@admin.register(Subscriber)
class SubscriberAdmin(ReadOnlyAdmin):
    # A person who asks to be forgotten: an officer deletes the address, its alerts and deliveries.
    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("alerts.delete_subscriber")

    list_display = ["email", "frequency", "alerts", "hard_bounces", "paused_at"]
    list_filter = ["frequency", ("paused_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    inlines = [SubscriptionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(alert_count=Count("subscriptions"))

    @admin.display(description="Alerts", ordering="alert_count")
    def alerts(self, obj):
        return obj.alert_count


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "committee", "meeting", "decision", "plan_entry", "fanned_out_at", "sent",
                    "waiting"]  # fmt: skip
    list_filter = ["kind", "committee"]
    list_select_related = ["committee", "meeting__committee", "decision", "plan_entry"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                sent_count=Count("deliveries", filter=Q(deliveries__status="sent")),
                waiting_count=Count("deliveries", filter=Q(deliveries__status__in=["pending", "digest"])),
            )
        )

    @admin.display(description="Emails sent", ordering="sent_count")
    def sent(self, obj):
        return obj.sent_count

    @admin.display(description="Emails waiting", ordering="waiting_count")
    def waiting(self, obj):
        return obj.waiting_count


@admin.register(Bounce)
class BounceAdmin(ReadOnlyAdmin):
    list_display = ["at", "email", "kind", "detail"]
    list_filter = ["kind"]
    search_fields = ["email"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["event", "email", "status", "attempts", "sent_at", "error"]
    list_filter = ["status"]
    search_fields = ["email"]
    list_select_related = ["event__committee", "event__meeting__committee"]

"""The officers' side of executive decisions: decision makers, the forward plan (publish a
notice, defer, withdraw), decisions (their notice starts the call-in clock), call-ins and
notices of private meetings. Saved the careful way (core.forms); the law's refusals come
from decisions.services, shown at the field."""

from copy import copy

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from committee import gate
from committee.admin import RestrictableForm
from core.admin_helpers import ServiceAction, action_urls
from core.forms import CarefulAdminMixin, MistypedYearsMixin

from . import clocks, selectors, services
from .models import CallIn, Decision, DecisionMaker, DecisionNotice, ForwardPlanEntry, PrivateMeetingNotice


@admin.register(DecisionMaker)
class DecisionMakerAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "kind"]
    list_filter = ["kind"]
    list_select_related = ["committee", "member", "officer"]
    search_fields = ["role", "committee__name", "member__name", "officer__name"]
    autocomplete_fields = ["member", "officer"]


# The forward plan --------------------------------------------------------------------------


class PublishNoticeForm(MistypedYearsMixin, forms.Form):
    published_on = forms.DateField(
        label="Published on",
        initial=timezone.localdate,
        help_text="The day the notice is (or was) published: today, or an earlier day since the record was made.",
    )


class DeferForm(MistypedYearsMixin, forms.Form):
    new_date = forms.DateField(label="Now due on")
    reason = forms.CharField(label="Why it is deferred", widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Why it is withdrawn", widget=forms.Textarea(attrs={"rows": 3}))


def _publish_plan_notice(entry, data, user):
    entry = services.plan_entry_publish_notice(entry=entry, published_on=data["published_on"], by=user)
    taken = entry.may_be_taken_from
    return f"Notice published. As a key decision it may be taken from {taken:%-d %B %Y} (28 clear days)."


def _defer(entry, data, user):
    services.plan_entry_defer(entry=entry, reason=data["reason"], new_date=data["new_date"], by=user)
    return "Deferred. Publish the notice again when the new date is settled."


def _withdraw(entry, data, user):
    services.plan_entry_withdraw(entry=entry, reason=data["reason"], by=user)
    return "Withdrawn: the entry has left the forward plan."


def _publish_decision_notice(decision, data, user):
    notice = services.decision_publish_notice(decision=decision, published_on=data["published_on"], by=user)
    if notice.call_in_deadline is None:
        return (
            f"Decision notice published. Urgent: it may be implemented from {notice.may_be_implemented_from:%-d %B %Y}."
        )
    return (
        f"Decision notice published. Call-in until the end of {notice.call_in_deadline:%-d %B %Y}; "
        f"it may be implemented from {notice.may_be_implemented_from:%-d %B %Y}."
    )


PLAN_ACTIONS = [
    ServiceAction(
        "publish",
        "decisions_plan_publish",
        PublishNoticeForm,
        "Publish the notice",
        "The entry goes on the public forward plan and its feeds. A key decision may be taken 28 clear days "
        "after the notice (regulation 9).",
        _publish_plan_notice,
    ),
    ServiceAction(
        "defer",
        "decisions_plan_defer",
        DeferForm,
        "Defer the decision",
        "The entry stays on the forward plan, marked deferred, with its new date.",
        _defer,
    ),
    ServiceAction(
        "withdraw",
        "decisions_plan_withdraw",
        WithdrawForm,
        "Withdraw the entry",
        "The decision will not be taken: the entry leaves the public forward plan.",
        _withdraw,
    ),
]

DECISION_ACTIONS = [
    ServiceAction(
        "publish-notice",
        "decisions_decision_publish",
        PublishNoticeForm,
        "Publish the decision notice",
        "The decision notice is the published record of the decision (regulations 12-13). Its call-in period "
        "starts the day it is published; the decision cannot be changed afterwards.",
        _publish_decision_notice,
    ),
]


@admin.register(ForwardPlanEntry)
class ForwardPlanEntryAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    open_after_adding = True  # the notice is published from the entry's page
    list_display = ["reference", "title", "maker", "decision_due", "status", "is_key_decision"]
    list_filter = ["status", "is_key_decision", "maker"]
    list_select_related = ["maker__committee", "maker__member", "maker__officer"]
    search_fields = ["reference", "title"]
    readonly_fields = [
        "status", "recorded_on", "notice_published_on", "is_key_decision", "may_be_taken_from", "status_reason",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["reference", "title", "summary", "maker", ("decision_due", "decision_due_end")]}),
        (
            "Key decision (regulation 8)",
            {"fields": ["amount", "divisions", "significant_in_divisions", "is_key_decision"]},
        ),
        (
            "The notice (regulation 9)",
            {
                "fields": [
                    "documents",
                    "how_to_get_documents",
                    ("in_private", "private_reasons"),
                    ("status", "recorded_on"),
                    "notice_published_on",
                    "may_be_taken_from",
                    "status_reason",
                ]
            },
        ),
        (
            "General exception (regulation 10), when 28 days' notice is impracticable",
            {"fields": ["scrutiny_chair_notified_on", "exception_notice_on", "exception_reasons"]},
        ),
        (
            "Special urgency (regulation 11), when even 5 days is impracticable",
            {"fields": ["urgency_agreed_by", "urgency_agreed_on", "urgency_reasons"]},
        ),
    ]

    @admin.display(description="Key decision may be taken from (reg 9)")
    def may_be_taken_from(self, entry):
        day = entry.may_be_taken_from
        return f"{day:%-d %B %Y}" if day else "Once the notice is published: 28 clear days after it"

    # Why an entry was deferred or withdrawn is given on the page that does it.
    asked_only_when = {"status_reason": "is_put_off"}

    def save_record(self, request, obj, form, change):
        services.plan_entry_save(entry=obj, by=request.user)

    def get_urls(self):
        return action_urls(self, PLAN_ACTIONS) + super().get_urls()


# Decisions ---------------------------------------------------------------------------------


def _recent_quarters():
    latest = clocks.Quarter.of(timezone.localdate())
    return [(q.slug, f"{q.label} ({q.months})") for q in (latest.previous(n) for n in range(8))]


class SpecialUrgencyForm(forms.Form):
    quarter = forms.ChoiceField(label="Quarter", choices=_recent_quarters)


class DecisionForm(RestrictableForm):
    class Meta(RestrictableForm.Meta):
        model = Decision

    def clean(self):
        # The law's refusals (regs 9-11: too soon without the general exception or special
        # urgency) at their fields, judged on the decision as it would be saved. In clean(),
        # not _post_clean: core.forms' mixin, first in the form's classes, runs its own.
        cleaned = super().clean()
        if self.errors:
            return cleaned  # a field's own problem first
        as_saved = copy(self.instance)
        for name in ("maker", "plan_entry", "agenda_item", "decided_on", "is_key_decision"):
            if name in cleaned:
                setattr(as_saved, name, cleaned[name])
        for field, message in services.decision_problems(as_saved).items():
            self.add_error(field if field in self.fields else None, message)
        return cleaned


class DecisionNoticeInline(admin.StackedInline):
    model = DecisionNotice
    fields = ["published_on", "call_in_deadline", "may_be_implemented_from"]
    readonly_fields = fields
    can_delete = False
    extra = 0
    max_num = 0


@admin.register(Decision)
class DecisionAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    open_after_adding = True  # the decision notice is published from its page
    form = DecisionForm
    list_display = ["title", "maker", "decided_on", "is_key_decision", "status"]
    list_filter = ["is_key_decision", "maker"]
    list_select_related = ["maker__committee", "maker__member", "maker__officer", "notice"]
    search_fields = ["title"]
    autocomplete_fields = ["agenda_item"]
    inlines = [DecisionNoticeInline]
    fieldsets = [
        (None, {"fields": ["title", "maker", "decided_on", "plan_entry", "agenda_item", "is_key_decision"]}),
        ("The record (regulations 12-13)", {"fields": ["decision", "reasons", "alternatives_rejected"]}),
        ("Urgency (not subject to call-in)", {"fields": ["is_urgent", "urgency_reasons"]}),
        (
            "Access",
            {"fields": ["access", "paragraphs", "public_interest_reasons", "confidential_basis"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(held=selectors._held())

    @admin.display(description="Status")
    def status(self, decision):
        return selectors.status_of(decision)

    def has_change_permission(self, request, obj=None):
        # Once its notice is published the decision is the record the call-in period runs
        # from: it is read, not rewritten (a correction is a new decision).
        if obj is not None and DecisionNotice.objects.filter(decision=obj).exists():
            return False
        return super().has_change_permission(request, obj)

    def save_record(self, request, obj, form, change):
        services.decision_save(decision=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        # The published record is kept, as it is not changed (a correction is a new decision).
        if obj is not None and DecisionNotice.objects.filter(decision=obj).exists():
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services.decision_delete(decision=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for decision in queryset:
            services.decision_delete(decision=decision, by=request.user)

    def get_urls(self):
        report = path(
            "special-urgency-report/",
            self.admin_site.admin_view(self.special_urgency_view),
            name="decisions_special_urgency_report",
        )
        return [report, *action_urls(self, DECISION_ACTIONS), *super().get_urls()]

    def special_urgency_view(self, request):
        """The Leader's quarterly report of special urgency decisions (reg 11(5)): choose the
        quarter, see what the report lists, produce it as a PDF. The report goes to the
        Council in public, so it lists what the public may read; decisions held back (Part
        II) are counted for the officer, to report in private."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = SpecialUrgencyForm(request.GET or None)
        quarter = clocks.Quarter.from_slug(form.cleaned_data["quarter"]) if form.is_valid() else None
        quarter = quarter or clocks.Quarter.of(timezone.localdate())
        public = selectors.special_urgency_decisions(gate.Reader.public(), quarter)
        every = selectors.special_urgency_decisions(gate.reader_for(request.user), quarter)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Special urgency decisions: {quarter.label}",
            "form": form,
            "quarter": quarter,
            "decisions": public,
            "held_back": len(every) - len(public),
        }
        return TemplateResponse(request, "admin/decisions/decision/special_urgency.html", context)


# Call-ins ----------------------------------------------------------------------------------


class CallInForm(forms.ModelForm):
    class Meta:
        model = CallIn
        fields = ["decision", "members", "requested_on", "reasons", "outcome", "outcome_on", "outcome_notes"]

    def clean(self):
        cleaned = super().clean()
        decision, members = cleaned.get("decision"), cleaned.get("members")
        if self.instance.pk is None and decision is not None and members is not None:
            found = services.call_in_problems(
                decision=decision, members=list(members), requested_on=cleaned.get("requested_on")
            )
            for field, message in found.items():
                self.add_error(field, message)
        return cleaned


@admin.register(CallIn)
class CallInAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    form = CallInForm
    list_display = ["decision", "requested_on", "outcome", "outcome_on"]
    list_filter = ["outcome"]
    list_select_related = ["decision"]
    autocomplete_fields = ["decision", "members"]
    fields = ["decision", "members", "requested_on", "reasons", "outcome", "outcome_on", "outcome_notes"]

    CALLED_IN = ["decision", "members", "requested_on", "reasons"]
    OUTCOME = ["outcome", "outcome_on", "outcome_notes"]

    def get_readonly_fields(self, request, obj=None):
        # Who called it in, when and why are the record; the outcome comes later, once, and
        # is then the record too (subscribers are told it: services.call_in_outcome).
        if obj is None:
            return self.OUTCOME
        # As stored, not as the form being checked has filled it in (a refused outcome comes
        # back at its fields, still to be put right).
        if CallIn.objects.filter(pk=obj.pk).exclude(outcome=CallIn.Outcome.PENDING).exists():
            return self.CALLED_IN + self.OUTCOME
        return self.CALLED_IN

    def save_record(self, request, obj, form, change):
        if change and obj.outcome != CallIn.Outcome.PENDING:
            services.call_in_outcome(
                call_in=obj, outcome=obj.outcome, outcome_on=obj.outcome_on, notes=obj.outcome_notes, by=request.user
            )
        else:
            super().save_record(request, obj, form, change)


@admin.register(PrivateMeetingNotice)
class PrivateMeetingNoticeAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    """Reg 5: the 28-day notice of the intention to hold (part of) a meeting in private, then
    the 5-day further notice with representations and the response; both on the public
    page of private meetings from the day each is published."""

    list_display = ["meeting", "published_on", "notice_due", "further_notice_on", "further_notice_due"]
    list_select_related = ["meeting__committee"]
    autocomplete_fields = ["meeting"]
    search_fields = ["meeting__committee__name", "items"]
    readonly_fields = ["recorded_on", "notice_due", "further_notice_due"]
    fieldsets = [
        (
            "The notice (regulation 5(2)), 28 clear days before",
            {"fields": ["meeting", "items", "reasons", "recorded_on", "published_on", "notice_due"]},
        ),
        (
            "The further notice (regulation 5(4)-(5)), 5 clear days before",
            {"fields": ["representations", "response", "further_notice_on", "further_notice_due"]},
        ),
    ]

    @admin.display(description="Notice due by")
    def notice_due(self, notice):
        return f"{notice.notice_due:%-d %B %Y}" if notice.meeting_id else "Once the meeting is chosen"

    @admin.display(description="Further notice due by")
    def further_notice_due(self, notice):
        return f"{notice.further_notice_due:%-d %B %Y}" if notice.meeting_id else "Once the meeting is chosen"

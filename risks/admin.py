"""The officers' side of the registers: registers and their Key to Scores bands, live
entries (with scoring widgets, import and export), quarterly snapshots (take, word, lock,
attach to a report) and summary tables. Every change is kept in history; the writes that
matter go through services, which refuse to change a locked snapshot."""

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from committee.models import Appendix, Report
from core.admin_helpers import service_page
from core.forms import CarefulAdminMixin
from core.imports import IMPORT_FORMATS

from . import selectors, services
from .models import (
    Entry,
    Register,
    RegisterSnapshot,
    RiskType,
    ScoreBand,
    SnapshotEntry,
    SnapshotSummary,
)
from .resources import EntryResource


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _chip(score, band):
    if band is None:
        return str(score)
    return format_html(
        '<strong style="background-color: {}; color: {}; padding: 0 0.3em">{} {}</strong>',
        band.colour,
        band.text_colour,
        score,
        band.name,
    )


# Types and registers -----------------------------------------------------------------------


@admin.register(RiskType)
class RiskTypeAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["name"]
    search_fields = ["name"]


class ScoreBandFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return  # a row's own problem first: its figures are not known until it is put right
        bands = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("name")
        ]
        problems = services.band_problems(bands)
        if problems:
            raise ValidationError(problems)


class ScoreBandInline(admin.TabularInline):
    model = ScoreBand
    formset = ScoreBandFormSet
    fields = ["name", "min_score", "max_score", "colour", "text_colour"]

    def get_extra(self, request, obj=None, **kwargs):
        return len(services.DEFAULT_BANDS) if obj is None else 0


class TakeSnapshotForm(forms.Form):
    period_label = forms.CharField(
        label="Period", max_length=50, help_text='The quarter the register is reported for: "Q1 2018/19".'
    )
    lock = forms.BooleanField(
        label="Lock it now",
        required=False,
        help_text="Leave unlocked to word the direction of travel and the covering report's summary first.",
    )


@admin.register(Register)
class RegisterAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    open_after_adding = True  # the quarterly snapshot is taken from the register's page
    list_display = ["name", "slug", "risk_prefix", "opportunity_prefix", "open_entries", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ScoreBandInline]
    actions = ["take_snapshot"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(open_count=Count("entries", distinct=True))

    @admin.display(description="Entries", ordering="open_count")
    def open_entries(self, register):
        return register.open_count

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ScoreBandInline) and obj.pk is None and request.method != "POST":
            kwargs["initial"] = services.DEFAULT_BANDS
        return kwargs

    def get_urls(self):
        own = [
            path(
                "<int:pk>/take-snapshot/",
                self.admin_site.admin_view(self.take_snapshot_view),
                name="risks_register_take_snapshot",
            )
        ]
        return own + super().get_urls()

    def take_snapshot_view(self, request, pk):
        if not request.user.has_perm("risks.add_registersnapshot"):
            raise PermissionDenied
        register = get_object_or_404(Register, pk=pk)
        form = TakeSnapshotForm(request.POST or None)

        def take():
            snapshot = services.snapshot_take(
                register=register,
                period_label=form.cleaned_data["period_label"],
                lock=form.cleaned_data["lock"],
                by=request.user,
            )
            done = f"{snapshot} taken: {snapshot.entries.count()} entries frozen."
            return done, reverse("admin:risks_registersnapshot_change", args=[snapshot.pk])

        return service_page(
            self,
            request,
            ready=request.method == "POST" and form.is_valid(),
            obj=register,
            action="Take a quarterly snapshot",
            run=take,
            template="admin/risks/register/take_snapshot.html",
            context={
                "register": register,
                "form": form,
                "open_count": register.entries.filter(is_open=True).count(),
            },
        )

    @admin.action(description="Take a quarterly snapshot of the selected register")
    def take_snapshot(self, request, queryset):
        registers = list(queryset[:2])
        if len(registers) != 1:
            self.message_user(request, "Choose one register to snapshot.", messages.ERROR)
            return None
        return redirect("admin:risks_register_take_snapshot", registers[0].pk)


# Entries ----------------------------------------------------------------------------------


class ScoreInput(forms.NumberInput):
    """The score box, followed by the resulting score and band, worked out as likelihood and
    impact are chosen (risks/scoring.js); the bands of every register travel with it.
    Its template is templates/risks/widgets/ (FORM_RENDERER reads the project templates)."""

    template_name = "risks/widgets/score_input.html"

    def __init__(self, position: str, attrs=None):
        super().__init__(attrs={"min": 1, "max": 25, **(attrs or {})})
        self.position = position
        self.bands: dict = {}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["position"] = self.position
        context["widget"]["bands"] = self.bands
        return context


class EntryForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = [
            "register",
            "kind",
            "reference",
            "title",
            "description",
            "risk_types",
            "owner",
            "is_open",
            "consequences",
            "controls",
            "actions",
            *Entry.SCORE_FIELDS,
            "direction_note",
            "committee_summary",
        ]
        widgets = {
            "inherent_score": ScoreInput("inherent"),
            "residual_score": ScoreInput("residual"),
            "risk_types": forms.CheckboxSelectMultiple,
            "direction_note": forms.Textarea(attrs={"rows": 2}),
            "committee_summary": forms.Textarea(attrs={"rows": 2}),
        }

    class Media:
        js = ["risks/scoring.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bands: dict[str, list] = {}
        for band in ScoreBand.objects.order_by("register_id", "min_score"):
            bands.setdefault(str(band.register_id), []).append(band.as_data())
        for position in ("inherent", "residual"):
            self.fields[f"{position}_score"].widget.bands = bands
            self.fields[f"{position}_score"].required = False


@admin.register(Entry)
class EntryAdmin(CarefulAdminMixin, ImportExportMixin, SimpleHistoryAdmin):
    import_formats = IMPORT_FORMATS
    form = EntryForm
    resource_classes = [EntryResource]
    list_display = ["reference", "title", "kind", "register", "current_score", "residual", "owner", "is_open"]
    list_display_links = ["reference", "title"]
    list_filter = ["register", "kind", "is_open", "risk_types"]
    list_select_related = ["register"]
    search_fields = ["reference", "title", "owner"]
    readonly_fields = ["scores", "updated_at"]
    fieldsets = [
        (
            None,
            {"fields": ["register", ("kind", "reference"), "title", "description", "risk_types", "owner", "is_open"]},
        ),
        ("Text", {"fields": ["consequences", "controls", "actions"]}),
        (
            "Current (inherent) position",
            {"fields": [("inherent_likelihood", "inherent_impact"), "inherent_score"]},
        ),
        (
            "Residual position, after the mitigating or maximising actions",
            {"fields": [("residual_likelihood", "residual_impact"), "residual_score", "scores"]},
        ),
        ("This quarter's words (copied into the next snapshot)", {"fields": ["direction_note", "committee_summary"]}),
        (None, {"fields": ["updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("register__bands")

    def _bands(self, entry):
        return selectors.bands_from_data([band.as_data() for band in entry.register.bands.all()])

    @admin.display(description="Risk score", ordering="inherent_score")
    def current_score(self, entry):
        return _chip(entry.inherent_score, selectors.band_for(self._bands(entry), entry.inherent_score))

    @admin.display(description="Residual score", ordering="residual_score")
    def residual(self, entry):
        return _chip(entry.residual_score, selectors.band_for(self._bands(entry), entry.residual_score))

    @admin.display(description="Scores as saved")
    def scores(self, entry):
        if entry.pk is None:
            return "Shown once the entry is saved."
        bands = self._bands(entry)
        return format_html(
            "Current: {} ({}). Residual: {} ({}).",
            _chip(entry.inherent_score, selectors.band_for(bands, entry.inherent_score)),
            entry.inherent_words,
            _chip(entry.residual_score, selectors.band_for(bands, entry.residual_score)),
            entry.residual_words,
        )

    def save_record(self, request, obj, form, change):
        services.entry_save(entry=obj, by=request.user)


# Snapshots --------------------------------------------------------------------------------


class LockedFilter(admin.SimpleListFilter):
    title = "locked as reported"
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return [("yes", "Locked"), ("no", "Not yet locked")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(locked_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(locked_at__isnull=True)
        return queryset


class SnapshotEntryInline(admin.TabularInline):
    """Texts and scores are as taken; only this quarter's words may change, until locked."""

    model = SnapshotEntry
    fields = [
        "reference",
        "title",
        "inherent_score",
        "residual_score",
        "direction",
        "direction_note",
        "committee_summary",
    ]
    readonly_fields = ["reference", "title", "inherent_score", "residual_score", "direction"]
    ordering = ["position"]
    extra = 0
    can_delete = False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("direction_note", "committee_summary"):
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 40})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_locked)


class AttachForm(forms.Form):
    report = forms.ModelChoiceField(
        queryset=Report.objects.select_related("agenda_item__meeting__committee").order_by(
            "-agenda_item__meeting__starts_at"
        ),
        help_text="The covering report the snapshot is an appendix of.",
    )
    letter = forms.CharField(max_length=3, initial="A", help_text="Appendix 'A'")
    title = forms.CharField(max_length=300, required=False, help_text="Leave blank to use the snapshot's title.")
    summary_threshold = forms.IntegerField(
        label="Summary table threshold",
        required=False,
        min_value=1,
        max_value=25,
        initial=12,
        help_text="Also put, within the report, the table of entries whose residual score is this or above. "
        "Leave blank for no table.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].label_from_instance = lambda report: (
            f"{report.agenda_item.meeting.committee}, {report.agenda_item.meeting.starts_at:%d %B %Y}: {report.title}"
        )


@admin.register(RegisterSnapshot)
class RegisterSnapshotAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    open_after_adding = True  # attached and locked from the snapshot's page
    list_display = ["__str__", "register", "period_label", "taken_at", "taken_by", "is_locked", "entry_count"]
    list_filter = ["register", LockedFilter]
    list_select_related = ["register", "taken_by"]
    search_fields = ["period_label", "register_name"]
    inlines = [SnapshotEntryInline]
    actions = ["lock_selected"]
    fields = [
        "register",
        "period_label",
        "register_name",
        "previous",
        ("taken_at", "taken_by"),
        ("locked_at", "locked_by"),
        "bands_display",
        "reported_in",
    ]
    readonly_fields = fields[:4] + ["taken_at", "taken_by", "locked_at", "locked_by", "bands_display", "reported_in"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entries_count=Count("entries"))

    @admin.display(description="Entries", ordering="entries_count")
    def entry_count(self, snapshot):
        return snapshot.entries_count

    @admin.display(description="Locked", boolean=True, ordering="locked_at")
    def is_locked(self, snapshot):
        return snapshot.is_locked

    @admin.display(description="Key to Scores bands (as taken)")
    def bands_display(self, snapshot):
        bands = selectors.bands_from_data(snapshot.bands)
        return format_html_join(" ", "{}", ((_chip(band.range_display, band),) for band in bands))

    @admin.display(description="Reported in")
    def reported_in(self, snapshot):
        appendices = Appendix.objects.filter(
            content_type=ContentType.objects.get_for_model(RegisterSnapshot), object_id=snapshot.pk
        ).select_related("report")
        if not appendices:
            return "Not yet attached to a report: use “Attach to a report” above."
        return format_html_join(
            ", ",
            '<a href="{}">{}: {}</a>',
            ((reverse("admin:committee_report_change", args=[a.report_id]), a.report, a) for a in appendices),
        )

    def has_add_permission(self, request):
        # Snapshots are taken from their register ("Take a quarterly snapshot").
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_locked)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_locked)

    def has_lock_permission(self, request):
        return request.user.has_perm("risks.lock_registersnapshot")

    def save_record(self, request, obj, form, change):
        # Every field of the snapshot itself is read-only: nothing to save.
        pass

    def save_rows(self, request, form, formset, change):
        # Only this quarter's words change, through the service that refuses a locked snapshot.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for entry_form in formset.forms:
            if not entry_form.has_changed():
                continue
            try:
                reworded = services.snapshot_entry_reword(
                    snapshot_entry=entry_form.instance,
                    direction_note=entry_form.cleaned_data.get("direction_note", ""),
                    committee_summary=entry_form.cleaned_data.get("committee_summary", ""),
                    by=request.user,
                )
            except ValidationError as exc:
                self.message_user(request, f"{entry_form.instance.reference}: {_errors(exc)}", messages.ERROR)
            else:
                formset.changed_objects.append((reworded, entry_form.changed_data))

    def delete_model(self, request, obj):
        services.snapshot_delete(snapshot=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for snapshot in queryset:
            try:
                services.snapshot_delete(snapshot=snapshot, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{snapshot}: {_errors(exc)}", messages.ERROR)

    def delete_view(self, request, object_id, extra_context=None):
        snapshot = self.get_object(request, object_id)
        if snapshot is not None and request.method == "POST":
            try:
                services.snapshot_delete(snapshot=snapshot, by=request.user)
            except ValidationError as exc:
                self.message_user(request, _errors(exc), messages.ERROR)
                return redirect("admin:risks_registersnapshot_change", snapshot.pk)
            self.message_user(request, f"{snapshot} deleted.", messages.SUCCESS)
            return redirect("admin:risks_registersnapshot_changelist")
        return super().delete_view(request, object_id, extra_context)

    @admin.action(description="Lock the selected snapshots as reported", permissions=["lock"])
    def lock_selected(self, request, queryset):
        for snapshot in queryset:
            try:
                services.snapshot_lock(snapshot=snapshot, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{snapshot}: {_errors(exc)}", messages.ERROR)
            else:
                self.message_user(request, f"{snapshot}: locked as reported.", messages.SUCCESS)

    def get_urls(self):
        own = [
            path("<int:pk>/lock/", self.admin_site.admin_view(self.lock_view), name="risks_registersnapshot_lock"),
            path(
                "<int:pk>/attach/",
                self.admin_site.admin_view(self.attach_view),
                name="risks_registersnapshot_attach",
            ),
        ]
        return own + super().get_urls()

    def lock_view(self, request, pk):
        if not self.has_lock_permission(request):
            raise PermissionDenied
        snapshot = get_object_or_404(RegisterSnapshot, pk=pk)

        def lock():
            services.snapshot_lock(snapshot=snapshot, by=request.user)
            return f"{snapshot} is locked as reported.", reverse(
                "admin:risks_registersnapshot_change", args=[snapshot.pk]
            )

        return service_page(
            self,
            request,
            ready=request.method == "POST",
            obj=snapshot,
            action="Lock as reported",
            run=lock,
            template="admin/risks/registersnapshot/lock.html",
            context={"snapshot": snapshot},
        )

    def attach_view(self, request, pk):
        if not request.user.has_perm("committee.add_appendix"):
            raise PermissionDenied
        snapshot = get_object_or_404(RegisterSnapshot, pk=pk)
        form = AttachForm(request.POST or None)

        def attach():
            data = form.cleaned_data
            appendix = services.snapshot_attach(
                snapshot=snapshot,
                report=data["report"],
                letter=data["letter"],
                title=data["title"],
                summary_threshold=data["summary_threshold"],
                by=request.user,
            )
            done = f"{snapshot} is {appendix} of {data['report']}."
            return done, reverse("admin:risks_registersnapshot_change", args=[snapshot.pk])

        return service_page(
            self,
            request,
            ready=request.method == "POST" and form.is_valid(),
            obj=snapshot,
            action="Attach to a report",
            run=attach,
            template="admin/risks/registersnapshot/attach.html",
            context={"snapshot": snapshot, "form": form},
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["may_lock"] = self.has_lock_permission(request)
        context["may_attach"] = request.user.has_perm("committee.add_appendix")
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(SnapshotSummary)
class SnapshotSummaryAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "snapshot", "threshold"]
    list_select_related = ["snapshot"]
    list_filter = ["snapshot__register"]
    fields = ["snapshot", "threshold"]

    def get_readonly_fields(self, request, obj=None):
        return ["snapshot"] if obj else []

    def has_change_permission(self, request, obj=None):
        # Once its snapshot is locked, a summary is as reported too.
        return super().has_change_permission(request, obj) and not (obj and obj.snapshot.is_locked)

    def save_record(self, request, obj, form, change):
        if change:
            services.summary_update(summary=obj, threshold=obj.threshold, by=request.user)
        else:
            created = services.summary_create(snapshot=obj.snapshot, threshold=obj.threshold, by=request.user)
            obj.pk = created.pk

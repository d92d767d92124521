"""The officers' workplace. Every edit is kept in history (django-simple-history); the
lifecycle steps (publish, cancel, mark held, publish minutes) go through services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from core.admin_helpers import DateSearchMixin, WrittenByServicesMixin, service_page
from core.dates import long_date
from core.forms import CarefulAdminMixin
from core.held_uploads import KeepsChosenFile

from . import appendices, gate, minutes_admin, services, word_admin
from .models import (
    EXEMPT_PARAGRAPHS,
    Access,
    AgendaItem,
    AgendaPack,
    Appendix,
    Attendance,
    BackgroundPaper,
    Committee,
    CouncilClosureDay,
    ElectoralDivision,
    Meeting,
    Member,
    Membership,
    Minute,
    Minutes,
    Officer,
    Report,
    StandingItem,
    Venue,
)
from .pack import selectors as pack_selectors
from .pack import services as pack_services

admin.site.site_header = "Quorum: committee papers"
admin.site.site_title = "Quorum"
admin.site.index_title = "Democratic services"


class GateAsksOfEachRecord:
    """Django's permissions say only that a person works on this kind of record at all; which
    records they open and change is the gate's to say (`may_view`, `may_change`: each admin
    names its questions). Asked of each record its pages load, django-simple-history's history
    and versions too, which read past get_queryset."""

    may_view = may_change = staticmethod(lambda reader, obj: True)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or self.may_view(gate.reader_for(request.user), obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.may_change(gate.reader_for(request.user), obj))


class KeepPublishedMixin:
    """Nothing published may be deleted (domain rules 10: six years for agendas, reports and
    minutes): a correction is an edit, kept in history, and makes a new pack version."""

    def has_delete_permission(self, request, obj=None):
        if obj is not None and published_meeting_of(obj) is not None:
            return False
        return super().has_delete_permission(request, obj)


def published_meeting_of(obj) -> Meeting | None:
    meeting = {
        Meeting: lambda o: o,
        AgendaItem: lambda o: o.meeting,
        Report: lambda o: o.agenda_item.meeting,
        Appendix: lambda o: o.report.agenda_item.meeting,
    }.get(type(obj), lambda o: getattr(o, "meeting", None))(obj)
    return meeting if meeting is not None and meeting.is_published else None


def stored_meeting(obj) -> Meeting | None:
    """The published meeting a record is on as stored, before the save that may move it (an
    item to another meeting, a report to another item, an appendix to another report)."""
    stored = type(obj)._default_manager.filter(pk=obj.pk).first() if obj.pk else None
    return published_meeting_of(stored) if stored is not None else None


def rebuild_if_published(request, meeting: Meeting, papers=(), was_on=None) -> None:
    """Papers edited after publication make new pack versions (and a supplementary pack for
    added items); an edit that changes nothing in the papers makes none (same input hash).
    A public version that prints what is no longer public (an item made Part II) is
    withdrawn first: the service decides, for every save path that ends here. `papers`: each
    paper (an agenda item or report) this save changed after publication, and whether the save
    added it: subscribers are told which, whichever page it was changed on. `was_on`: the
    published meeting the paper was on before this save (stored_meeting), whose versions print
    it too when it moved."""
    withdrawn = pack_services.packs_after_papers_changed(meeting=meeting, by=request.user)
    if papers and meeting.is_published:
        # Told after the withdrawal, so that the message says whether the public's pack went.
        public_withdrawn = any(p.meeting_id == meeting.pk and p.kind == AgendaPack.Kind.PUBLIC for p in withdrawn)
        for paper, added in papers:
            services.papers_changed_told(
                meeting=meeting, paper=paper, added=added, public_pack_withdrawn=public_withdrawn
            )
    if was_on is not None and was_on.pk != meeting.pk:
        withdrawn += pack_services.packs_after_papers_changed(meeting=was_on, by=request.user)
    if withdrawn:
        messages.warning(
            request,
            f"{len(withdrawn)} public version{'s' if len(withdrawn) > 1 else ''} of the agenda pack printed "
            "papers that are no longer public and were withdrawn; new versions are being built.",
        )


def part_ii_kept_last(request, moved: list[AgendaItem]) -> None:
    """Tell the officer which Part II items were kept after the Part I items."""
    if moved:
        messages.warning(
            request,
            "Part II items stay after the Part I items (the press and public are excluded once, for the rest of "
            f"the meeting): {', '.join(item.title for item in moved)} kept after them.",
        )


def keep_part_ii_last(request, meeting: Meeting) -> None:
    """After a save that may have put a Part I item after a Part II one (an item added, made
    Part I or Part II): the agenda put back in order, and the officer told. (Standing items
    added are put in order by their service.)"""
    part_ii_kept_last(request, services.agenda_keep_part_ii_last(meeting=meeting))


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _reorder_rows(items: list[AgendaItem]) -> list[dict]:
    """Each item with the moves open to it: none past either end, none across the line
    between Part I and Part II (static/committee/reorder.js keeps the same rule)."""
    rows = []
    for index, item in enumerate(items):
        above = items[index - 1] if index else None
        below = items[index + 1] if index + 1 < len(items) else None
        rows.append(
            {
                "item": item,
                "can_move_up": above is not None and above.is_restricted == item.is_restricted,
                "can_move_down": below is not None and below.is_restricted == item.is_restricted,
            }
        )
    return rows


def _int_or_404(value) -> int:
    # A tampered or stale form (an id that is no number) is a missing item, not an error page.
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("No such agenda item.") from None


class RestrictableForm(forms.ModelForm):
    """Schedule 12A paragraphs as checkboxes; stored as the model's bit set."""

    paragraphs = forms.TypedMultipleChoiceField(
        label="Schedule 12A paragraphs",
        choices=[(n, f"{n}: {text}") for n, text in EXEMPT_PARAGRAPHS.items()],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Required for a Part II (exempt) record.",
    )

    class Meta:
        exclude = ["exempt_paragraphs"]  # noqa: DJ006 - shared by several models' forms

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paragraphs"].initial = self.instance.paragraph_numbers

    # The database's rule on the bit set is shown at the checkboxes (core.forms).
    constraint_fields = {"exempt_paragraphs": "paragraphs"}

    def clean(self):
        cleaned = super().clean()
        paragraphs = cleaned.get("paragraphs") or []
        self.instance.paragraph_numbers = paragraphs
        access = cleaned.get("access")
        if paragraphs or (access is not None and access != Access.EXEMPT):
            # An imported item's missing paragraph is recorded now (or it is no longer Part II).
            self.instance.paragraph_not_recorded = False
        if access == Access.EXEMPT:
            if not paragraphs:
                self.add_error("paragraphs", "Tick the Schedule 12A paragraphs that make this Part II.")
            if "public_interest_reasons" in self.fields and not (cleaned.get("public_interest_reasons") or "").strip():
                self.add_error(
                    "public_interest_reasons",
                    "Give the public interest reasons for withholding it (Schedule 12A, paragraph 10).",
                )
        elif access is not None and paragraphs:
            self.add_error(
                "paragraphs", "Only a Part II record has Schedule 12A paragraphs: untick them, or make it Part II."
            )
        if (
            access == Access.CONFIDENTIAL
            and "confidential_basis" in self.fields
            and not (cleaned.get("confidential_basis") or "").strip()
        ):
            self.add_error("confidential_basis", "Give the legal basis that bars disclosure (s100A(3)).")
        return cleaned


# Committees and people ----------------------------------------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["member"]


@admin.register(Committee)
class CommitteeAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Member)
class MemberAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "party", "division", "user"]
    list_select_related = ["user", "division"]
    list_filter = ["party"]
    search_fields = ["name", "division__name", "party"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user", "division"]


@admin.register(ElectoralDivision)
class ElectoralDivisionAdmin(CarefulAdminMixin, admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Officer)
class OfficerAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "job_title", "phone", "email"]
    search_fields = ["name", "job_title", "email"]


@admin.register(Venue)
class VenueAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "address"]
    search_fields = ["name", "address"]


@admin.register(CouncilClosureDay)
class CouncilClosureDayAdmin(CarefulAdminMixin, admin.ModelAdmin):
    list_display = ["date", "reason"]


# Meetings and agendas ---------------------------------------------------------------------


@admin.register(StandingItem)
class StandingItemAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    """The council's wording of the items every agenda has; a new meeting may start from
    them ("Start from the standing items" on the meeting's page)."""

    list_display = ["title", "kind", "position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title", "standing_text"]
    fields = ["title", "kind", "standing_text", "position", "is_active"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["member"]


class AgendaItemForm(RestrictableForm):
    """One form for an agenda item, on its own page and in the meeting's list of items."""

    class Meta(RestrictableForm.Meta):
        model = AgendaItem
        # Short boxes: most items are Part I and never fill them (static/committee/part-ii-fields.js
        # hides them until the item is made Part II or confidential).
        widgets = {
            "public_interest_reasons": forms.Textarea(attrs={"rows": 3}),
            "confidential_basis": forms.Textarea(attrs={"rows": 3}),
            "standing_text": forms.Textarea(attrs={"rows": 4}),
        }


class AgendaItemInline(KeepPublishedMixin, admin.StackedInline):
    model = AgendaItem
    form = AgendaItemForm
    fk_name = "meeting"
    extra = 0
    ordering = ["order"]
    # What every item needs first; the Part II boxes follow the access they depend on (shown
    # only for a Part II or confidential item where scripts run); the agenda text and the
    # minutes an item confirms are folded away until opened (open where they have an error).
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("number", "kind", "access"),
                    "title",
                    "paragraphs",
                    "public_interest_reasons",
                    "confidential_basis",
                    "report_link",
                ]
            },
        ),
        (
            "Agenda text, minutes confirmed, place",
            {"classes": ["collapse"], "fields": ["standing_text", "minutes_of", "order"]},
        ),
    ]
    # The order is changed on the "Reorder the agenda" page: swapping numbers here would trip
    # the unique order of items half-way through saving.
    readonly_fields = ["order", "report_link"]
    autocomplete_fields = ["minutes_of"]

    def get_queryset(self, request):
        # Each item's report link is loaded with the items, so the page costs the same
        # number of queries however long the agenda; an author may look at meetings,
        # not at the standing text of Part II items.
        return (
            super()
            .get_queryset(request)
            .select_related("report", "meeting__committee")
            .filter(gate.items_open_to(gate.reader_for(request.user)))
        )

    @admin.display(description="Report")
    def report_link(self, item):
        if item.pk is None:
            return "Save the item first."
        report = getattr(item, "report", None)
        if report is None:
            url = reverse("admin:committee_report_add") + f"?agenda_item={item.pk}&title={item.title}"
            return format_html('<a href="{}">Add the report for this item</a>', url)
        return format_html(
            '<a href="{}">Edit the report: {}</a>', reverse("admin:committee_report_change", args=[report.pk]), report
        )


class MeetingForm(forms.ModelForm):
    start_from_standing_items = forms.BooleanField(
        label="Start from the standing items",
        required=False,
        help_text="Add the council's standing items (apologies, disclosure of interests, the minutes of the "
        "previous meeting, urgent business, the date of the next meeting) in its standard wording, after any "
        "items typed below. The wording is kept under Standing items.",
    )

    class Meta:
        model = Meeting
        fields = []  # the admin's own fields are added to these


@admin.register(Meeting)
class MeetingAdmin(CarefulAdminMixin, DateSearchMixin, KeepPublishedMixin, SimpleHistoryAdmin):
    open_after_adding = True  # the agenda is reordered and published from the meeting's page
    date_search_field = "starts_at"
    # The meeting (its committee and date) once, then what an officer scans the list for: its
    # state and its deadline. Fits 1,366 px beside the filters without scrolling sideways.
    list_display = ["__str__", "status", "publication_deadline", "deadline_state"]
    list_filter = ["committee", "status", ("starts_at", admin.DateFieldListFilter)]
    list_select_related = ["committee", "venue"]
    search_fields = ["committee__name", "items__title", "venue__name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["committee", "venue", "clerk", "signing_officer"]

    def get_queryset(self, request):
        # Every meeting is labelled with its committee, in the pickers too: load it with it.
        return super().get_queryset(request).select_related("committee")

    def get_search_fields(self, request):
        # The meeting picker asks at every keystroke: it finds a meeting by its date (above)
        # or its committee, not by the titles of all its items (the list's search does that).
        if request.resolver_match and request.resolver_match.url_name == "autocomplete":
            return ["committee__name"]
        return super().get_search_fields(request)

    readonly_fields = ["status", "publication_deadline_display", "agenda_published_at", "late_publication_reasons"]
    fields = [
        "committee",
        "starts_at",
        "venue",
        ("clerk", "signing_officer"),
        "status",
        "status_reason",
        "publication_deadline_display",
        "agenda_published_at",
        "late_publication_reasons",
    ]
    inlines = [AgendaItemInline, AttendanceInline]
    actions = ["publish_agenda", "mark_held", "publish_minutes"]
    form = MeetingForm

    # Why a meeting was cancelled or postponed is asked on the page that does it (Cancel or
    # postpone) and corrected here; a meeting going ahead (a new one too) has no reason to give.
    asked_only_when = {"status_reason": "is_called_off"}

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # A meeting without items yet may start from the standing items.
        if obj is None or not obj.items.exists():
            return [*fields, "start_from_standing_items"]
        return fields

    @admin.display(description="Five clear days")
    def deadline_state(self, meeting):
        met = meeting.deadline_met
        if met is None:
            if services.is_late(meeting=meeting) and meeting.status == Meeting.Status.DRAFT:
                return "Deadline passed: not yet published"
            return "Not yet published"
        return "Met" if met else "Published late"

    @admin.display(description="Publication deadline")
    def publication_deadline_display(self, meeting):
        if meeting.pk is None:
            return "Computed when the meeting is saved."
        return format_html(
            "End of {} (five clear working days before the meeting). {}",
            long_date(meeting.publication_deadline),
            self.deadline_state(meeting),
        )

    def save_record(self, request, obj, form, change):
        services.meeting_save(meeting=obj)
        obj.start_from_standing_items = form.cleaned_data.get("start_from_standing_items", False)

    def save_rows(self, request, form, formset, change):
        if formset.model is AgendaItem:
            # Each row changed or added, and whether it is new (read before the save gives it a key).
            changed = [
                (f, f.instance.pk is None) for f in formset.forms if f.has_changed() and f not in formset.deleted_forms
            ]
            services.agenda_items_prepare(items=[f.instance for f, added in changed if added])
            # An item added, or made Part I or Part II: after_save puts the parts in order.
            request.agenda_parts_changed = any(added or "access" in f.changed_data for f, added in changed)
        super().save_rows(request, form, formset, change)
        if formset.model is AgendaItem:
            # Each item changed or added here is told to subscribers as on its own page.
            request.agenda_items_changed = [(f.instance, added) for f, added in changed]

    def get_urls(self):
        own = [
            path("<int:pk>/publish/", self.admin_site.admin_view(self.publish_view), name="committee_meeting_publish"),
            path("<int:pk>/cancel/", self.admin_site.admin_view(self.cancel_view), name="committee_meeting_cancel"),
            path("<int:pk>/agenda/", self.admin_site.admin_view(self.reorder_view), name="committee_meeting_reorder"),
            path(
                "<int:pk>/minutes/",
                self.admin_site.admin_view(lambda request, pk: minutes_admin.minutes_view(self, request, pk)),
                name="committee_meeting_minutes",
            ),
            path("<int:pk>/held/", self.admin_site.admin_view(self.mark_held_view), name="committee_meeting_mark_held"),
            path(
                "<int:pk>/minutes/publish/",
                self.admin_site.admin_view(self.publish_minutes_view),
                name="committee_meeting_publish_minutes",
            ),
        ]
        return own + super().get_urls()

    def _check_publish_permission(self, request):
        if not services.may_publish(request.user):
            raise PermissionDenied

    def publish_view(self, request, pk):
        """Publish with its checks: problems listed; past the deadline, urgency reasons asked for."""
        self._check_publish_permission(request)
        meeting = get_object_or_404(Meeting, pk=pk)
        late = services.is_late(meeting=meeting)
        late_reasons = request.POST.get("late_reasons", "")

        def publish():
            services.meeting_publish_agenda(meeting=meeting, by=request.user, late_reasons=late_reasons)
            return f"The agenda for {meeting} is published.", reverse(
                "admin:committee_meeting_change", args=[meeting.pk]
            )

        return service_page(
            self,
            request,
            ready=request.method == "POST",
            obj=meeting,
            action="Publish the agenda",
            run=publish,
            template="admin/committee/meeting/publish.html",
            context={
                "meeting": meeting,
                "problems": services.publication_problems(meeting=meeting),
                "late": late,
                "late_reasons": late_reasons,
            },
        )

    def reorder_view(self, request, pk):
        """Move items up and down the agenda (by buttons, or by dragging and saving the order),
        numbered 1..n to match unless the officer unticks it; Part II items stay last."""
        meeting = get_object_or_404(Meeting, pk=pk)
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        if request.method == "POST":
            renumber = bool(request.POST.get("renumber"))
            # The agenda as the page showed it: an order made on a page drawn before a
            # colleague (or another tab) changed the agenda is refused, not saved over theirs.
            seen = request.POST.get("agenda_seen", "")
            moved = []
            try:
                if request.POST.get("move"):
                    # "up:12" from the page's buttons (one form for the whole list), or the item
                    # given on its own.
                    direction, _, item_pk = request.POST["move"].partition(":")
                    item = get_object_or_404(
                        AgendaItem, pk=_int_or_404(item_pk or request.POST.get("item")), meeting=meeting
                    )
                    services.agenda_move(item=item, step=-1 if direction == "up" else 1, renumber=renumber, seen=seen)
                else:
                    ids = [_int_or_404(pk) for pk in request.POST.getlist("order")] or list(
                        meeting.items.order_by("order").values_list("pk", flat=True)
                    )
                    moved = services.agenda_reorder(meeting=meeting, ordered_item_ids=ids, renumber=renumber, seen=seen)
                    count = len(ids)
                    self.message_user(
                        request,
                        f"The agenda order is saved{f'; the items are numbered 1 to {count}' if renumber else ''}.",
                        messages.SUCCESS,
                    )
            except ValidationError as exc:
                self.message_user(request, _error_text(exc), messages.ERROR)
            else:
                # A published agenda's packs print the order and the numbers: new versions.
                rebuild_if_published(request, meeting)
            part_ii_kept_last(request, moved)
            return redirect("admin:committee_meeting_reorder", meeting.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Reorder the agenda: {meeting}",
            "meeting": meeting,
            "rows": _reorder_rows(list(meeting.items.order_by("order"))),
            "agenda_seen": services.agenda_version(meeting=meeting),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/committee/meeting/reorder.html", context)

    def mark_held_view(self, request, pk):
        self._check_publish_permission(request)
        meeting = get_object_or_404(Meeting, pk=pk)

        def mark_held():
            services.meeting_mark_held(meeting=meeting, by=request.user)
            done = f"{meeting} is marked as held: its minutes can now be written."
            return done, reverse("admin:committee_meeting_change", args=[meeting.pk])

        return service_page(
            self,
            request,
            ready=request.method == "POST",
            obj=meeting,
            action="Mark as held",
            run=mark_held,
            template="admin/committee/meeting/mark_held.html",
            context={"meeting": meeting},
        )

    def publish_minutes_view(self, request, pk):
        self._check_publish_permission(request)
        meeting = get_object_or_404(Meeting, pk=pk)

        def publish():
            services.minutes_publish(meeting=meeting, by=request.user)
            done = f"The minutes of {meeting} are published."
            return done, reverse("admin:committee_meeting_change", args=[meeting.pk])

        return service_page(
            self,
            request,
            ready=request.method == "POST",
            obj=meeting,
            action="Publish the minutes",
            run=publish,
            template="admin/committee/meeting/publish_minutes.html",
            context={"meeting": meeting, "minutes": Minutes.objects.filter(meeting=meeting).first()},
        )

    def cancel_view(self, request, pk):
        self._check_publish_permission(request)
        meeting = get_object_or_404(Meeting, pk=pk)

        def cancel():
            services.meeting_cancel(
                meeting=meeting,
                by=request.user,
                reason=request.POST.get("reason", ""),
                postpone=request.POST.get("postpone") == "1",
            )
            done = f"{meeting} is {meeting.get_status_display().lower()}."
            return done, reverse("admin:committee_meeting_change", args=[meeting.pk])

        return service_page(
            self,
            request,
            ready=request.method == "POST",
            obj=meeting,
            action="Cancel or postpone",
            run=cancel,
            template="admin/committee/meeting/cancel.html",
            context={
                "meeting": meeting,
                "reason": request.POST.get("reason", ""),
                "postpone": request.POST.get("postpone") == "1",
            },
        )

    def _run_for_each(self, request, queryset, service, done: str):
        if not services.may_publish(request.user):
            raise PermissionDenied
        for meeting in queryset:
            try:
                service(meeting=meeting, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{meeting}: {_error_text(exc)}", messages.ERROR)
            else:
                self.message_user(request, f"{meeting}: {done}", messages.SUCCESS)

    @admin.action(description="Publish the agenda of the selected meetings", permissions=["publish"])
    def publish_agenda(self, request, queryset):
        # Late publication needs the urgency reasons, which the publish page asks for.
        self._run_for_each(request, queryset, services.meeting_publish_agenda, "agenda published.")

    @admin.action(description="Mark the selected meetings as held", permissions=["publish"])
    def mark_held(self, request, queryset):
        self._run_for_each(request, queryset, services.meeting_mark_held, "marked as held.")

    @admin.action(description="Publish the minutes of the selected meetings", permissions=["publish"])
    def publish_minutes(self, request, queryset):
        self._run_for_each(request, queryset, services.minutes_publish, "minutes published.")

    def has_publish_permission(self, request):
        return services.may_publish(request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["may_publish"] = services.may_publish(request.user)
        context["may_write_minutes"] = services.may_write_minutes(request.user)
        context["today"] = timezone.localdate()
        reader = gate.reader_for(request.user)
        # The build status is for officers (a report author may look at the meeting).
        if obj is not None and obj.pk and gate.may_see_builds(reader):
            context["pack_status"] = pack_selectors.meeting_pack_status(meeting=obj, reader=reader)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def after_save(self, request, obj, change):
        if getattr(obj, "start_from_standing_items", False):
            added = services.agenda_items_from_standing(meeting=obj, by=request.user)
            self.message_user(request, f"{len(added)} standing items were added to the agenda.", messages.SUCCESS)
        if getattr(request, "agenda_parts_changed", False):
            keep_part_ii_last(request, obj)
        rebuild_if_published(request, obj, papers=getattr(request, "agenda_items_changed", ()))


@admin.register(AgendaItem)
class AgendaItemAdmin(GateAsksOfEachRecord, CarefulAdminMixin, DateSearchMixin, KeepPublishedMixin, SimpleHistoryAdmin):
    open_after_adding = True  # its report is made from Word on the item's page
    form = AgendaItemForm
    date_search_field = "meeting__starts_at"

    def get_queryset(self, request):
        # Every item is labelled with its meeting (its committee and date): load them with it.
        # An author may look at items, not at the standing text of Part II ones (the gate).
        items = super().get_queryset(request).filter(gate.items_open_to(gate.reader_for(request.user)))
        return items.select_related("meeting__committee")

    may_view = may_change = staticmethod(gate.may_open_item)

    list_display = ["__str__", "meeting", "kind", "access"]
    # "Paragraph not recorded": Part II items imported from ModernGov, for an officer to complete.
    list_filter = ["kind", "access", "paragraph_not_recorded", "meeting__committee"]
    list_select_related = ["meeting__committee"]
    search_fields = ["title", "meeting__committee__name"]
    autocomplete_fields = ["meeting", "minutes_of"]

    def save_record(self, request, obj, form, change):
        was_on = stored_meeting(obj)
        services.agenda_item_prepare(item=obj)
        super().save_record(request, obj, form, change)
        if not change or {"access", "meeting"} & set(form.changed_data):
            # An item added (to the end), moved to this meeting, or made Part I or Part II:
            # only then can a Part I item follow a Part II one. An untouched save moves nothing.
            keep_part_ii_last(request, obj.meeting)
        rebuild_if_published(request, obj.meeting, papers=[(obj, not change)], was_on=was_on)

    def get_urls(self):
        view = self.admin_site.admin_view
        own = [
            path(
                "<int:pk>/word/",
                view(lambda request, pk: word_admin.report_from_word_view(self, request, pk)),
                name="committee_agendaitem_word_import",
            ),
        ]
        return own + super().get_urls()


# Reports and appendices -------------------------------------------------------------------


class ReportPartInline:
    """Background papers and appendices are edited with their report, by whoever may edit it
    (committee.gate.may_edit_report: an officer, or one of its authors before publication)."""

    def _may_edit(self, request, obj) -> bool:
        return not isinstance(obj, Report) or gate.may_edit_report(gate.reader_for(request.user), obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)


class BackgroundPaperInline(ReportPartInline, admin.TabularInline):
    model = BackgroundPaper
    extra = 0


class _OriginalLink:
    def __init__(self, url: str, label: str):
        self.url, self.label = url, label

    def __str__(self):
        return self.label


class UploadedDocumentWidget(KeepsChosenFile, AdminFileWidget):
    """The "Currently:" link opens the file as uploaded, through the gate (officers only), and
    shows the name it was uploaded under (stored files have names Quorum chose); a file chosen
    in a try that came back with a message is kept and named (core.held_uploads)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        appendix = getattr(value, "instance", None)
        if context["widget"]["is_initial"] and appendix is not None and appendix.pk:
            context["widget"]["value"] = _OriginalLink(
                reverse("committee:appendix-original", args=[appendix.pk]), appendix.document_name or value.name
            )
        return context


class AppendixForm(RestrictableForm):
    """One form for an appendix, in its report's list and on its own page. The officer picks
    the kind, then fills in what that kind needs: the PDF, the text, or the data to show,
    chosen by name (appendix-kind.js shows only the chosen kind's field; without script
    every field shows, each saying which kind it is for)."""

    structured_row = forms.ChoiceField(
        label="Data to show",
        required=False,
        help_text="For structured data: the risk register snapshot, reported performance report or action plan "
        "snapshot, by name. They are listed once taken, reported or frozen in their own sections.",
    )

    class Meta(RestrictableForm.Meta):
        model = Appendix
        exclude = ["exempt_paragraphs", "content_type", "object_id"]  # noqa: DJ006 - chosen by name instead
        widgets = {"document": UploadedDocumentWidget}
        help_texts = {
            "document": "For an uploaded PDF document. Readers get a cleaned copy (the pages only); the file as "
            "uploaded is kept for officers.",
            "body": "For a text appendix (a letter or statement).",
        }

    class Media:
        js = ["committee/appendix-kind.js"]

    # A structured appendix's data is chosen in one field standing for both columns.
    constraint_fields = {
        **RestrictableForm.constraint_fields,
        "content_type": "structured_row",
        "object_id": "structured_row",
    }

    def __init__(self, *args, structured_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = structured_choices if structured_choices is not None else appendices.choices()
        self.fields["structured_row"].choices = [("", "---------"), *choices]
        appendix = self.instance
        if appendix.content_type_id and appendix.object_id:
            ct = appendix.content_type
            self.initial.setdefault("structured_row", f"{ct.app_label}.{ct.model}:{appendix.object_id}")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Appendix.Kind.STRUCTURED:
            try:
                services.structured_appendix_set(
                    appendix=self.instance, row=appendices.row_for(cleaned.get("structured_row"))
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class AppendixInline(KeepPublishedMixin, ReportPartInline, admin.StackedInline):
    model = Appendix
    form = AppendixForm
    extra = 0
    fields = [
        ("placement", "order", "letter"),
        ("title", "kind"),
        "document",
        "document_name",
        "body",
        "structured_row",
        ("access", "paragraphs"),
        "public_interest_reasons",
        "confidential_basis",
    ]
    readonly_fields = ["document_name"]


@admin.register(Report)
class ReportAdmin(GateAsksOfEachRecord, CarefulAdminMixin, KeepPublishedMixin, SimpleHistoryAdmin):
    open_after_adding = True  # the report is uploaded from Word on its page
    list_display = ["title", "meeting", "report_of", "contact", "updated_at"]
    list_select_related = ["agenda_item__meeting__committee", "contact"]
    list_filter = ["agenda_item__meeting__committee", "agenda_item__access"]
    search_fields = ["title", "report_of", "executive_summary", "agenda_item__meeting__committee__name"]
    autocomplete_fields = ["agenda_item", "contact"]
    readonly_fields = ["first_published_at", "updated_at"]
    inlines = [BackgroundPaperInline, AppendixInline]
    fieldsets = [
        (None, {"fields": ["agenda_item", "title", "report_of", "electoral_divisions", "contact", "authors"]}),
        (
            "Sections",
            {
                # The report's sections in the template's order (Report.SECTIONS), then
                # the Part II reason, printed after them.
                "fields": [*(name for name, _ in Report.SECTIONS), "reason_for_part_ii"]
            },
        ),
        ("Publication", {"fields": ["first_published_at", "updated_at"]}),
    ]

    @admin.display(description="Meeting", ordering="agenda_item__meeting__starts_at")
    def meeting(self, report):
        return report.agenda_item.meeting

    # Who opens and edits which report is the gate's to say (an author: the reports they are
    # named on, and edits them until the agenda is published); Django's permissions say
    # only that the person writes reports at all.
    def get_queryset(self, request):
        return super().get_queryset(request).filter(gate.reports_open_to(gate.reader_for(request.user)))

    may_view = staticmethod(gate.may_open_report)
    may_change = staticmethod(gate.may_edit_report)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not gate.reader_for(request.user).is_officer:
            # Democratic services put a report on the agenda and say who writes it.
            fields += ["agenda_item", "authors"]
        return fields

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, AppendixInline):
            # The structured data to choose from, listed once for every appendix on the page.
            kwargs["form_kwargs"] = {**kwargs.get("form_kwargs", {}), "structured_choices": appendices.choices()}
        return kwargs

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """An author who opens a report they may not edit is told why, rather than shown a
        missing page or refused with a bare 403."""
        refusal = report_refusal(request, object_id)
        if refusal is not None:
            return refusal
        return super().change_view(request, object_id, form_url, extra_context)

    def save_rows(self, request, form, formset, change):
        if formset.model is Appendix:
            for appendix_form in formset.forms:
                if appendix_form.has_changed() and not appendix_form.cleaned_data.get("DELETE"):
                    services.appendix_prepare(appendix=appendix_form.instance)
            services.appendices_deleted(appendices=[f.instance for f in formset.deleted_forms if f.instance.pk])
        super().save_rows(request, form, formset, change)

    def save_record(self, request, obj, form, change):
        obj.was_on = stored_meeting(obj)  # for after_save, once the appendices are saved too
        super().save_record(request, obj, form, change)

    def after_save(self, request, obj, change):
        rebuild_if_published(
            request, obj.agenda_item.meeting, papers=[(obj, not change)], was_on=getattr(obj, "was_on", None)
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        own = [
            path(
                "word-template/",
                view(lambda request: word_admin.template_download_view(self, request)),
                name="committee_report_word_template",
            ),
            path(
                "<int:pk>/word/",
                view(lambda request, pk: word_admin.report_import_view(self, request, pk)),
                name="committee_report_word_import",
            ),
            path(
                "<int:pk>/word/download/",
                view(lambda request, pk: word_admin.report_download_view(self, request, pk)),
                name="committee_report_word_download",
            ),
            path(
                "<int:pk>/word/source/<int:source_pk>/",
                view(lambda request, pk, source_pk: word_admin.source_download_view(self, request, pk, source_pk)),
                name="committee_report_word_source",
            ),
        ]
        return own + super().get_urls()


NOT_NAMED = (
    "You are not named as an author of this report, so it cannot be opened here. "
    "Democratic services can add you to its authors."
)
PUBLISHED = (
    "The agenda of this report's meeting is published, so the report can be read here but not changed. "
    "A correction needs a democratic services officer (it makes a new version of the agenda pack)."
)


def report_refusal(request, object_id, report_id: int | None = None):
    """For someone who is not an officer: a redirect with the reason when they may not open
    the report (or the appendix's report); a warning, and for a save a redirect back, when
    they may read it but not change it. None when they may go on."""
    reader = gate.reader_for(request.user)
    if reader.is_officer:
        return None
    if report_id is None:
        report_id = int(object_id) if str(object_id).isdigit() else None
    report = Report.objects.select_related("agenda_item__meeting").filter(pk=report_id).first()
    if report is None:
        return None
    if not gate.may_open_report(reader, report):
        messages.error(request, NOT_NAMED)
        return redirect("admin:committee_report_changelist")
    if not gate.may_edit_report(reader, report):
        if request.method == "POST":
            messages.error(request, PUBLISHED)
            return redirect(request.path)
        messages.warning(request, PUBLISHED)
    return None


@admin.register(Appendix)
class AppendixAdmin(GateAsksOfEachRecord, CarefulAdminMixin, KeepPublishedMixin, SimpleHistoryAdmin):
    form = AppendixForm
    list_display = ["__str__", "report", "kind", "access", "document_pages"]
    list_select_related = ["report"]
    list_filter = ["kind", "access"]
    search_fields = ["title", "report__title"]
    autocomplete_fields = ["report"]
    readonly_fields = ["document_name"]
    fields = [
        "report",
        ("placement", "order", "letter"),
        ("title", "kind"),
        "document",
        "document_name",
        "body",
        "structured_row",
        ("access", "paragraphs"),
        "public_interest_reasons",
        "confidential_basis",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(gate.reports_open_to(gate.reader_for(request.user), "report__"))

    # Asked by the report's key: an old version's report may have been deleted since.
    may_view = staticmethod(lambda reader, appendix: gate.may_open_report_numbered(reader, appendix.report_id))
    may_change = staticmethod(lambda reader, appendix: gate.may_edit_report(reader, appendix.report))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or gate.may_edit_report(gate.reader_for(request.user), obj.report))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "report":
            # An author adds appendices to the reports they may edit, and to no other.
            kwargs["queryset"] = Report.objects.filter(gate.reports_editable(gate.reader_for(request.user)))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # An address typed by hand may name no appendix at all (.../abc/change/): the admin
        # itself then says that no such record exists.
        appendix = Appendix.objects.filter(pk=object_id) if str(object_id).isdigit() else Appendix.objects.none()
        report_id = appendix.values_list("report_id", flat=True).first()
        refusal = report_refusal(request, object_id, report_id=report_id) if report_id else None
        if refusal is not None:
            return refusal
        return super().change_view(request, object_id, form_url, extra_context)

    def save_record(self, request, obj, form, change):
        was_on = stored_meeting(obj)
        services.appendix_prepare(appendix=obj)
        super().save_record(request, obj, form, change)
        rebuild_if_published(request, obj.report.agenda_item.meeting, papers=[(obj.report, False)], was_on=was_on)

    def delete_model(self, request, obj):
        services.appendices_deleted(appendices=[obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        services.appendices_deleted(appendices=list(queryset))
        super().delete_queryset(request, queryset)


# Minutes ----------------------------------------------------------------------------------


class MinuteInline(admin.StackedInline):
    """Minutes of items; an item of another meeting is refused at its field (Minute.clean,
    checked by every admin form), and by the database (committee/db_rules.py). Officers
    usually write them on the meeting's "Write the minutes" page."""

    model = Minute
    extra = 0
    autocomplete_fields = ["agenda_item"]


@admin.register(Minutes)
class MinutesAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "published_at", "confirmed_at"]
    list_select_related = ["meeting__committee", "confirmed_at__committee"]
    search_fields = ["meeting__committee__name", "entries__text", "entries__resolution"]
    autocomplete_fields = ["meeting", "confirmed_at"]
    readonly_fields = ["published_at"]
    inlines = [MinuteInline]

    def get_readonly_fields(self, request, obj=None):
        # The minutes of one meeting never become another's: their minutes are of its items.
        return [*super().get_readonly_fields(request, obj), *(["meeting"] if obj is not None else [])]

    # A minute taken out of published minutes, or the minutes deleted, leaves the agenda packs
    # that reprint them (as on the "Write the minutes" page: services.minutes_write).
    def after_save(self, request, obj, change):
        pack_services.packs_after_minutes_changed(meeting=obj.meeting, by=request.user)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        pack_services.packs_after_minutes_changed(meeting=obj.meeting, by=request.user)

    def delete_queryset(self, request, queryset):
        meetings = [minutes.meeting for minutes in queryset.select_related("meeting")]
        super().delete_queryset(request, queryset)
        for meeting in meetings:
            pack_services.packs_after_minutes_changed(meeting=meeting, by=request.user)


@admin.register(Attendance)
class AttendanceAdmin(CarefulAdminMixin, SimpleHistoryAdmin):
    list_display = ["member", "meeting", "status", "in_the_chair"]
    list_select_related = ["member", "meeting__committee"]
    list_filter = ["status", "meeting__committee"]
    autocomplete_fields = ["member", "meeting"]


# Agenda packs -----------------------------------------------------------------------------


@admin.register(AgendaPack)
class AgendaPackAdmin(CarefulAdminMixin, WrittenByServicesMixin, admin.ModelAdmin):
    """Every build of every pack, kept as built: ready versions are the published record
    and are never edited or deleted here (domain rules 10). Builds are requested from the
    meeting's page."""

    list_display = [
        "meeting", "scope", "kind", "is_preview", "number", "status", "pages", "size", "finished_at", "withdrawn_at",
    ]  # fmt: skip
    list_filter = ["status", "kind", "scope", "is_preview", "meeting__committee"]
    list_select_related = ["meeting__committee", "requested_by"]
    search_fields = ["meeting__committee__name", "error"]
    date_hierarchy = "requested_at"
    readonly_fields = [
        "meeting",
        "kind",
        "scope",
        "is_preview",
        "number",
        "status",
        "download",
        "pages",
        "size",
        "checksum",
        "input_hash",
        "page_ranges",
        "progress",
        "progress_note",
        "error",
        "attempts",
        "requested_by",
        "requested_at",
        "started_at",
        "finished_at",
        "lease_until",
        "front_pages",
        "timings",
        "carried",
        "withdrawal",
        "withdrawn_at",
        "withdrawn_by",
        "withdrawal_reason",
    ]
    exclude = ["file"]

    @admin.display(description="Withdraw")
    def withdrawal(self, pack):
        if pack.status != AgendaPack.Status.READY or pack.is_withdrawn:
            return "-"
        url = reverse("admin:committee_agendapack_withdraw", args=[pack.pk])
        return format_html('<a href="{}">Withdraw this version</a>', url)

    def get_urls(self):
        own = [
            path(
                "<int:pk>/withdraw/",
                self.admin_site.admin_view(self.withdraw_view),
                name="committee_agendapack_withdraw",
            )
        ]
        return own + super().get_urls()

    def withdraw_view(self, request, pk):
        """Withdraw a version deliberately, with the reason the public will read."""
        if not services.may_publish(request.user):
            raise PermissionDenied
        pack = get_object_or_404(AgendaPack.objects.select_related("meeting__committee"), pk=pk)
        reason = request.POST.get("reason", "")

        def withdraw():
            pack_services.pack_withdraw(pack=pack, by=request.user, reason=reason)
            done = f"Version {pack.number} was withdrawn; its address now says why and links to the current version."
            return done, reverse("admin:committee_agendapack_change", args=[pack.pk])

        return service_page(
            self,
            request,
            ready=request.method == "POST",
            obj=pack,
            action="Withdraw",
            run=withdraw,
            template="admin/committee/agendapack/withdraw.html",
            context={"pack": pack, "reason": reason},
        )

    @admin.display(description="File")
    def download(self, pack):
        if pack.status != AgendaPack.Status.READY:
            return "-"
        return format_html('<a href="{}">Download version {}</a>', pack.get_absolute_url(), pack.number)

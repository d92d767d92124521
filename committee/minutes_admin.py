"""The "Write the minutes" page of a held meeting: one page with a row for each agenda item
(its minute and resolution) and the attendance, saved in one go by
services.minutes_write. The forms here check what the officer typed and put each message
at its field; the service checks again and writes, all or nothing."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from core.forms import VERSION_FIELD, RichTextFormField, VersionSeenField

from . import selectors, services
from .models import AgendaItem, Attendance, Meeting, Member, Minute, Minutes

ONE_CHAIR = "Only one councillor can be in the chair at a meeting."
CHAIR_PRESENT = "The councillor in the chair must be present."
ALREADY_LISTED = "This councillor is already in the attendance for this meeting."
ADDED_ROWS = 2  # blank lines for substitutes and others not on the committee

# Sections other apps add under each item of the page (interests: the declarations made in
# it), so that committee imports nothing of theirs; each registers in its AppConfig.ready().
# A section has `button` (the name of its own submit button, whose value is the item's pk),
# `template` (included under the item with `form`), `forms(data, meeting, items, members,
# posted)` giving a form per item pk, `save(form, by)` returning what to tell the officer, and
# `minute_problem(item, text)`: what its records make wrong in a minute about to be saved.
ITEM_SECTIONS: list = []


class MinutesForm(forms.Form):
    officers_in_attendance = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="One officer a line, with their job title.",
    )
    version_seen = VersionSeenField()


class ItemMinuteForm(forms.Form):
    """The minute of one item; the item's number and title are shown, not edited."""

    item = forms.IntegerField(widget=forms.HiddenInput)
    text = RichTextFormField(label="Minute", required=False, widget=forms.Textarea(attrs={"rows": 4, "cols": 80}))
    resolution = RichTextFormField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text='"Resolved: That the Cabinet Committee note the report."',
    )

    def __init__(self, *args, meeting: Meeting, items: dict[int, AgendaItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting, self.items = meeting, items

    def clean(self):
        cleaned = super().clean()
        pk = cleaned.get("item")
        if pk is None:
            return cleaned
        item = self.items.get(pk) or AgendaItem.objects.filter(pk=pk).first()
        if item is None:
            raise ValidationError("This agenda item no longer exists: open the page again.")
        # The model's rule (Minute.clean), with the minutes of this meeting.
        try:
            Minute(minutes=Minutes(meeting=self.meeting), agenda_item=item).clean()
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return cleaned

    @property
    def agenda_item(self) -> AgendaItem | None:
        value = self["item"].value()
        return self.items.get(_whole_number(value))


class AttendanceForm(forms.Form):
    member = forms.ModelChoiceField(queryset=Member.objects.order_by("name"), required=False, label="Councillor")
    listed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(
        choices=[("", "Not recorded"), *Attendance.Status.choices], required=False, label="Attendance"
    )
    is_substitute = forms.BooleanField(required=False, label="Substitute")
    in_the_chair = forms.BooleanField(required=False, label="In the chair")

    def __init__(self, *args, members: dict[int, Member], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        listed = self["listed"].value()
        self.is_listed = listed in (True, "True", "true", "on", "1")
        if self.is_listed:
            # A committee member's line, or one saved before: the councillor is shown as text.
            self.fields["member"].widget = forms.HiddenInput()

    @property
    def councillor(self) -> Member | None:
        value = self["member"].value()
        value = getattr(value, "pk", value)
        return self.members.get(_whole_number(value))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") and cleaned.get("member") is None:
            self.add_error("member", "Choose the councillor.")
        if cleaned.get("in_the_chair") and cleaned.get("status") != Attendance.Status.PRESENT:
            self.add_error("status", CHAIR_PRESENT)
        return cleaned


class AttendanceFormSet(forms.BaseFormSet):
    def clean(self):
        if any(form.errors for form in self.forms):
            return
        seen, chairs = set(), []
        for form in self.forms:
            member, status = form.cleaned_data.get("member"), form.cleaned_data.get("status")
            if member is None:
                continue
            if member.pk in seen:
                form.add_error("member", ALREADY_LISTED)
            seen.add(member.pk)
            if status and form.cleaned_data.get("in_the_chair"):
                chairs.append(form)
        if len(chairs) > 1:
            for form in chairs:
                form.add_error("in_the_chair", ONE_CHAIR)
        if any(form.errors for form in self.forms):
            raise ValidationError("Correct the attendance below.")


ItemMinuteFormSet = forms.formset_factory(ItemMinuteForm, extra=0)
AttendanceFormSetClass = forms.formset_factory(AttendanceForm, formset=AttendanceFormSet, extra=0)


def _initial(sheet: selectors.MinutesSheet):
    items = []
    for item in sheet.items:
        minute = getattr(item, "minute", None)
        if sheet.minutes is not None:
            text, resolution = (minute.text, minute.resolution) if minute is not None else ("", "")
        else:
            text, resolution = sheet.proposed.get(item.pk, ("", ""))
            if minute is not None:  # written elsewhere before these minutes were started
                text, resolution = minute.text, minute.resolution
        items.append({"item": item.pk, "text": text, "resolution": resolution})
    attendance = [
        {
            "member": row.member.pk,
            "listed": True,
            "status": row.status,
            "is_substitute": row.is_substitute,
            "in_the_chair": row.in_the_chair,
        }
        for row in sheet.attendance
    ] + [{"listed": False} for _ in range(ADDED_ROWS)]
    return items, attendance


def minutes_view(model_admin, request, pk):
    """Write the minutes of a held meeting (admin:committee_meeting_minutes)."""
    if not services.may_write_minutes(request.user):
        raise PermissionDenied
    meeting = get_object_or_404(Meeting.objects.select_related("committee", "venue", "clerk"), pk=pk)
    change_url = reverse("admin:committee_meeting_change", args=[meeting.pk])
    if not meeting.can_write_minutes:
        model_admin.message_user(
            request, "Minutes can be written once the meeting has been marked as held.", messages.ERROR
        )
        return redirect(change_url)
    sheet = selectors.minutes_sheet(meeting)
    items = {item.pk: item for item in sheet.items}
    members = {row.member.pk: row.member for row in sheet.attendance}
    errors, extras = [], None
    if request.method == "POST":
        data = request.POST.copy()
        posted = {v for k, v in data.items() if k.startswith("attendance-") and k.endswith("-member")}
        unknown = [n for n in map(_whole_number, posted) if n is not None and n not in members]
        members.update({m.pk: m for m in Member.objects.filter(pk__in=unknown)})
        page, item_forms, attendance_forms = _bind(data, meeting, items, members)
        section, posted = _section_posted(data)
        if section is not None and posted not in items:
            errors = ["This agenda item is no longer on the agenda: open the page again."]
            page, item_forms, attendance_forms = _kept(page, item_forms, attendance_forms, meeting, items, members)
        elif section is not None:
            # A section's own button (record a declaration...): only its form is checked and
            # saved; the minutes are not, and what was typed in them comes back unsaved.
            extras = _extras(data, meeting, items, members, section, posted)
            form = extras[section][posted]
            if form.is_valid():
                try:
                    done = section.save(form, request.user)
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    model_admin.message_user(request, done, messages.SUCCESS)
                    extras = _extras(None, meeting, items, members)
            page, item_forms, attendance_forms = _kept(page, item_forms, attendance_forms, meeting, items, members)
        elif _all_valid(page, item_forms, attendance_forms):
            try:
                written = services.minutes_write(
                    meeting=meeting,
                    by=request.user,
                    officers_in_attendance=page.cleaned_data["officers_in_attendance"],
                    entries=[
                        services.MinuteEntry(
                            f.cleaned_data["item"], f.cleaned_data["text"], f.cleaned_data["resolution"]
                        )
                        for f in item_forms
                    ],
                    attendances=[
                        services.AttendanceEntry(
                            member_id=f.cleaned_data["member"].pk,
                            status=f.cleaned_data["status"],
                            in_the_chair=f.cleaned_data["in_the_chair"],
                            is_substitute=f.cleaned_data["is_substitute"],
                        )
                        for f in attendance_forms
                        if f.cleaned_data.get("member") is not None
                    ],
                    version_seen=data.get(VERSION_FIELD) or None,
                )
            except ValidationError as exc:
                errors = exc.messages
                if exc.error_list[0].code == "stale":
                    # Saving again from this page is then a deliberate choice.
                    data[VERSION_FIELD] = services.minutes_version(meeting=meeting)
                    page, item_forms, attendance_forms = _bind(data, meeting, items, members)
            else:
                if written:
                    model_admin.message_user(request, f"The minutes of {meeting} are saved.", messages.SUCCESS)
                else:
                    model_admin.message_user(request, "Nothing was changed, so nothing was saved.", messages.INFO)
                return redirect(change_url)
    else:
        item_initial, attendance_initial = _initial(sheet)
        page = MinutesForm(
            initial={
                "officers_in_attendance": sheet.officers_in_attendance,
                VERSION_FIELD: services.minutes_version(meeting=meeting),
            }
        )
        item_forms = ItemMinuteFormSet(
            prefix="items", initial=item_initial, form_kwargs={"meeting": meeting, "items": items}
        )
        attendance_forms = AttendanceFormSetClass(
            prefix="attendance", initial=attendance_initial, form_kwargs={"members": members}
        )
    if extras is None:
        extras = _extras(None, meeting, items, members)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Meeting._meta,
        "title": f"Write the minutes: {meeting}",
        "meeting": meeting,
        "minutes": sheet.minutes,
        "page_form": page,
        "item_forms": item_forms,
        "item_rows": [
            (form, [(s.template, extras[s].get(_item_pk(form))) for s in ITEM_SECTIONS]) for form in item_forms
        ],
        "attendance_forms": attendance_forms,
        # The rich-text editor of the minutes and resolutions (core.editor): without the
        # forms' media the officer is shown each minute's HTML in a bare text area.
        "media": page.media + item_forms.media + attendance_forms.media,
        "errors": errors,
        "back_url": change_url,
    }
    return TemplateResponse(request, "admin/committee/meeting/minutes.html", context)


def _bind(data, meeting, items, members):
    return (
        MinutesForm(data),
        ItemMinuteFormSet(data, prefix="items", form_kwargs={"meeting": meeting, "items": items}),
        AttendanceFormSetClass(data, prefix="attendance", form_kwargs={"members": members}),
    )


def _all_valid(page, item_forms, attendance_forms) -> bool:
    valid = all(f.is_valid() for f in (page, item_forms, attendance_forms))
    if not valid:
        return False
    for form in item_forms:
        for section in ITEM_SECTIONS:
            problem = section.minute_problem(form.agenda_item, form.cleaned_data["text"])
            if problem:
                form.add_error("text", problem)
                valid = False
    return valid


def _whole_number(value) -> int | None:
    """A posted id as a number, or None for anything else: `isdigit` alone lets through
    digits `int` refuses ("²"), which would answer 500 to a crafted post."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() else None


def _section_posted(data):
    """The section whose button was pressed, and the item it was pressed under."""
    for section in ITEM_SECTIONS:
        number = _whole_number(data.get(section.button))
        if number is not None:
            return section, number
    return None, None


def _extras(data, meeting, items, members, posted_section=None, posted=None):
    return {
        section: section.forms(
            data if section is posted_section else None, meeting, items, list(members.values()), posted
        )
        for section in ITEM_SECTIONS
    }


def _item_pk(form) -> int | None:
    return _whole_number(form["item"].value())


def _typed(form) -> dict:
    return {name: form[name].value() for name in form.fields}


def _kept(page, item_forms, attendance_forms, meeting, items, members):
    """The page's forms unbound, holding what was typed: shown again without being checked."""
    return (
        MinutesForm(initial=_typed(page)),
        ItemMinuteFormSet(
            prefix="items",
            initial=[_typed(f) for f in item_forms],
            form_kwargs={"meeting": meeting, "items": items},
        ),
        AttendanceFormSetClass(
            prefix="attendance",
            initial=[_typed(f) for f in attendance_forms],
            form_kwargs={"members": members},
        ),
    )

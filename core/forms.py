"""How officers' edits are saved, the same way for every record in the admin.

Three promises (docs/architecture.md, "Saving an edit"):

- A save made from a stale copy is refused. The change form carries `version_seen`, a hash
  of the record (and of the rows edited with it) as it was when the page was drawn; the
  save locks the row, works the hash out again and, if someone saved in between, shows
  the form again with what changed and who changed it. Nothing typed is lost.
- An untouched save changes nothing: no write, no history row, no new pack version.
- Every rule the database enforces (Meta.constraints) is checked in the form first, also
  for fields the form does not show and across the rows of an inline, so an officer gets
  a message at the field instead of an error page.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime

from django import forms
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ImproperlyConfigured,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import IntegrityError, models, router, transaction
from django.db.models import Q, UniqueConstraint
from django.forms.models import InlineForeignKeyField, _get_foreign_key, construct_instance
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData
from django.utils.text import capfirst

from core import held_uploads
from core.admin_helpers import SearchWithoutNulMixin
from core.dates import am_pm_without_dots, day_and_time, mistyped_year_problem
from core.editor import RichTextEditor
from core.history import NamedRecord, record_name
from core.text import join_and, person_name

VERSION_FIELD = "version_seen"


def normalise_newlines(text: str) -> str:
    """Browsers post a text area's line ends as CRLF; what is stored has LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if isinstance(text, str) else text


def plain_str(value):
    """Stored rich text comes back marked safe (it was sanitised when written). In a text
    area it must be escaped like any other text, or the browser decodes its entities and
    the next save stores `&lt;b&gt;` as bold."""
    return str.__str__(value) if isinstance(value, SafeData) else value


# The version of a record ---------------------------------------------------------------------


def _row_values(obj) -> list:
    values = []
    for field in obj._meta.concrete_fields:
        if getattr(field, "auto_now", False):
            continue  # a save that changed nothing still moves "updated at"
        value = field.value_from_object(obj)
        values.append([field.attname, str(value) if isinstance(value, models.fields.files.FieldFile) else value])
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            values.append([field.name, sorted(getattr(obj, field.name).values_list("pk", flat=True))])
    return values


def version_hash(rows) -> str:
    payload = json.dumps([_row_values(row) for row in rows], default=str, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def rows_version(rows) -> str:
    """The version of a grid of records, row by row (None for a row not saved yet)."""
    return ".".join("-" if row is None else version_hash([row]) for row in rows)


def changed_rows(seen: str, now: str) -> list[int]:
    """The rows of a grid saved by someone else since the officer's copy was drawn."""
    seen_rows, now_rows = seen.split("."), now.split(".")
    if len(seen_rows) != len(now_rows):
        return list(range(len(now_rows)))
    return [index for index, (before, after) in enumerate(zip(seen_rows, now_rows, strict=True)) if before != after]


def _admin_log(obj):
    """The admin's log of changes to `obj`: what records a change to a model kept without
    django-simple-history (who saved it, when, and the fields their form changed)."""
    from django.contrib.admin.models import CHANGE, LogEntry  # noqa: PLC0415 - needs the apps loaded
    from django.contrib.contenttypes.models import ContentType  # noqa: PLC0415

    kind = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return LogEntry.objects.filter(content_type=kind, object_id=str(obj.pk), action_flag=CHANGE)


def latest_history_id(obj) -> int:
    """The last change recorded of `obj`: its last history row, or for a model kept without
    history, its last entry in the admin's log (0: none)."""
    if obj.pk is None:
        return 0
    if getattr(type(obj), "history", None) is None:
        return _admin_log(obj).order_by("-pk").values_list("pk", flat=True).first() or 0
    return obj.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0


@dataclass
class Changes:
    """What a colleague changed since a page was drawn: the fields (when known), who, and
    when the last of those changes was saved."""

    fields: list[str]
    people: list[str]
    when: datetime | None = None

    def who(self) -> str:
        """Who saved: "someone else" where no change is recorded (one a service made)."""
        return join_and(self.people) if self.people else "someone else"

    def at(self) -> str:
        """When the last of the changes was saved, to follow what was changed."""
        if self.when is None or not self.people:
            return ""
        day, time = day_and_time(self.when)
        return f" (at {time} on {day})"


def _people(users) -> list[str]:
    people = []
    for user in users:
        name = person_name(user)
        if name not in people:
            people.append(name)
    return people


def _fields_logged(change_message: str) -> list[str]:
    """The record's own fields a log entry says were changed (Django writes their labels,
    as JSON; a row of an inline names its row, and is told apart by the page's versions)."""
    try:
        said = json.loads(change_message or "[]")
    except ValueError:
        return []
    return [
        name
        for part in said
        if isinstance(part, dict) and "name" not in part.get("changed", {"name": None})
        for name in part["changed"].get("fields", [])
    ]


def changes_since(obj, seen_history_id: int) -> Changes:
    """The fields of `obj` changed since its history row `seen_history_id`, who changed them
    and when (django-simple-history keeps all three; for a model without history, the
    admin's log keeps them for the changes saved in the admin, `seen_history_id` then being
    its last entry when the page was drawn)."""
    if getattr(type(obj), "history", None) is None:
        logged = list(_admin_log(obj).filter(pk__gt=seen_history_id).select_related("user").order_by("pk"))
        if not logged:
            return Changes([], [])
        fields = []
        for entry in logged:
            for name in _fields_logged(entry.change_message):
                if name not in fields:
                    fields.append(name)
        return Changes(fields, _people(entry.user for entry in logged), logged[-1].action_time)
    seen = obj.history.filter(history_id=seen_history_id).first() if seen_history_id else None
    later = list(obj.history.filter(history_id__gt=seen_history_id).order_by("history_id"))
    if not later or (seen is None and seen_history_id):
        return Changes([], [])
    # A record kept without a version until now (loaded or imported in bulk) has no earlier
    # version to compare with: who saved it is known, not which fields.
    fields = []
    if seen is not None:
        delta = later[-1].diff_against(seen)
        labels = {f.name: str(f.verbose_name) for f in obj._meta.fields if not getattr(f, "auto_now", False)}
        fields = [labels[change.field] for change in delta.changes if change.field in labels]
    return Changes(fields, _people(record.history_user for record in later), later[-1].history_date)


def _last_version(model, pk):
    """A deleted record as it was last saved (its history's last row)."""
    history = getattr(model, "history", None)
    last = history.filter(**{model._meta.pk.attname: pk}).order_by("-history_id").first() if history else None
    return last.instance if last is not None else None


def latest_editor(obj) -> str:
    """Who saved `obj` last, as django-simple-history recorded it."""
    record = obj.history.order_by("-history_id").first() if obj is not None and hasattr(obj, "history") else None
    user = record.history_user if record is not None else None
    return person_name(user)


# Text is HTML only in rich-text fields; elsewhere it is printed as it is typed.
_TAG = re.compile(
    r"</?(?:p|br|b|strong|i|em|u|s|span|div|font|ul|ol|li|h[1-6]|table|thead|tbody|tr|th|td|a|sub|sup|blockquote|o:p)\b[^>]*>",
    re.IGNORECASE,
)
PLAIN_TEXT_MESSAGE = (
    "This is printed as plain text, so HTML tags such as <b> or <p> would be printed as they are. "
    "Type the words alone, without tags."
)


def has_tags(value) -> bool:
    return isinstance(value, str) and bool(_TAG.search(value))


# Forms -----------------------------------------------------------------------------------


class RichTextFormField(forms.CharField):
    """The form field of core.richtext.RichTextField: the rich-text editor (core.editor) over
    the stored HTML, giving back exactly what was stored when nothing was edited.

    The editor writes its own HTML only once the officer changes something, and it writes
    some things its own way (<li><p>…</p></li>, <strong> for <b>): text that reads the same
    as what was stored counts as unchanged (core.richtext.same_rich_text) and the stored
    HTML is kept, so opening a record and saving it never rewrites its text."""

    def __init__(self, **kwargs):
        widget = kwargs.get("widget")
        # Every text area of rich text gets the editor, also the admin's own (which
        # formfield_overrides passes for every TextField); another widget chosen on purpose stays.
        if widget is None or (
            (issubclass(widget, forms.Textarea) if isinstance(widget, type) else isinstance(widget, forms.Textarea))
            and not (
                issubclass(widget, RichTextEditor) if isinstance(widget, type) else isinstance(widget, RichTextEditor)
            )
        ):
            attrs = (
                dict(getattr(widget, "attrs", {}) or {}) if widget is not None and not isinstance(widget, type) else {}
            )
            kwargs["widget"] = RichTextEditor(attrs)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return plain_str(super().prepare_value(value))

    def to_python(self, value):
        return normalise_newlines(super().to_python(value))

    def has_changed(self, initial, data):
        from core.richtext import same_rich_text  # noqa: PLC0415 - core.richtext imports this module

        return not same_rich_text(self.prepare_value(initial) or "", self.to_python(data) or "")


class ShownAsText(forms.Widget):
    """What a form field holds, as text, not a box: on a version page, a field of the form
    only, which Django's read-only display cannot draw (see CarefulAdminMixin.get_readonly_fields)."""

    def __init__(self, choices=()):
        super().__init__()
        self.labels = {}
        for value, label in choices:
            group = label if isinstance(label, list | tuple) else [(value, label)]  # an optgroup's choices
            self.labels |= {str(inner): name for inner, name in group}

    def render(self, name, value, attrs=None, renderer=None):
        values = value if isinstance(value, list | tuple) else [value]
        shown = [str(self.labels.get(str(one), one)) for one in values if one not in (None, "")]
        return format_html('<div class="readonly">{}</div>', "; ".join(shown) or "-")


class ShownAsTextMixin:
    """The form of a version page: whatever it still draws is drawn as text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.disabled = True
            field.widget = ShownAsText(getattr(field, "choices", ()))


class VersionSeenField(forms.CharField):
    """Carries the version the officer was shown; never counts as a change they made."""

    def __init__(self, **kwargs):
        super().__init__(required=False, widget=forms.HiddenInput, **kwargs)

    def has_changed(self, initial, data):
        return False


def _constraint_field_names(constraint) -> list[str]:
    names = list(getattr(constraint, "fields", ()) or ())
    condition = getattr(constraint, "condition", None)
    if condition is not None:
        names += [name for name in Q(condition).referenced_base_fields if name not in names]
    return names


class _KeysOnlyAutocomplete:
    """An autocomplete field draws the records chosen by looking their keys up; a posted
    value that cannot be a key (a garbled or hand-made post) would stop the page drawing.
    It is left out of the look-up, and the form field's own check says at the field that it
    is not one of the choices."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        return super().optgroups(name, [v for v in value if _could_be_key(key, v)], attr)


def _could_be_key(key, value) -> bool:
    # A whole number past what the column holds (2**63) is not a key either: SQLite cannot
    # even be asked for it (an error page where PostgreSQL finds nothing).
    try:
        key.run_validators(key.to_python(value))
    except ValidationError:
        return False
    return True


_KEYS_ONLY = {}


def _keys_only(widget):
    """The admin wraps a relation's widget in its add/change links (RelatedFieldWidgetWrapper)."""
    inner = getattr(widget, "widget", widget)
    if isinstance(inner, AutocompleteMixin) and not isinstance(inner, _KeysOnlyAutocomplete):
        kind = type(inner)
        if kind not in _KEYS_ONLY:
            _KEYS_ONLY[kind] = type(kind.__name__, (_KeysOnlyAutocomplete, kind), {})
        inner.__class__ = _KEYS_ONLY[kind]


class TimeAsWrittenField(forms.TimeField):
    """A time box that also takes a time as the portal writes it, "2.00 p.m." or "2 P.M."
    (TIME_INPUT_FORMATS take 14:00, 14.00, 2pm and 2.30 pm), and refuses one it cannot read
    saying what was typed and how to type it."""

    message = "\u201c%(typed)s\u201d is not a time: type it as 2.30 p.m., 2.30pm or 14:30."

    def to_python(self, value):
        typed = value.strip() if isinstance(value, str) else value
        try:
            return super().to_python(am_pm_without_dots(typed) if isinstance(typed, str) else typed)
        except ValidationError as error:
            if error.code != "invalid":
                raise
            raise ValidationError(self.message, code="invalid", params={"typed": typed}) from None


class TimesAsWrittenMixin:
    """Every time box of the form, the time of a date and time too, is a TimeAsWrittenField:
    Django's forms (a model's, the admin's split date and time) make their own TimeField."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # the form's own copies: its class's stay as they are
            for part in field.fields if isinstance(field, forms.MultiValueField) else [field]:
                if type(part) is forms.TimeField:
                    part.__class__ = TimeAsWrittenField


class MistypedYearsMixin(TimesAsWrittenMixin):
    """A day typed with a slip in its year (0001 for 2001, 9999 as "no end") is refused at its
    field, what was typed kept, in every form that takes a day or a date and time: the admin's
    (through ConstraintsInFormMixin) and the pages outside it (a progress update, a notice's
    day, the search's dates). Saved, the deadlines and periods counted from such a day ran off
    the calendar (an error page); searched for, it finds nothing that was meant. Only what was
    typed now: a record imported with such a day still saves untouched. Its times are taken
    as the portal writes them (TimesAsWrittenMixin)."""

    def _clean_fields(self):
        super()._clean_fields()
        for name in self.changed_data:
            value = self.cleaned_data.get(name)
            if isinstance(value, date) and (problem := mistyped_year_problem(value)):
                self.add_error(name, problem)


LONG_LINE = "long-line"


class ConstraintsInFormMixin(MistypedYearsMixin):
    """Checks every Meta.constraints rule of the model in the form, with the instance as the
    form will save it, including fields the form does not show (Django skips a constraint
    when one of its fields is not on the form). The message goes to the field the officer
    can change; `constraint_fields` names the form field standing for a model field that
    is shown another way (the Schedule 12A paragraphs as checkboxes)."""

    def __init__(self, *args, **kwargs):
        if kwargs.get("data") is not None or (args and args[0] is not None):
            data = kwargs["data"] if kwargs.get("data") is not None else args[0]
            data = data.copy()
            for key in list(data.keys()):
                data.setlist(key, [normalise_newlines(v) for v in data.getlist(key)])
            if kwargs.get("data") is not None:
                kwargs["data"] = data
            else:
                args = (data, *args[1:])
        super().__init__(*args, **kwargs)
        for name, value in list(self.initial.items()):
            self.initial[name] = plain_str(value)
        for field in self.fields.values():
            _keys_only(field.widget)
            # A title or a name (a box with room for 100 characters or more) is drawn wide
            # (core/admin.css): "Minutes of the Meeting held on 18th April 2018" is read whole.
            if isinstance(field.widget, forms.TextInput) and (getattr(field, "max_length", None) or 0) >= 100:
                field.widget.attrs["class"] = " ".join([*field.widget.attrs.get("class", "").split(), LONG_LINE])

    @cached_property
    def changed_data(self):
        return [name for name in super().changed_data if not self._stored_text_as_it_was(name)]

    def _stored_text_as_it_was(self, name) -> bool:
        """Text stored with spaces around it (an import, a service, a record from before its
        form stripped them) comes back from the page with them, and Django's stripping of what
        is typed made it a change: an untouched save rewrote it. Text that reads as what is
        stored once both are stripped counts as unchanged, and the stored text is kept."""
        field = self.fields[name]
        if not isinstance(field, forms.CharField) or isinstance(field, RichTextFormField) or not field.strip:
            return False
        stored = self.get_initial_for_field(field, name)
        typed = self[name].data
        return (
            isinstance(stored, str)
            and isinstance(typed, str)
            and stored != stored.strip()
            and normalise_newlines(typed).strip() == normalise_newlines(stored).strip()
        )

    def _clean_fields(self):
        super()._clean_fields()
        for name in self.fields:
            if name in self.cleaned_data and self._stored_text_as_it_was(name):
                self.cleaned_data[name] = self.get_initial_for_field(self.fields[name], name)
        # Rich text the editor wrote its own way but that reads as what was stored keeps
        # what was stored (see RichTextFormField), also when other fields were changed.
        for name, field in self.fields.items():
            if isinstance(field, RichTextFormField) and name in self.cleaned_data and not field.disabled:
                initial = self.get_initial_for_field(field, name)
                if initial and not field.has_changed(initial, self.cleaned_data[name]):
                    self.cleaned_data[name] = plain_str(initial)
        # Text printed as plain text (a Part II reason, a cancellation reason) would print
        # HTML typed or pasted into it as tags: refused at the field, with what was typed.
        for name in self.changed_data:
            field = self.fields.get(name)
            value = self.cleaned_data.get(name)
            if (
                isinstance(field, forms.CharField)
                and not isinstance(field, RichTextFormField)
                and not isinstance(field.widget, forms.PasswordInput)
                and has_tags(value)
            ):
                self.add_error(name, PLAIN_TEXT_MESSAGE)

    def _post_clean(self):
        # Django's ModelForm._post_clean, with the constraints left to _check_constraints.
        opts = self._meta
        exclude = self._get_validation_exclusions()
        for name, field in self.fields.items():
            if isinstance(field, InlineForeignKeyField):
                exclude.add(name)
        try:
            self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)
        except ValidationError as exc:
            self._update_errors(exc)
        try:
            self.instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            self._update_errors(exc)
        if self._validate_unique:
            self.validate_unique()
        self._check_constraints()

    def _form_field_for(self, model_field: str) -> str | None:
        name = getattr(self, "constraint_fields", {}).get(model_field, model_field)
        if name in self.fields and not isinstance(self.fields[name], InlineForeignKeyField):
            return name
        return None

    def _check_constraints(self):
        # A field that failed its own checks keeps its old value on the instance: judging a
        # rule by that value would blame the officer for something they did not type.
        failed = {name for name in self.errors if name != NON_FIELD_ERRORS}
        failed |= {model for model, form in getattr(self, "constraint_fields", {}).items() if form in failed}
        using = router.db_for_write(type(self.instance))
        order = list(self.fields)
        for model_class, constraints in self.instance.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self.instance, exclude=failed, using=using)
                except ValidationError as exc:
                    self._constraint_error(constraint, exc, order)

    def _constraint_error(self, constraint, exc: ValidationError, order: list[str]):
        on_form = [name for name in map(self._form_field_for, _constraint_field_names(constraint)) if name]
        if isinstance(constraint, UniqueConstraint) and constraint.fields:
            # "This meeting already has an item 3": the message belongs at the number.
            target = on_form[-1] if on_form else None
        else:
            target = min(on_form, key=order.index) if on_form else None
        for message in exc.messages:
            if target in self.errors and message in self.errors[target]:
                continue
            self.add_error(target, message)


class VersionedFormMixin(ConstraintsInFormMixin):
    """The change form of a record: refuses a save from a stale copy (see the module)."""

    # Set by the admin for each request: the record's version as a string (see
    # CarefulAdminMixin.version_of).
    version_of = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if VERSION_FIELD in self.fields and not self.is_bound and self.instance.pk is not None and self.version_of:
            self.initial[VERSION_FIELD] = self.version_of(self.instance)

    def clean(self):
        cleaned = super().clean()
        self._refuse_stale_save()
        return cleaned

    def _refuse_stale_save(self):
        seen = self.data.get(self.add_prefix(VERSION_FIELD)) if self.is_bound else None
        if not seen or self.instance.pk is None or self.version_of is None:
            return
        # Locked until this save commits: a second save waits here, then sees this one.
        records = type(self.instance)._default_manager
        if transaction.get_connection(router.db_for_write(type(self.instance))).in_atomic_block:
            records = records.select_for_update()
        current = records.get(pk=self.instance.pk)
        now = self.version_of(current)
        seen_parts, _, seen_history = seen.partition(":")
        now_parts, _, _ = now.partition(":")
        if seen_parts == now_parts:
            return
        self.add_error(None, self._stale_message(current, seen_parts, now_parts, seen_history))
        # Saving again from this page is then a deliberate choice, made having read what changed.
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = now

    def _stale_message(self, current, seen_parts: str, now_parts: str, seen_history: str) -> str:
        changes = changes_since(current, int(seen_history) if seen_history.isdigit() else 0)
        fields = changes.fields
        seen_hashes, now_hashes = seen_parts.split("."), now_parts.split(".")
        labels = ["this record", *getattr(self, "row_labels", [])]
        parts = []
        if fields:
            parts.append(join_and(fields))
        for index, label in enumerate(labels):
            if index == 0 and fields:
                continue
            if index < len(seen_hashes) and index < len(now_hashes) and seen_hashes[index] != now_hashes[index]:
                parts.append(label)
        what = join_and(parts) if parts else "this record"
        return (
            f"While you had this page open, {changes.who()} saved a change to {what}{changes.at()}. Nothing "
            "you typed has been saved: it is still on this form. Check the page against the current record (open it in "
            "another tab), then save again to keep what this form shows."
        )


def versioned_form(form_class, *, version_of=None, row_labels=()):
    attrs = {VERSION_FIELD: VersionSeenField(), "row_labels": list(row_labels)}
    if version_of is not None:
        attrs["version_of"] = staticmethod(version_of)
    return type(form_class.__name__, (VersionedFormMixin, form_class), attrs)


def constraints_form(form_class):
    if issubclass(form_class, ConstraintsInFormMixin):
        return form_class
    return type(form_class.__name__, (ConstraintsInFormMixin, form_class), {})


class ConstraintsInFormSetMixin:
    """Django checks an inline's rows against each other only for unconditional unique
    rules; this adds the conditional ones (one attendee in the chair, one appendix per
    letter), so two new rows cannot break a rule that neither breaks alone."""

    def clean(self):
        super().clean()
        fk = getattr(self, "fk", None)
        deleted = self.deleted_forms
        rows = [
            form
            for form in self.forms
            if form.is_valid() and form not in deleted and (form.instance.pk is not None or form.has_changed())
        ]
        for constraint in self.model._meta.constraints:
            if not isinstance(constraint, UniqueConstraint) or constraint.condition is None or not constraint.fields:
                continue
            seen = {}
            for form in rows:
                instance = form.instance
                against = instance._get_field_expression_map(meta=self.model._meta)
                if not Q(constraint.condition).check(against, using=router.db_for_write(self.model)):
                    continue
                key = tuple(
                    "parent"
                    if fk is not None and name == fk.name
                    else getattr(instance, self.model._meta.get_field(name).attname)
                    for name in constraint.fields
                )
                if None in key:
                    continue
                if key in seen:
                    message = constraint.get_violation_error_message()
                    form._constraint_error(constraint, ValidationError(message), list(form.fields))
                    raise ValidationError(message)
                seen[key] = form

    def get_unique_error_message(self, unique_check):
        # Two rows breaking a unique rule: the rule's own words, not Django's generic ones.
        for constraint in self.model._meta.constraints:
            if (
                isinstance(constraint, UniqueConstraint)
                and tuple(constraint.fields) == tuple(unique_check)
                and constraint.violation_error_message != constraint.default_violation_error_message
            ):
                return constraint.get_violation_error_message()
        return super().get_unique_error_message(unique_check)


def constraints_formset(formset_class):
    if issubclass(formset_class, ConstraintsInFormSetMixin):
        return formset_class
    return type(formset_class.__name__, (ConstraintsInFormSetMixin, formset_class), {})


# The admin -------------------------------------------------------------------------------


class CarefulAdminMixin(SearchWithoutNulMixin):
    """Put first in every ModelAdmin's bases. Saving goes through hooks, so that the checks
    above hold for every admin: `save_record` (the record itself), `save_rows` (one inline's
    rows) and `after_save` (e.g. a new pack version); never override save_model,
    save_formset or save_related."""

    _hooks = {"save_model": "save_record", "save_formset": "save_rows", "save_related": "after_save"}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name, hook in CarefulAdminMixin._hooks.items():
            if name in cls.__dict__:
                raise TypeError(f"{cls.__name__}.{name}: define {hook}() instead, which CarefulAdminMixin calls.")

    # The version of a record -------------------------------------------------------------

    def _edited_inlines(self, request, obj):
        """The inlines whose rows the officer edits on this page. A log shown read only (a
        webhook's deliveries, a task's progress updates) is written elsewhere, by a worker or
        another page: its rows changing is not a colleague's edit this save could overwrite."""
        if getattr(request, "reading_a_version", False):
            return  # an old version's page shows no rows
        for inline in self.get_inline_instances(request, obj):
            fields = set(flatten_fieldsets(inline.get_fieldsets(request, obj)))
            changes = inline.has_change_permission(request, obj) and fields - set(
                inline.get_readonly_fields(request, obj)
            )
            adds = inline.has_add_permission(request, obj) and inline.get_max_num(request, obj) != 0
            deletes = inline.can_delete and inline.has_delete_permission(request, obj)
            if changes or adds or deletes:
                yield inline

    def _inline_rows(self, request, obj):
        for inline in self._edited_inlines(request, obj):
            fk = _get_foreign_key(self.model, inline.model, fk_name=getattr(inline, "fk_name", None))
            yield inline, inline.model._default_manager.filter(**{fk.name: obj}).order_by("pk")

    def version_of(self, request, obj) -> str:
        """`hash(record).hash(rows of each inline):last history id`."""
        hashes = [version_hash([obj])] + [version_hash(rows) for _, rows in self._inline_rows(request, obj)]
        return f"{'.'.join(hashes)}:{latest_history_id(obj)}"

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.form = versioned_form(self.form)
        # A misspelt state would fail only when a record's page is opened: say so at start.
        for name, state in self.asked_only_when.items():
            if not (hasattr(model, state) and hasattr(model, name)):
                raise ImproperlyConfigured(
                    f"{type(self).__name__}.asked_only_when: {model.__name__} has no {name} or {state}."
                )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)  # Django's UserAdmin takes it by name
        if getattr(request, "reading_a_version", False):
            return type(form.__name__, (ShownAsTextMixin, form), {})
        labels = [f"the {inline.model._meta.verbose_name_plural}" for inline in self._edited_inlines(request, obj)]
        return type(
            form.__name__,
            (form,),
            {"version_of": staticmethod(lambda record: self.version_of(request, record)), "row_labels": labels},
        )

    def get_readonly_fields(self, request, obj=None):
        """On an old version's page every field is drawn as text (Django's read-only display),
        as nothing there can be saved: no box invites typing into it. A field of the form only
        (the Schedule 12A paragraphs, ticked as boxes for the model's bit set) has no read-only
        display of its own; ShownAsTextMixin draws it as text, as it does a field the form
        draws its own way."""
        fields = list(super().get_readonly_fields(request, obj))
        if not getattr(request, "reading_a_version", False) or getattr(request, "finding_a_versions_fields", False):
            return fields
        request.finding_a_versions_fields = True  # the fieldsets ask the form, which asks this
        try:
            shown = flatten_fieldsets(self.get_fieldsets(request, obj))
        finally:
            request.finding_a_versions_fields = False
        return fields + [name for name in shown if name not in fields and self._has_readonly_display(name)]

    def _has_readonly_display(self, name) -> bool:
        # A field the admin's form draws its own way (declared on it, given a widget of its
        # own, or filled in from another) may be asked for by the form's or the page's code.
        own = getattr(getattr(self.form, "_meta", None), "widgets", None) or {}
        prepopulated = {*self.prepopulated_fields, *(n for names in self.prepopulated_fields.values() for n in names)}
        if name in self.form.declared_fields or name in own or name in prepopulated:
            return False
        try:
            self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return callable(name) or hasattr(self, name) or hasattr(self.model, name)
        return True

    # Fields that mean something only for a record in a state: {field: the record's property
    # saying whether it is in that state}. Why a meeting was called off is
    # {"status_reason": "is_called_off"}: the reason is asked on the page that gives the
    # status and corrected on the record's page once it has it.
    asked_only_when: dict[str, str] = {}

    def fields_not_asked(self, request, obj) -> set[str]:
        """The fields that mean nothing for the record as it stands (why a meeting was
        cancelled, for one going ahead or not yet made): left off its page and its form. A
        field that holds something is kept, so that what it says is never hidden."""
        return {
            name
            for name, state in self.asked_only_when.items()
            if obj is None or not (getattr(obj, state) or getattr(obj, name))
        }

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if left_off := self.fields_not_asked(request, obj):
            fieldsets = [
                (title, {**options, "fields": _without(options["fields"], left_off)}) for title, options in fieldsets
            ]
        # Only a change form carries the version it was drawn from: an add form has nothing to
        # be stale against (and may be another form altogether, as Django's UserAdmin's is).
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        names = {name for _, options in fieldsets for line in options["fields"] for name in _flatten(line)}
        if VERSION_FIELD in names or not fieldsets:
            return fieldsets
        first_name, first = fieldsets[0]
        return [(first_name, {**first, "fields": [*first["fields"], VERSION_FIELD]}), *fieldsets[1:]]

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            # The form's class only is replaced: the inline's own formset and form keep
            # their checks and come first.
            formset.form = constraints_form(formset.form)
            yield constraints_formset(formset), inline

    # A list's actions on ticked rows that cannot be keys: core.admin_site, for every admin.

    # History -----------------------------------------------------------------------------

    # A record's history pages outlive what the record belonged to: an appendix's versions are
    # read after its report was deleted, or after the appendix itself was. Each question the
    # pages ask is asked so that a deleted row answers it, never with an error page.

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history looks the record up by the address as typed: an address whose
        # id cannot be a key (.../abc/history/) names no record, like one that is not there.
        if not _could_be_key(self.model._meta.pk, unquote(object_id)):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        if not (_could_be_key(self.model._meta.pk, unquote(object_id)) and _could_be_key(history._meta.pk, version_id)):
            raise Http404
        if request.method == "POST":
            # No revert (settings.SIMPLE_HISTORY_REVERT_DISABLED): a version page is read, not
            # saved, even from a hand-made post (it answered "changed successfully", saving nothing).
            return HttpResponseNotAllowed(["GET"])
        # The version is shown in the record's form, read only: whether it may be changed or
        # deleted is not asked of it (an old version's report, or meeting, may be gone).
        request.reading_a_version = True
        version = (
            history.objects.filter(**{self.model._meta.pk.attname: unquote(object_id), "history_id": version_id})
            .select_related("history_user")
            .first()
        )
        if version is not None:
            extra_context = {**(extra_context or {}), "version_heading": self._version_heading(history, version)}
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _version_heading(self, history, version) -> str:
        latest = history.objects.filter(**{self.model._meta.pk.attname: version.instance.pk}).latest()
        which = "the latest version" if latest.history_id == version.history_id else "an earlier version"
        day, time = day_and_time(version.history_date)
        return (
            f"This is {which} of this {self.model._meta.verbose_name}, as saved on {day} at {time} by "
            f"{person_name(version.history_user)}. It is shown to read: nothing here can be saved."
        )

    def has_view_history_or_change_history_permission(self, request, obj=None):
        """Asked of an old version (or of a deleted record's last one). A version is as
        restricted as its record is now: an appendix moved to a report the reader is not
        named on takes its versions with it, as an item made Part II does. A deleted record
        is judged as it was last saved; one whose report, meeting or measure went with it
        cannot be placed by the gate, and is refused rather than shown."""
        if obj is not None:
            obj = self.model._default_manager.filter(pk=obj.pk).first() or _last_version(self.model, obj.pk) or obj
        try:
            return super().has_view_history_or_change_history_permission(request, obj)
        except ObjectDoesNotExist:
            return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and getattr(request, "reading_a_version", False):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and getattr(request, "reading_a_version", False):
            return False
        return super().has_delete_permission(request, obj)

    def history_view_title(self, request, obj):
        return f"View history: {record_name(obj)}"

    def history_form_view_title(self, request, obj):
        return f"View {record_name(obj)}"

    def render_history_view(self, request, template, context, **kwargs):
        # Most records name themselves by what they belong to (a figure by its measure); the
        # pages print a name that survives its deletion (core.history.record_name).
        for record in context.get("page_obj") or []:
            record.history_object = record_name(record.instance)
        for name in ("object", "original"):
            if name in context:
                context[name] = NamedRecord(context[name])
        return super().render_history_view(request, template, context, **kwargs)

    # Saving ------------------------------------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        # A file chosen in the last try, which came back with a message, is chosen again
        # (core.held_uploads): a browser never fills a file box in.
        restored = held_uploads.restore(request)
        try:
            response = self._save_or_try_again(request, object_id, form_url, extra_context)
        except PermissionDenied:  # raised before any write, by Django's own check of the record
            response = self._read_only_since_opened(request, object_id)
            if response is None:
                raise
        shown = getattr(response, "context_data", None) or {}
        if "adminform" in shown:  # the form again, with its messages: keep what was chosen
            held_uploads.hold(request, _bound_forms(shown))
        else:  # saved (a redirect, or a popup's answer), or refused outright: nothing to keep
            held_uploads.release(restored)
        return response

    def _save_or_try_again(self, request, object_id, form_url, extra_context):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            # A colleague's save committed between this form's checks and its write (two
            # officers adding the same venue at once). The save was rolled back; checked
            # again, the form now finds the colleague's record and says so at the field.
            held_uploads.chosen_again(request)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _read_only_since_opened(self, request, object_id):
        """A record that became read-only while the officer edited it (a decision whose notice
        a colleague published meanwhile), which Django refuses to save with "403 Forbidden": it
        is not saved, and they are answered, without losing what they typed, with the record's
        page as it now reads and a message listing what they changed, to copy into what they
        do instead. Read again here only: a save that may go ahead reads the record once."""
        obj = self.get_object(request, unquote(object_id)) if object_id is not None else None
        if (
            obj is None
            or not self.has_change_permission(request)
            or self.has_change_permission(request, obj)
            or not self.has_view_permission(request, obj)
        ):
            return None
        # What changed is told by the forms the page had when it was opened (change=False: as
        # if the record could still be changed, else they have no fields), as a save tells it.
        form = self.get_form(request, obj, change=False)(request.POST, request.FILES, instance=obj)
        formsets, _ = self._create_formsets(request, obj, change=False)
        typed = [(form[name].label, _as_typed(form[name])) for name in form.changed_data]
        for formset in formsets:
            for row in formset.forms:
                named = row.instance if row.instance.pk is not None else f"new {row.instance._meta.verbose_name}"
                typed += [
                    (f"{capfirst(str(named))}, {row[name].label}", _as_typed(row[name])) for name in row.changed_data
                ]
        messages.error(
            request,
            format_html(
                "Not saved: this {} can no longer be changed; it became read-only while you were editing it. {}",
                self.opts.verbose_name,
                format_html("What you typed, to copy: {}", format_html_join("; ", "{}: \u201c{}\u201d", typed))
                if typed
                else "",
            ),
        )
        # Its own address as it was saved from: still in the popup it was opened in (_popup),
        # with the list's filters to go back to.
        return HttpResponseRedirect(request.get_full_path())

    def export_action(self, request):
        """django-import-export's export page (on admins that have one) reads the list's
        filters from its address as the list does; one it cannot read (an address edited by
        hand) takes the officer back to the list with a message, where the export raised an
        error page (the list itself sends such an address back to the list)."""
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            messages.error(
                request, "The filters in that address could not be read: choose them on the list, then export."
            )
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))

    def save_model(self, request, obj, form, change):
        """Deferred to save_related, which also knows the inline rows: only then can an
        untouched save be told apart from a real one."""

    def save_related(self, request, form, formsets, change):
        if change and not form.has_changed() and not any(formset.has_changed() for formset in formsets):
            request.untouched_save = True
            for formset in formsets:
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        self.save_record(request, form.instance, form, change)
        form.save_m2m()
        for formset in formsets:
            self.save_formset(request, form, formset, change)
        self.after_save(request, form.instance, change)

    def save_formset(self, request, form, formset, change):
        self.save_rows(request, form, formset, change)

    def save_record(self, request, obj, form, change):
        super().save_model(request, obj, form, change)

    def save_rows(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)

    def after_save(self, request, obj, change):
        pass

    def log_change(self, request, obj, message):
        if getattr(request, "untouched_save", False):
            return None
        return super().log_change(request, obj, message)

    # After adding ----------------------------------------------------------------------

    # A record whose next step is taken from its own page (publishing, a Word upload, a
    # snapshot to take: the tools at the top of its change page) opens there after "Save",
    # as after "Save and continue editing", instead of the list it would be opened again
    # from. Set by each admin whose change page has such tools; tests/core/
    # test_saving_a_new_record.py finds those pages and holds their admins to it.
    open_after_adding = False

    def response_post_save_add(self, request, obj):
        if not (self.open_after_adding and self.has_view_or_change_permission(request, obj)):
            return super().response_post_save_add(request, obj)
        url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[obj.pk],
            current_app=self.admin_site.name,
        )
        context = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
        return HttpResponseRedirect(add_preserved_filters(context, url))

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if getattr(request, "untouched_save", False) and level == messages.SUCCESS:
            message = "Nothing was changed, so nothing was saved."
            level = messages.INFO
        return super().message_user(request, message, level, *args, **kwargs)


def _bound_forms(context) -> list:
    """The forms of an admin page as it comes back: the record's and every inline row's."""
    found = [context["adminform"].form]
    for inline in context.get("inline_admin_formsets", []):
        found += inline.formset.forms
    return found


def _as_typed(bound_field) -> str:
    """What was typed or chosen in a field, as text to copy: a split date and time as one, a
    choice by the name it was chosen by (not the number the page sends for it)."""
    value = bound_field.data
    if isinstance(value, bool):
        return "ticked" if value else "not ticked"
    if isinstance(bound_field.field, forms.ChoiceField):
        names = {}
        for choice, label in bound_field.field.choices:
            group = label if isinstance(label, list | tuple) else [(choice, label)]  # an optgroup's choices
            names |= {str(inner): str(name) for inner, name in group}
        chosen = value if isinstance(value, list | tuple) else [value]
        return ", ".join(names.get(str(one), str(one)) for one in chosen)
    if isinstance(value, list | tuple):
        return " ".join(map(str, value))
    return str(value)


def _flatten(line):
    return line if isinstance(line, list | tuple) else [line]


def _without(lines, names: set[str]) -> list:
    """A fieldset's lines (a name, or names side by side) without `names`."""
    kept = [[name for name in _flatten(line) if name not in names] for line in lines]
    return [line[0] if len(line) == 1 else tuple(line) for line in kept if line]

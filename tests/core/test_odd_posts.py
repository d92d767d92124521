"""Every admin form, posted as a browser would with one field at a time set to something odd
for its kind (text longer than its column or 100,000 characters long, a NUL or a control
character, only spaces, a number past what the column holds, the first and last days of the
calendar and 31 February, half a date and time, a choice not offered, a record that is not
there, a file that is not what the box takes): the save goes ahead, or the form comes back
with the message at that field and what was typed still in it; never an error page.

Walks the admin site itself, so a new admin or a new field is posted without being listed.
Each field is posted with a few of the odd values of its kind, chosen by its name, so that
the whole walk keeps to a minute or so; across the site every odd value is tried."""

import zlib
from dataclasses import dataclass

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils.html import escape

from core.forms import RichTextFormField, VersionSeenField

from .admin_pages import add_url, admin_models, change_url, field_kind, form_data, form_messages

pytestmark = pytest.mark.usefixtures("demo_for_the_module")

# How many of its kind's odd values each field is posted with.
PER_FIELD = 1

LONG = "x" * 100_000
TEXT = [LONG, "Budget\x00monitoring", "Budget\x0bmonitoring\x1b\uffff", "   "]
WHOLE_NUMBERS = [str(2**63), str(-(2**63) - 1), str(2**31), "-1", "1.5"]
DECIMALS = ["1e100", "NaN", "-Infinity", "123456789012345678901234567890.5", "-1"]
# The calendar's first and last days are tried in every date field (what is counted from a
# day typed there runs off the calendar); the rest are sampled as other kinds' values are.
CALENDAR_ENDS = ["0001-01-01", "9999-12-31"]
DATES = ["2025-02-31", "31/02/2025", " "]
# A date and time in its two boxes, as the admin's split widget posts them.
DATES_AND_TIMES = [("2025-06-02", ""), ("", "10:00"), ("2025-02-31", "10:00"), ("2025-06-02", "25:61")]
CALENDAR_ENDS_AND_TIMES = [("0001-01-01", "00:00"), ("9999-12-31", "23:59")]
TIMES = ["24:00", "25:61", "10:00:60"]
NOT_OFFERED = ["not-offered", "\x00"]
NO_RECORD = ["99999999", "abc", str(2**63), "-1"]


def _files():
    return [
        SimpleUploadedFile("Report.pdf", b"This is not a PDF at all.", content_type="application/pdf"),
        SimpleUploadedFile("Report.exe", b"MZ\x90\x00\x03", content_type="application/octet-stream"),
        SimpleUploadedFile("Empty.pdf", b"", content_type="application/pdf"),
    ]


@dataclass
class Field:
    """One field of the page's form (the record's own, or a row of an inline) as posted."""

    name: str  # the name posted: a row's prefixed, "starts_at" for both boxes of a split one
    field: forms.Field

    @property
    def shown_back(self) -> bool:
        """Whether what was typed can be shown again in the field: a choice not offered, or a
        record that is not there, cannot be shown chosen; a browser never fills a file box in."""
        return not isinstance(self.field, forms.ChoiceField | forms.FileField | forms.MultipleChoiceField)


def _odd_values(field: forms.Field) -> list:
    """What is tried in a field of this kind: a list of values, each one post."""
    kind = field_kind(field)
    if kind == "text":
        return (["x" * (field.max_length + 1)] if field.max_length else []) + TEXT
    return {
        "file": _files,
        "date and time": lambda: DATES_AND_TIMES,
        "records": lambda: [[value] for value in NO_RECORD],
        "record": lambda: NO_RECORD,
        "choices": lambda: [[value] for value in NOT_OFFERED],
        "choice": lambda: NOT_OFFERED,
        "date": lambda: DATES,
        "time": lambda: TIMES,
        "decimal": lambda: DECIMALS,
        "whole number": lambda: WHOLE_NUMBERS,
    }.get(kind, list)()


def _always(field: forms.Field) -> list:
    """What is tried in every field of this kind, besides a sample of the rest."""
    if isinstance(field, forms.SplitDateTimeField):
        return CALENDAR_ENDS_AND_TIMES
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return CALENDAR_ENDS
    return []


def _tried(name: str, field: forms.Field, *, always: bool, half: int | None) -> list:
    """What `name` is posted with on a page: its kind's values always tried there (`always`),
    and a sample of the rest, chosen by the name; where a model has both an add and a change
    form, each field is sampled on one of them (`half`: 0 or 1, by the name)."""
    values = _odd_values(field)
    number = zlib.crc32(name.encode())
    sampled = [values[(number + i) % len(values)] for i in range(min(PER_FIELD, len(values)))]
    return (_always(field) if always else []) + (sampled if half is None or number % 2 == half else [])


def _fields(context, *, rows: bool) -> list[tuple[forms.Form, Field]]:
    """The fields an officer can type into: the record's, and (if `rows`) those of the first
    row of each inline (a row already there, else a new one)."""
    found = [context["adminform"].form]
    for inline in context.get("inline_admin_formsets", []) if rows else []:
        rows = inline.formset.forms
        if rows:
            found.append(rows[0])
    return [
        (form, Field(form.add_prefix(name), field))
        for form in found
        for name, field in form.fields.items()
        if not field.disabled and not field.widget.is_hidden and not isinstance(field, VersionSeenField)
    ]


def _posted(data: dict, field: Field, value) -> tuple[dict, dict]:
    """The page's form with `value` in `field`, and the files chosen."""
    if isinstance(field.field, forms.FileField):
        return data, {field.name: value}
    if isinstance(field.field, forms.SplitDateTimeField):
        return {**data, f"{field.name}_0": [value[0]], f"{field.name}_1": [value[1]]}, {}
    return {**data, field.name: value if isinstance(value, list) else [value]}, {}


def _what_was_typed_is_shown(page: str, field: Field, value) -> bool:
    if isinstance(field.field, forms.SplitDateTimeField):
        return all(f'value="{escape(part)}"' in page for part in value if part)
    if isinstance(field.field, RichTextFormField) or isinstance(field.field.widget, forms.Textarea):
        return escape(value) in page
    return f'value="{escape(value)}"' in page


def _field_errors(context, field: Field) -> list:
    forms_on_page = [context["adminform"].form]
    for inline in context.get("inline_admin_formsets", []):
        forms_on_page += inline.formset.forms
    for form in forms_on_page:
        for name in form.fields:
            if form.add_prefix(name) == field.name:
                return form.errors.get(name, [])
    return []


def _problems_of(client, url: str, *, deepest: bool, half: int | None = None) -> tuple[list[str], int]:
    page = client.get(url)
    if page.status_code != 200 or "adminform" not in (page.context or {}):
        return [], 0  # a page only to read (a snapshot), or none to add
    shown = form_data(page)
    with transaction.atomic():
        # The page as it is, posted: on an add form, refused for what is not filled in.
        untouched = client.post(url, shown)
        untouched = None if untouched.status_code == 302 else form_messages(untouched)
        transaction.set_rollback(True)
    problems, posts = [], 1
    for _, field in _fields(page.context, rows=deepest):
        for value in _tried(field.name, field.field, always=deepest, half=half):
            data, files = _posted(shown, field, value)
            with transaction.atomic():  # each post starts from the same record
                response = client.post(url, {**data, **files})
                posts += 1
                problems += [f"{url} {p}" for p in _judged(response, field, value, untouched)]
                transaction.set_rollback(True)
    return problems, posts


def _judged(response, field: Field, value, untouched) -> list[str]:
    said = f"{field.name}={str(value)[:40]!r}"
    if response.status_code == 302:
        return []  # saved: the value was one the record can hold
    if response.status_code != 200:
        return [f"{said}: {response.status_code}"]
    if "adminform" not in (response.context or {}):
        return [f"{said}: 200 without the form"]
    problems = []
    # A message at the field, or at the field it is checked against (an end before its start).
    # (A form refused as it was, for what is not filled in, may be refused for that alone.)
    new = form_messages(response) - (untouched or set())
    at_fields = [name for name, _ in new if not name.endswith(NON_FIELD_ERRORS)]
    if not _field_errors(response.context, field) and not at_fields and (new or untouched is None):
        problems.append(f"{said}: refused without a message at the field ({sorted(new) or 'no message'})")
    if field.shown_back and not _what_was_typed_is_shown(response.content.decode(), field, value):
        problems.append(f"{said}: what was typed is not on the page")
    return problems


def _pages():
    for model in sorted(admin_models(), key=lambda m: m._meta.label):
        yield pytest.param(model, id=model._meta.label_lower)


@pytest.mark.parametrize("model", list(_pages()))
def test_odd_values_posted_to_an_admin_form_never_give_an_error_page(model, django_user_model):
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_superuser("odd-posts"))
    record = model._default_manager.order_by("pk").first()
    # The change form goes deepest (its record saves as it is, so an odd value reaches the
    # model's checks and the save): its inline rows and the calendar's ends are tried there.
    half = None if record is None else 0
    problems, posts = _problems_of(client, add_url(model), deepest=record is None, half=half)
    if record is not None:
        more, more_posts = _problems_of(client, change_url(record), deepest=True, half=1)
        problems, posts = problems + more, posts + more_posts
    assert problems == [], "\n".join(problems)

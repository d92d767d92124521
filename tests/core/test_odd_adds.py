"""Every admin's add form (and the rows of its inlines), on every admin registered on the
site, the installed packages' too (accounts, groups, two-factor devices), filled in as an
officer would (a copy of a record already there: so that an odd value is the only thing
wrong, and reaches the model's checks and the database) and posted with one field at a time
set to something odd: text longer than its column, only spaces, HTML and a script, a NUL
and other control characters, emoji and right-to-left text, numbers negative, huge and with
decimals, the first and last days of the calendar, a choice not offered, a record that is
not there (or was deleted since the page was drawn), a copy breaking a unique rule. (No
inline asks for a least number of rows: one that does needs a test of its empty post.)

Each post is saved, or answered with the form, the message at the field (or above the form
for a rule across fields) and what was typed; never an error page, never a partial save.
A record the add form saved saves again untouched without a change: nothing typed is
altered by being shown and posted back (test_odd_posts.py samples the change forms).

Walks admin.site._registry, so a new admin, field or inline is posted without being listed."""

from itertools import islice

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.test import Client
from django.utils.html import escape

from core.forms import RichTextFormField, VersionSeenField

from .admin_pages import add_url, change_url, field_kind, form_data, form_messages
from .admin_records import a_record_of

pytestmark = pytest.mark.usefixtures("demo_for_the_module")

SCRIPT = "<script>alert('x')</script>"
TEXT = [
    "x" * 100_000,
    "   ",
    f"Budget {SCRIPT}",
    "Budget\x00monitoring",
    "Budget\x07\x1b\x7fmonitoring\uffff",
    "Budget \U0001f4c8 \U0001f44d\U0001f3fd monitoring",
    "\u202eBudget \u0645\u064a\u0632\u0627\u0646\u064a\u0629 \u05ea\u05e7\u05e6\u05d9\u05d1",
]
WHOLE_NUMBERS = ["-1", str(2**31), str(2**63), "1.5", "1e3", " "]
DECIMALS = ["-1", "1e100", "NaN", "Infinity", "123456789012345678901234567890.5", "0.0000001"]
DATES = ["0001-01-01", "9999-12-31", "2025-02-31", "   "]
DATES_AND_TIMES = [("0001-01-01", "00:00"), ("9999-12-31", "23:59"), ("2025-06-02", "25:61"), ("", "10:00")]
TIMES = ["24:00", "-1:00", "10:00:60"]
NOT_OFFERED = ["not-offered", "\x00", "<script>"]


def _no_record(field: forms.ModelChoiceField) -> list[str]:
    """Keys of no record: one past the last (as a record deleted since the page was drawn
    reads), one that cannot be a key, and one past what the column holds."""
    model = field.queryset.model
    last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
    gone = [str(last + 1)] if isinstance(last, int) else []
    return [*gone, "abc", str(2**63)]


def _odd_values(field: forms.Field) -> list:
    """What is tried in a field of this kind: a list of values, each one post."""
    kind = field_kind(field)
    if kind == "text" and not isinstance(field.widget, forms.PasswordInput):
        return (["y" * (field.max_length + 1)] if field.max_length else []) + TEXT
    if kind in ("record", "records"):
        values = _no_record(field)
        return values if kind == "record" else [[value] for value in values]
    return {
        # A file box is not filled in from a copy: test_odd_posts.py posts odd files.
        "date and time": DATES_AND_TIMES,
        "choices": [[value] for value in NOT_OFFERED],
        "choice": NOT_OFFERED,
        "date": DATES,
        "time": TIMES,
        "decimal": DECIMALS,
        "whole number": WHOLE_NUMBERS,
    }.get(kind, [])


def _boxes(field: forms.Field, name: str) -> list[str]:
    """The names a field is posted under (a split date and time in two boxes)."""
    if isinstance(field, forms.SplitDateTimeField):
        return [f"{name}_0", f"{name}_1"]
    return [name]


def _typed_fields(form) -> list[tuple[str, forms.Field]]:
    return [
        (form.add_prefix(name), field)
        for name, field in form.fields.items()
        if not field.disabled and not field.widget.is_hidden and not isinstance(field, VersionSeenField)
    ]


def _filled_in(client, model) -> tuple[object, dict, list]:
    """The add page, and what an officer would post from it: the boxes of a record already
    there (its change form's), and the first row of each inline filled in as that record's
    first row. Returns the page, the post, and the typed fields (the record's and the rows')."""
    page = client.get(add_url(model))
    data = form_data(page)
    forms_filled = [page.context["adminform"].form]
    record = a_record_of(model)
    copied = {}
    if record is not None:
        shown = client.get(change_url(record))
        if shown.status_code == 200 and "adminform" in (shown.context or {}):
            copied = form_data(shown)
    main = page.context["adminform"].form
    for name, field in main.fields.items():
        for box in _boxes(field, name):
            if box in copied:
                data[box] = copied[box]
    for inline in page.context.get("inline_admin_formsets", []):
        formset = inline.formset
        if not formset.forms:
            continue
        row = formset.forms[0]
        fk = getattr(formset, "fk", None)
        skip = {formset.model._meta.pk.name, "DELETE", fk.name if fk else None}
        filled = False
        for name, field in row.fields.items():
            if name in skip:
                continue
            for box in _boxes(field, row.add_prefix(name)):
                if box in copied:
                    data[box] = copied[box]
                    filled = True
        if filled:
            forms_filled.append(row)
    fields = [typed for form in forms_filled for typed in _typed_fields(form)]
    return page, data, fields


def _posted(data: dict, name: str, field: forms.Field, value) -> dict:
    if isinstance(field, forms.SplitDateTimeField):
        return {**data, f"{name}_0": [value[0]], f"{name}_1": [value[1]]}
    return {**data, name: value if isinstance(value, list) else [value]}


def _shown_back(page: str, field: forms.Field, value) -> bool:
    if isinstance(field, forms.ChoiceField | forms.FileField):
        return True  # a choice not offered cannot be shown chosen
    if isinstance(field, forms.SplitDateTimeField):
        return all(f'value="{escape(part)}"' in page for part in value if part)
    if isinstance(field, RichTextFormField) or isinstance(field.widget, forms.Textarea):
        return escape(value) in page
    return f'value="{escape(value)}"' in page


def _rows_kept(model) -> int:
    """The rows an add form of `model` writes: the record's, its inlines' rows, their history
    and the admin's log."""
    written = [model, LogEntry, *(inline.model for inline in admin.site._registry[model].inlines)]
    written += [kind.history.model for kind in written if hasattr(kind, "history")]
    return sum(kind._default_manager.count() for kind in written)


def _saved_record(response, model):
    """The record an add form saved, from its change page's address (`_continue`)."""
    object_id = response.url.rstrip("/").split("/")[-2]
    return model._default_manager.get(pk=object_id)


def _untouched_again(client, model, response) -> list[str]:
    """The record just added, its change page posted back as it is: nothing may change."""
    record = _saved_record(response, model)
    page = client.get(change_url(record))
    if page.status_code != 200 or not (page.context or {}).get("has_change_permission"):
        return []
    before = type(record)._default_manager.values().get(pk=record.pk)
    again = client.post(change_url(record), {**form_data(page), "_continue": ["Save"]})
    if again.status_code != 302:
        return [f"saved, then refused untouched: {sorted(form_messages(again))[:3]}"]
    after = type(record)._default_manager.values().get(pk=record.pk)
    changed = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
    return [f"saved, then changed by an untouched save: {str(changed)[:200]}"] if changed else []


def _judged(response, name, field, value, refused_as_filled) -> list[str]:
    if response.status_code == 302:
        return []
    if response.status_code != 200:
        return [str(response.status_code)]
    if "adminform" not in (response.context or {}):
        return ["200 without the form"]
    problems = []
    new = form_messages(response) - refused_as_filled
    placed = [where for where, _ in new if not where.endswith(NON_FIELD_ERRORS)]
    if not placed and not any(where == name for where, _ in form_messages(response)) and (new or not refused_as_filled):
        problems.append(f"refused without a message at the field ({sorted(new) or 'no message'})")
    if field is not None and not _shown_back(response.content.decode(), field, value):
        problems.append("what was typed is not on the page")
    return problems


def _post(client, model, url, data, judge) -> tuple[set, list[str]]:
    """One post, judged, then undone (each starts from the same records). A post refused must
    leave no row behind (a partial save); a record saved must save again untouched unchanged.
    Returns the messages the form came back with, and the problems found."""
    with transaction.atomic():
        before = _rows_kept(model)
        response = client.post(url, {**data, "_continue": ["Save"]})
        problems = judge(response)
        if response.status_code == 302:
            problems += _untouched_again(client, model, response)
        elif (left := _rows_kept(model) - before) != 0:
            problems.append(f"{left} rows left by a refused save")
        transaction.set_rollback(True)
    return form_messages(response), problems


def _registered():
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label_lower):
        yield pytest.param(model, id=model._meta.label_lower)


@pytest.fixture
def officer_browser(django_user_model):
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_superuser("odd-adds", first_name="Odd", last_name="Adds"))
    return client


@pytest.mark.parametrize("model", list(_registered()))
def test_odd_values_posted_to_an_add_form_come_back_at_the_field(model, officer_browser):
    client = officer_browser
    url = add_url(model)
    page = client.get(url)
    if page.status_code == 403 or "adminform" not in (page.context or {}):
        pytest.skip("no add form: records written by a service")
    page, data, fields = _filled_in(client, model)
    # As filled in: saved, or refused (a copy of a record breaking a unique rule) at a field.
    refused_as_filled, problems = _post(
        client, model, url, data, lambda response: _judged(response, "", None, "", set())
    )
    problems = [f"as filled in: {problem}" for problem in problems]
    for name, field in fields:
        for value in _odd_values(field):
            _, found = _post(
                client,
                model,
                url,
                _posted(data, name, field, value),
                lambda response: _judged(response, name, field, value, refused_as_filled),  # noqa: B023
            )
            problems += [f"{name}={str(value)[:40]!r}: {problem}" for problem in found]
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(islice(problems, 60))

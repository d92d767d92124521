"""A record's history and its old versions, in the admin, once what the record hung from was
deleted (an appendix's report, a figure's measure, a declaration's agenda item), or the
record itself: an officer reads every version, a report author is refused what the gate does
not let them read, and nobody gets an error page. An old version is as restricted as its record
is now: a reader who may not read a record made Part II does not read the versions from before.

Walks every admin that keeps history, so a new one is walked without being listed."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.test import Client
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from committee import services
from committee.models import Access, AgendaItem, Appendix, Report

from .admin_records import MAKERS, a_record_of

pytestmark = pytest.mark.usefixtures("demo_for_the_module")

# What a deletion never reaches: the kinds of record and permissions themselves.
NEVER_DELETED = (ContentType, Permission, Group)


def _history_models():
    return sorted(
        (model for model, model_admin in admin.site._registry.items() if isinstance(model_admin, SimpleHistoryAdmin)),
        key=lambda model: model._meta.label_lower,
    )


def _record(model):
    record = a_record_of(model)
    record.save()  # a version of its own, whatever the demo kept
    record.save()
    return record


def _delete(obj):
    """Deleted as Django deletes it (what cascades goes too), after whatever protects it."""
    for _ in range(50):
        try:
            with transaction.atomic():
                obj.delete()
            return
        except (ProtectedError, RestrictedError) as exc:
            blocking = getattr(exc, "protected_objects", None) or exc.restricted_objects
            for blocker in list(blocking):
                _delete(blocker)
    raise AssertionError(f"{obj!r} could not be deleted")


def _delete_parents(record):
    """Every record this one hangs from (its report, its measure, its meeting...)."""
    for field in type(record)._meta.concrete_fields:
        if not field.is_relation or issubclass(field.related_model, NEVER_DELETED):
            continue
        parent = field.related_model._default_manager.filter(pk=getattr(record, field.attname)).first()
        if parent is not None:
            _delete(parent)


def _users(django_user_model):
    services.roles_sync()
    superuser = django_user_model.objects.create_superuser("history-superuser")
    officer = django_user_model.objects.create(username="history-officer", is_staff=True)
    officer.groups.add(Group.objects.get(name=services.ROLE_DEMOCRATIC_SERVICES))
    author = django_user_model.objects.create(username="history-author", is_staff=True)
    author.groups.add(Group.objects.get(name=services.ROLE_REPORT_AUTHOR))
    for report in Report.objects.all():
        report.authors.add(author)  # an author of every report, each deleted or not
    return superuser, officer, author


def _history_pages(model, pk) -> list[str]:
    opts = model._meta
    pages = [reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[pk])]
    for history_id in model.history.filter(**{opts.pk.attname: pk}).values_list("history_id", flat=True):
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[pk, history_id]))
    return pages


def _asked(user, pages) -> dict[str, int]:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return {page: client.get(page).status_code for page in pages}


def test_every_model_with_history_has_a_record_to_walk():
    missing = [m._meta.label_lower for m in _history_models() if not m._default_manager.exists()]
    assert [label for label in missing if label not in MAKERS] == []


@pytest.mark.parametrize("model", _history_models(), ids=lambda model: model._meta.label_lower)
def test_history_pages_after_deletions(model, django_user_model):
    superuser, officer, author = _users(django_user_model)
    record = _record(model)
    pk = record.pk
    _delete_parents(record)
    _walk(model, pk, superuser, officer, author)
    if model._default_manager.filter(pk=pk).exists():
        _delete(model._default_manager.get(pk=pk))  # then the record too
        _walk(model, pk, superuser, officer, author)


def _walk(model, pk, superuser, officer, author):
    pages = _history_pages(model, pk)
    for reader in (superuser, officer):
        answers = _asked(reader, pages)
        assert answers == dict.fromkeys(pages, 200), reader.username  # an officer reads every version
    answers = _asked(author, pages)
    assert not [page for page, status in answers.items() if status >= 500], answers


def _part_ii_since(record, **restricted):
    """`record` public once, then made Part II: its first version is from before."""
    record.access = Access.PUBLIC
    record.save()
    public = record.history.latest()
    for name, value in restricted.items():
        setattr(record, name, value)
    record.access = Access.EXEMPT
    record.save()
    return public


def test_an_author_reads_no_version_of_an_item_made_part_ii(django_user_model):
    superuser, officer, author = _users(django_user_model)
    item = AgendaItem.objects.filter(meeting__agenda_published_at__isnull=False, report__isnull=True).first()
    item.standing_text = "<p>The terms offered for the depot</p>"
    before = _part_ii_since(item, exempt_paragraphs=1 << 3, public_interest_reasons="Commercial terms")
    pages = _history_pages(AgendaItem, item.pk)
    assert _asked(officer, pages) == dict.fromkeys(pages, 200)

    answers = _asked(author, pages)
    assert answers == dict.fromkeys(pages, 403), answers
    assert before.standing_text  # what the author would have read


def test_an_author_reads_no_version_of_an_appendix_moved_to_a_report_not_theirs(django_user_model):
    superuser, officer, author = _users(django_user_model)
    appendix = Appendix.objects.order_by("pk").first()
    other = Report.objects.exclude(pk=appendix.report_id).first()
    other.authors.remove(author)
    appendix.report = other
    appendix.save()  # on a report they are not named on: its versions from before too
    pages = _history_pages(Appendix, appendix.pk)

    answers = _asked(author, pages)
    assert set(answers.values()) <= {302, 403}, answers
    assert _asked(officer, pages) == dict.fromkeys(pages, 200)

"""A box for why a record has a status (why a meeting was cancelled or postponed, why a
forward plan entry was deferred or withdrawn) is not on the page of a new record, nor of one
that does not have that status: the reason is asked on the page that gives the status
(Cancel or postpone, Defer, Withdraw) and corrected on the record's page once it has it
(CarefulAdminMixin.fields_not_asked). Walks every admin whose model has such a field."""

import pytest
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from committee.models import Meeting
from decisions.models import ForwardPlanEntry

pytestmark = pytest.mark.django_db

REASONS = {"status_reason"}


@pytest.fixture
def request_of_an_officer():
    request = RequestFactory().get("/")
    request.user = get_user_model()(is_superuser=True, is_staff=True, is_active=True)
    return request


def _asked(model, request, obj) -> set[str]:
    return set(flatten_fieldsets(admin.site._registry[model].get_fieldsets(request, obj)))


def test_a_new_record_is_not_asked_why_it_has_a_status(request_of_an_officer):
    walked = []
    for model, model_admin in admin.site._registry.items():
        reasons = REASONS & {field.name for field in model._meta.get_fields()}
        if not reasons:
            continue
        walked.append(model._meta.label_lower)
        assert not reasons & _asked(model, request_of_an_officer, None), model._meta.label
        assert not reasons & set(model_admin.get_form(request_of_an_officer, None).base_fields), model._meta.label
    assert {"committee.meeting", "decisions.forwardplanentry"} <= set(walked)


@pytest.mark.parametrize(
    "record, asked",
    [
        (Meeting(pk=1, status=Meeting.Status.DRAFT), False),
        (Meeting(pk=1, status=Meeting.Status.AGENDA_PUBLISHED), False),
        (Meeting(pk=1, status=Meeting.Status.CANCELLED, status_reason="Not quorate."), True),
        (Meeting(pk=1, status=Meeting.Status.POSTPONED), True),
        (Meeting(pk=1, status=Meeting.Status.DRAFT, status_reason="Kept from before."), True),
        (ForwardPlanEntry(pk=1, status=ForwardPlanEntry.Status.PROPOSED), False),
        (ForwardPlanEntry(pk=1, status=ForwardPlanEntry.Status.DEFERRED, status_reason="Awaiting the audit."), True),
        (ForwardPlanEntry(pk=1, status=ForwardPlanEntry.Status.WITHDRAWN), True),
    ],
    ids=lambda value: str(value) if isinstance(value, bool) else f"{type(value).__name__} {value.status}",
)
def test_the_reason_is_on_the_page_of_a_record_that_has_the_status(request_of_an_officer, record, asked):
    assert ("status_reason" in _asked(type(record), request_of_an_officer, record)) is asked


def test_a_misspelt_state_is_refused_when_the_admin_is_made_not_when_a_page_is_opened():
    admin_class = type(admin.site._registry[Meeting])
    misspelt = type("MisspeltMeetingAdmin", (admin_class,), {"asked_only_when": {"status_reason": "is_caled_off"}})
    with pytest.raises(ImproperlyConfigured, match="is_caled_off"):
        misspelt(Meeting, admin.site)

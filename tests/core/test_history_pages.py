"""A record's history shows each version and offers no revert: django-simple-history's revert
went through the careful admins' save, which left the record as it was while the page said
"was changed successfully"."""

import lxml.html
import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from simple_history.admin import SimpleHistoryAdmin

from committee.models import Committee
from tests.factories import CommitteeFactory

from .admin_records import a_record_of

pytestmark = pytest.mark.django_db


def test_a_version_page_shows_the_version_and_offers_no_revert(django_user_model):
    committee = CommitteeFactory(name="Audit Committee")
    first = committee.history.earliest()
    committee.name = "Audit and Governance Committee"
    committee.save()
    client = Client(raise_request_exception=False)
    client.force_login(django_user_model.objects.create_superuser("officer-with-history"))
    address = reverse("admin:committee_committee_simple_history", args=[committee.pk, first.history_id])

    page = client.get(address)
    assert page.status_code == 200 and "Audit Committee" in page.content.decode()
    assert "Revert" not in page.content.decode()

    posted = client.post(address, {"name": "Audit Committee"})
    assert posted.status_code == 405
    assert Committee.objects.get(pk=committee.pk).name == "Audit and Governance Committee"


def _history_models():
    return sorted(
        (model for model, model_admin in admin.site._registry.items() if isinstance(model_admin, SimpleHistoryAdmin)),
        key=lambda model: model._meta.label_lower,
    )


@pytest.mark.usefixtures("demo_for_the_module")
@pytest.mark.parametrize("model", _history_models(), ids=lambda model: model._meta.label_lower)
def test_a_version_page_reads_as_text_saying_whose_version_it_is(model, django_user_model):
    """Every model kept with history: its earlier version's page shows each field as text
    (Django's read-only display), no box to type in, no button to save, and says which
    version it is: when it was saved, and by whom."""
    officer = django_user_model.objects.create_superuser("version-reader", first_name="Vera", last_name="Reader")
    record = a_record_of(model)
    record._history_user = officer
    record.save()
    earlier = record.history.latest()
    record.save()  # a later version: the one read is now an earlier one
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    opts = model._meta

    page = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[record.pk, earlier.history_id])
    )

    assert page.status_code == 200
    form = lxml.html.fromstring(page.content.decode()).xpath("//form[contains(@id, '_form')]")[0]
    boxes = [
        element.get("name")
        for element in form.xpath(".//input | .//textarea | .//select")
        if element.get("type") not in ("hidden", "submit") and element.get("name") != "csrfmiddlewaretoken"
    ]
    assert boxes == []
    assert form.xpath(".//div[contains(@class, 'readonly')]"), "the fields are shown as text"
    assert not form.xpath(".//input[@type='submit']")
    when = localtime(earlier.history_date)
    heading = " ".join(form.xpath("string(.//*[@class='version-heading'])").split())
    assert heading == (
        f"This is an earlier version of this {opts.verbose_name}, as saved on {date_format(when, 'j F Y')} "
        f"at {date_format(when, 'H:i')} by Vera Reader. It is shown to read: nothing here can be saved."
    )

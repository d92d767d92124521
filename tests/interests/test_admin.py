"""The officers' admin for interests: every rule the database keeps is a message at the
field, with what was typed kept (no 500s); registers are published from the list."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interests.models import Declaration, Dispensation, Interest, NoneDeclared, RegisterVersion
from tests.core.admin_pages import add_url, form_data, with_values

pytestmark = pytest.mark.django_db


def _post_add(client, model, **values):
    data = with_values(form_data(client.get(add_url(model))), **values)
    return client.post(add_url(model), data)


def _errors(response) -> str:
    assert response.status_code == 200, response.status_code  # the form again, not a 500
    return response.content.decode()


def _declaration(meeting, member, **values):
    return {
        "agenda_item": str(meeting.items.get(number="2").pk),
        "member": str(member.pk),
        "kind": "pecuniary",
        "nature": "Owns shares in the library's contractor",
        **values,
    }


def test_an_officer_records_a_declaration(client, officer, meeting, member):
    client.force_login(officer)
    response = _post_add(client, Declaration, **_declaration(meeting, member, left_room="on"))
    assert response.status_code == 302
    assert Declaration.objects.get().left_room


def test_a_sensitive_declaration_with_its_nature_typed_is_refused_at_the_field(client, officer, meeting, member):
    client.force_login(officer)
    page = _errors(_post_add(client, Declaration, **_declaration(meeting, member, is_sensitive="on")))
    assert "for a sensitive interest, leave it empty" in page
    assert "Owns shares in the library&#x27;s contractor" in page  # what was typed is kept
    assert not Declaration.objects.exists()


def test_the_same_declaration_twice_is_refused_at_the_field(client, officer, meeting, member):
    client.force_login(officer)
    _post_add(client, Declaration, **_declaration(meeting, member))
    page = _errors(_post_add(client, Declaration, **_declaration(meeting, member)))
    assert "already recorded" in page


def test_none_declared_and_declarations_exclude_each_other(client, officer, meeting, member):
    client.force_login(officer)
    NoneDeclared.objects.create(meeting=meeting)
    page = _errors(_post_add(client, Declaration, **_declaration(meeting, member)))
    assert "record says no interests were disclosed" in page
    NoneDeclared.objects.all().delete()
    _post_add(client, Declaration, **_declaration(meeting, member))
    page = _errors(_post_add(client, NoneDeclared, meeting=str(meeting.pk)))
    assert "delete those declarations" in page


def test_interest_rules_are_messages_at_the_field(client, officer, member, settings):
    settings.QUORUM_GIFTS_THRESHOLD = 50
    client.force_login(officer)
    base = {"member": str(member.pk), "category": "land", "description": "Home", "arose_on": "2018-05-04"}
    page = _errors(_post_add(client, Interest, **base, is_sensitive="on"))
    assert "Say why the monitoring officer agreed" in page
    page = _errors(_post_add(client, Interest, **{**base, "category": "gift", "value": "40"}))
    assert "registered above £50" in page
    page = _errors(_post_add(client, Interest, **base, notified_on="2018-05-01"))
    assert "cannot have notified it before it arose" in page
    assert not Interest.objects.exists()


def _dispensation(member, **values):
    return {
        "member": str(member.pk), "for_what": "To vote on the budget", "ground": "b", "granted_by": "Standards Committee",
        **values,
    }  # fmt: skip


def test_a_dispensation_lasts_at_most_four_years(client, officer, member):
    client.force_login(officer)
    values = _dispensation(member, granted_on="2018-01-10", valid_from="2018-01-10", valid_to="2022-01-11")
    assert "at most four years" in _errors(_post_add(client, Dispensation, **values))
    assert _post_add(client, Dispensation, **{**values, "valid_to": "2022-01-10"}).status_code == 302


def test_late_notifications_are_listed_for_officers(client, officer, member):
    client.force_login(officer)
    Interest.objects.create(
        member=member, category="land", description="Field", arose_on=date(2018, 1, 1), notified_on=date(2018, 3, 1)
    )
    page = client.get(reverse("admin:interests_interest_changelist"), {"notified": "late"}).content.decode()
    assert "1 March 2018 (late)" in page


def test_an_officer_publishes_registers_from_the_list(client, officer, register):
    client.force_login(officer)
    url = reverse("admin:interests_interest_changelist")
    ids = [str(pk) for pk in Interest.objects.values_list("pk", flat=True)]
    client.post(url, {"action": "publish_registers", "_selected_action": ids})
    client.post(url, {"action": "publish_registers", "_selected_action": ids})
    assert RegisterVersion.objects.filter(member=register).count() == 1  # the second changed nothing


def test_every_interests_admin_page_loads(client, officer, register):
    client.force_login(officer)
    for model in (Interest, RegisterVersion, Declaration, Dispensation, NoneDeclared):
        info = model._meta.app_label, model._meta.model_name
        assert client.get(reverse(f"admin:{info[0]}_{info[1]}_changelist")).status_code == 200


def test_a_notification_dated_later_than_today_is_refused_at_the_field(client, officer, member):
    # A day to come would stand in for a notification not made: the interest would not be
    # listed as late however long the member waited (s.30(1): 28 days).
    client.force_login(officer)
    later = timezone.localdate() + timedelta(days=5)
    values = {"member": str(member.pk), "category": "land", "description": "Home", "arose_on": "2026-11-20"}
    page = _errors(_post_add(client, Interest, **values, notified_on=later.isoformat()))
    assert "is still to come" in page and f'value="{later.isoformat()}"' in page
    assert not Interest.objects.exists()


def test_a_dispensation_does_not_run_from_before_it_was_granted(client, officer, member):
    # s.33: a dispensation relieves a member of the restrictions when granted, not before;
    # an earlier start would cover a meeting already held.
    client.force_login(officer)
    values = _dispensation(member, granted_on="2018-01-10", valid_from="2017-01-01", valid_to="2020-01-01")
    page = _errors(_post_add(client, Dispensation, **values))
    assert "the day it was granted" in page and 'value="2017-01-01"' in page
    later = (timezone.localdate() + timedelta(days=3)).isoformat()
    page = _errors(_post_add(client, Dispensation, **{**values, "granted_on": later, "valid_from": later}))
    assert "is still to come" in page
    assert not Dispensation.objects.exists()


def test_days_at_the_end_of_the_calendar_give_no_error_page(client, officer, member):
    # A year typed with a slip (9998, 0001) is refused at the field, with what was typed
    # (core.forms). A record that holds such days all the same (imported, or saved before
    # the forms refused them) runs its four years and its 28 days to notify past the
    # calendar's end: each page still answers (its page, the list, its "Late" filter).
    client.force_login(officer)
    today = timezone.localdate().isoformat()
    values = _dispensation(member, granted_on=today, valid_from="9998-06-01", valid_to="9999-12-31")
    page = _errors(_post_add(client, Dispensation, **values))
    assert "Check the year: 9998 cannot be right." in page and 'value="9998-06-01"' in page
    values = {"member": str(member.pk), "category": "land", "description": "Home", "arose_on": "9999-12-31"}
    assert "Check the year: 9999" in _errors(_post_add(client, Interest, **values))
    dispensation = Dispensation.objects.create(
        member=member, for_what="To vote", ground="b", granted_by="Standards Committee",
        granted_on=date(2018, 1, 10), valid_from=date(9998, 6, 1), valid_to=date(9999, 12, 31),
    )  # fmt: skip
    url = reverse("admin:interests_dispensation_change", args=[dispensation.pk])
    assert "9999" in _errors(client.get(url))
    Interest.objects.create(member=member, category="land", description="Home", arose_on=date(9999, 12, 31))
    Interest.objects.create(member=member, category="land", description="Early", arose_on=date(1, 1, 1))
    url = reverse("admin:interests_interest_changelist")
    assert "Home" in _errors(client.get(url))
    assert "Early" in _errors(client.get(url, {"notified": "late"}))  # not notified, the 28 days long gone

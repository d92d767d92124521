"""The officers' admin: the forward plan's lifecycle pages, a key decision refused at the
field when too soon (what was typed kept), the decision notice page, and a decision read-only
once its notice is out."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.models import Decision, ForwardPlanEntry
from tests.core.admin_pages import add_url, change_url, form_data, with_values

from .kit import cabinet_maker, plan_entry, published_entry

pytestmark = pytest.mark.django_db


def test_publishing_the_notice_from_the_entry_page(logged_in):
    entry = plan_entry(cabinet_maker())
    page = logged_in.get(change_url(entry)).content.decode()
    assert "Publish the notice" in page and "Once the notice is published" in page
    url = reverse("admin:decisions_plan_publish", args=[entry.pk])
    today = timezone.localdate()
    response = logged_in.post(url, {"published_on": today.strftime("%d/%m/%Y")}, follow=True)
    assert f"may be taken from {today + timedelta(days=29):%-d %B %Y}" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == ForwardPlanEntry.Status.NOTICE_PUBLISHED

    again = logged_in.post(url, {"published_on": today.strftime("%d/%m/%Y")})
    assert again.status_code == 200 and "the entry is notice published" in again.content.decode()


def test_a_key_decision_too_soon_comes_back_with_the_regulation_and_what_was_typed(logged_in):
    maker = cabinet_maker()
    entry = published_entry(maker, noticed_on=timezone.localdate() - timedelta(days=3))
    data = with_values(
        form_data(logged_in.get(add_url(Decision))),
        title="Award of the highways contract",
        maker=str(maker.pk),
        plan_entry=str(entry.pk),
        is_key_decision="on",
        decided_on=timezone.localdate().strftime("%d/%m/%Y"),
        decision="<p>Resolved: award the contract.</p>",
    )
    response = logged_in.post(add_url(Decision), data)
    page = response.content.decode()
    assert response.status_code == 200 and "28 clear days, reg 9" in page and "reg 10(2)(a)" in page
    assert 'value="Award of the highways contract"' in page
    assert not Decision.objects.exists()


def test_a_published_decision_is_read_only(logged_in, officer):
    from decisions import services

    from .kit import decision, member_maker

    made = decision(member_maker(), decided_on=timezone.localdate(), by=officer)
    logged_in.post(
        reverse("admin:decisions_decision_publish", args=[made.pk]),
        {"published_on": timezone.localdate().strftime("%d/%m/%Y")},
    )
    assert services.DecisionNotice.objects.filter(decision=made).exists()
    page = logged_in.get(change_url(made)).content.decode()
    assert "Save and continue editing" not in page and "Publish the decision notice" not in page


def test_a_call_in_outcome_recorded_in_the_admin_is_told_once_and_then_kept(logged_in, officer, settings):
    """The admin records the outcome through the service: subscribers are told (the outbox),
    and the outcome, once recorded, is the record: not rewritten by a later save."""
    from alerts.models import Event
    from decisions import services
    from decisions.models import CallIn

    from .kit import decision, member_maker, scrutiny_members

    settings.QUORUM_CALL_IN_MEMBERS_REQUIRED = 2
    today = timezone.localdate()
    made = decision(member_maker(), decided_on=today, by=officer)
    services.decision_publish_notice(decision=made, published_on=today, by=officer)
    call_in = services.call_in_record(
        decision=made, members=scrutiny_members(2), requested_on=today, reasons="Value for money.", by=officer
    )
    url = change_url(call_in)
    data = with_values(form_data(logged_in.get(url)), outcome="referred_back", outcome_on=today.strftime("%d/%m/%Y"))
    assert logged_in.post(url, data).status_code == 302
    call_in.refresh_from_db()
    assert call_in.outcome == CallIn.Outcome.REFERRED_BACK
    assert Event.objects.filter(kind="call_in_outcome", decision=made).count() == 1

    # Posted again (the same page, or a changed outcome): the outcome stays as recorded.
    data = with_values(data, outcome="no_further_action")
    logged_in.post(url, data)
    call_in.refresh_from_db()
    assert call_in.outcome == CallIn.Outcome.REFERRED_BACK
    assert Event.objects.filter(kind="call_in_outcome", decision=made).count() == 1


def test_a_forward_plan_entry_whose_decision_is_moved_or_deleted_is_back_on_the_forward_plan(
    logged_in, client, officer
):
    """Recorded under the wrong entry, or deleted before its notice, a decision leaves no entry
    "Decided" with no decision: the entry is back on the public forward plan, to be decided."""
    from decisions import services

    from .kit import decision

    maker = cabinet_maker()
    noticed = timezone.localdate() - timedelta(days=40)
    first = published_entry(maker, noticed_on=noticed, reference="FP/2026/101", title="ZX-FIRST library closure")
    second = published_entry(maker, noticed_on=noticed, reference="FP/2026/102", title="ZX-SECOND depot sale")
    made = decision(maker, decided_on=timezone.localdate(), entry=first, by=officer)
    assert "ZX-FIRST" not in client.get(reverse("decisions:forward-plan")).content.decode()  # decided

    made.plan_entry, made.title = second, second.title
    services.decision_save(decision=made, by=officer)
    first.refresh_from_db()
    assert first.status == ForwardPlanEntry.Status.NOTICE_PUBLISHED
    assert "ZX-FIRST" in client.get(reverse("decisions:forward-plan")).content.decode()

    url = reverse("admin:decisions_decision_delete", args=[made.pk])
    assert logged_in.post(url, {"post": "yes"}).status_code == 302
    second.refresh_from_db()
    assert not Decision.objects.exists() and second.status == ForwardPlanEntry.Status.NOTICE_PUBLISHED
    assert "ZX-SECOND" in client.get(reverse("decisions:forward-plan")).content.decode()


def test_a_decision_whose_notice_a_colleague_published_while_it_was_edited_keeps_what_was_typed(logged_in, officer):
    # The save was refused with "403 Forbidden", and what the officer had typed was lost.
    from decisions import services

    from .kit import decision, member_maker

    made = decision(member_maker(), decided_on=timezone.localdate(), by=officer)
    data = with_values(form_data(logged_in.get(change_url(made))), title="Award of the school transport contract")
    services.decision_publish_notice(decision=made, published_on=timezone.localdate(), by=officer)

    response = logged_in.post(change_url(made), data, follow=True)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Not saved: this decision can no longer be changed" in page
    assert "Award of the school transport contract" in page  # what was typed, to copy
    made.refresh_from_db()
    assert made.title != "Award of the school transport contract"


def _refused_after_the_notice(logged_in, officer, url: str, **typed):
    """A key decision's form opened, its notice published by a colleague, then the form saved."""
    from decisions import services

    from .kit import decision

    maker = cabinet_maker()
    entry = published_entry(maker, noticed_on=timezone.localdate() - timedelta(days=40))
    made = decision(maker, decided_on=timezone.localdate(), entry=entry, by=officer)
    data = with_values(form_data(logged_in.get(url.format(change_url(made)))), **typed)
    services.decision_publish_notice(decision=made, published_on=timezone.localdate(), by=officer)
    return logged_in.post(url.format(change_url(made)), data)


def test_what_was_typed_into_a_decision_made_read_only_lists_only_what_changed(logged_in, officer):
    # The list named the ticked "key decision" box left alone ("on" against True) and the date
    # left alone (as the form writes it against as it is stored).
    response = _refused_after_the_notice(logged_in, officer, "{}", title="Award of the school transport contract")
    page = logged_in.get(response.url).content.decode()
    typed = re.search(r"What you typed, to copy: (.*?)</li>", page).group(1)
    assert typed == "Title: \u201cAward of the school transport contract\u201d"


def test_a_decision_made_read_only_while_edited_in_a_popup_is_shown_in_the_popup(logged_in, officer):
    # The page with the message opened as a full admin page inside the popup window.
    response = _refused_after_the_notice(logged_in, officer, "{}?_popup=1", title="Award of the contract")
    assert response.status_code == 302 and "_popup=1" in response.url
    page = logged_in.get(response.url).content.decode()
    assert "can no longer be changed" in page and 'name="_popup"' in page


def test_a_choice_typed_into_a_decision_made_read_only_is_listed_by_its_name(logged_in, officer):
    # The list gave the number the page sends for the choice ("Decision maker: 7"), which an
    # officer cannot copy into anything.
    from .kit import member_maker

    other = member_maker(role="Cabinet Member for Adult Social Care")
    response = _refused_after_the_notice(logged_in, officer, "{}", maker=str(other.pk))
    page = logged_in.get(response.url).content.decode()
    typed = re.search(r"What you typed, to copy: (.*?)</li>", page).group(1)
    assert "Adult Social Care" in typed and f"\u201c{other.pk}\u201d" not in typed

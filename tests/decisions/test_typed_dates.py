"""The dates officers type that start or end a legal clock: a notice's day of publication
(the forward plan's 28 clear days, the general exception's 5, the decision notice's call-in
period, a private meeting's 28 and 5), a call-in and its outcome. A notice is not dated
before its record existed here, nor (but for a private meeting's, which is public from its
day) after today; a wrong date comes back at its field with what was typed."""

from datetime import date, timedelta

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from decisions import services
from decisions.models import CallIn, ForwardPlanEntry, PrivateMeetingNotice
from tests.core.admin_pages import add_url, form_data, with_values
from tests.factories import MeetingFactory

from .kit import cabinet_maker, decision, member_maker, plan_entry, published_entry, scrutiny_members

pytestmark = pytest.mark.django_db

YEAR_ONE = date(1, 1, 1)


def today():
    return timezone.localdate()


def at_field(page: str, name: str) -> str:
    """The errors shown beside the field `name` of the page's form (none above the form)."""
    assert 'id="service-errors"' not in page
    row = lxml.html.fromstring(page).xpath(f'//*[@name="{name}"]/ancestor::div[contains(@class, "form-row")][1]')[0]
    return " ".join(row.xpath('.//ul[contains(@class, "errorlist")]//text()'))


def test_a_forward_plan_notice_dated_before_its_entry_is_refused_at_the_field_with_what_was_typed(logged_in):
    entry = plan_entry(cabinet_maker())
    url = reverse("admin:decisions_plan_publish", args=[entry.pk])
    response = logged_in.post(url, {"published_on": "01/01/2001"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "the day this entry was recorded" in at_field(page, "published_on")
    assert 'value="01/01/2001"' in page
    entry.refresh_from_db()
    assert entry.status == ForwardPlanEntry.Status.PROPOSED and entry.notice_published_on is None


def test_a_forward_plan_notice_is_dated_from_the_day_the_entry_was_recorded_to_today(officer):
    entry = plan_entry(cabinet_maker(), recorded_on=today() - timedelta(days=3))
    for wrong in (YEAR_ONE, today() - timedelta(days=4), today() + timedelta(days=1)):
        with pytest.raises(ValidationError) as refused:
            services.plan_entry_publish_notice(entry=entry, published_on=wrong, by=officer)
        assert "published_on" in refused.value.message_dict
    published = services.plan_entry_publish_notice(entry=entry, published_on=today() - timedelta(days=3), by=officer)
    assert published.may_be_taken_from == today() + timedelta(days=26)


def test_a_deferred_entry_is_noticed_again_from_the_day_it_was_deferred(officer):
    entry = plan_entry(cabinet_maker(), recorded_on=today() - timedelta(days=10))
    entry = services.plan_entry_publish_notice(entry=entry, published_on=today() - timedelta(days=10), by=officer)
    entry = services.plan_entry_defer(
        entry=entry, reason="Awaiting the tender", new_date=entry.decision_due + timedelta(days=30), by=officer
    )
    with pytest.raises(ValidationError) as refused:
        services.plan_entry_publish_notice(entry=entry, published_on=today() - timedelta(days=10), by=officer)
    assert "deferred" in refused.value.message_dict["published_on"][0]
    assert services.plan_entry_publish_notice(entry=entry, published_on=today(), by=officer).notice_published_on


def test_a_general_exception_notice_dated_before_the_entry_is_refused_at_the_field(logged_in):
    maker = cabinet_maker()
    data = with_values(
        form_data(logged_in.get(add_url(ForwardPlanEntry))),
        reference="FP/2026/090",
        title="Emergency repairs to the Ribble bridge",
        maker=str(maker.pk),
        decision_due=(today() + timedelta(days=10)).strftime("%d/%m/%Y"),
        scrutiny_chair_notified_on=(today() + timedelta(days=1)).strftime("%d/%m/%Y"),
        exception_notice_on="01/01/2001",
        exception_reasons="The bridge failed its inspection.",
    )
    response = logged_in.post(add_url(ForwardPlanEntry), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "the day this entry was recorded" in page and "is still to come" in page
    assert 'value="01/01/2001"' in page and 'value="Emergency repairs to the Ribble bridge"' in page
    assert not ForwardPlanEntry.objects.exists()


def test_a_decision_notice_is_not_dated_before_the_decision_was_recorded(officer):
    made = decision(member_maker(), decided_on=date(2019, 1, 7), recorded_on=today())
    with pytest.raises(ValidationError) as refused:
        services.decision_publish_notice(decision=made, published_on=date(2019, 1, 8), by=officer)
    assert "the day the decision was recorded" in refused.value.message_dict["published_on"][0]
    notice = services.decision_publish_notice(decision=made, published_on=today(), by=officer)
    assert notice.call_in_deadline > today()  # the call-in period runs from a notice the public had


def test_a_decision_notice_dated_before_the_decision_comes_back_at_the_field(logged_in, officer):
    made = decision(member_maker(), decided_on=today(), by=officer)
    response = logged_in.post(
        reverse("admin:decisions_decision_publish", args=[made.pk]), {"published_on": "01/01/2001"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'value="01/01/2001"' in page
    assert "the day of the decision" in at_field(page, "published_on")
    assert not services.DecisionNotice.objects.filter(decision=made).exists()


@pytest.mark.parametrize(
    ("action", "field", "typed"),
    [
        ("decisions_plan_publish", "published_on", "01/01/0001"),
        ("decisions_plan_defer", "new_date", "31/12/9999"),
        ("decisions_decision_publish", "published_on", "07/12/0026"),
    ],
)
def test_a_day_typed_with_a_slip_in_its_year_comes_back_at_the_field(logged_in, officer, action, field, typed):
    # As in the admin's own forms (core.dates.mistyped_year_problem): an entry deferred to
    # 31/12/9999 ("no end") was saved, and the decision due then printed on the forward plan.
    maker = member_maker()
    if action == "decisions_decision_publish":
        record = decision(maker, decided_on=today(), by=officer)
    elif action == "decisions_plan_publish":
        record = plan_entry(maker)
    else:
        record = published_entry(maker, noticed_on=today(), by=officer)
    before = (getattr(record, "decision_due", None), getattr(record, "status", None))
    response = logged_in.post(
        reverse(f"admin:{action}", args=[record.pk]), {field: typed, "reason": "Awaiting the tender"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and f'value="{typed}"' in page
    year = typed[-4:]
    assert at_field(page, field) == f"Check the year: {year} cannot be right. Type a date from 1800 to 2999."
    record.refresh_from_db()
    if action == "decisions_decision_publish":
        assert not services.DecisionNotice.objects.filter(decision=record).exists()
    else:
        assert (record.decision_due, record.status) == before


def test_a_call_in_and_its_outcome_are_not_dated_later_than_today(officer):
    made = decision(member_maker(), decided_on=today(), by=officer)
    services.decision_publish_notice(decision=made, published_on=today(), by=officer)
    members = scrutiny_members(3)
    with pytest.raises(ValidationError) as refused:
        services.call_in_record(
            decision=made, members=members, requested_on=today() + timedelta(days=1), reasons="Too hasty", by=officer
        )
    assert "is still to come" in refused.value.message_dict["requested_on"][0]
    call_in = services.call_in_record(decision=made, members=members, requested_on=today(), reasons="x", by=officer)
    with pytest.raises(ValidationError) as refused:
        services.call_in_outcome(
            call_in=call_in, outcome=CallIn.Outcome.REFERRED_BACK, outcome_on=today() + timedelta(days=3), notes="",
            by=officer,
        )  # fmt: skip
    assert "is still to come" in refused.value.message_dict["outcome_on"][0]


def test_a_private_meeting_notice_is_not_dated_before_it_was_recorded(logged_in):
    meeting = MeetingFactory(starts_at=timezone.now() + timedelta(days=60))
    data = with_values(
        form_data(logged_in.get(add_url(PrivateMeetingNotice))),
        meeting=str(meeting.pk),
        items="Item 9: sale of land",
        reasons="Paragraph 3",
        published_on="01/01/2001",
        further_notice_on="02/01/2001",
    )
    response = logged_in.post(add_url(PrivateMeetingNotice), data)
    page = response.content.decode()
    assert response.status_code == 200 and 'value="01/01/2001"' in page and 'value="02/01/2001"' in page
    assert page.count("the day this notice was recorded") == 2
    assert not PrivateMeetingNotice.objects.exists()

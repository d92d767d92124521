"""Notices of meetings held in private (SI 2012/2089 reg 5): the public page (the 28-day
notice with reasons, the 5-day further notice with representations and the response), the
meeting page's link to it, the officers' warning when Part II business has no notice (never
shown to the public), the admin's refusals at the field, and constant queries."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from committee import services as committee_services
from decisions.models import PrivateMeetingNotice
from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory, exempt

pytestmark = pytest.mark.django_db

WARNING = "no notice of the intention to hold it in private has been published"


def _meeting(committee, officer, *, days=40, part_ii=True):
    meeting = MeetingFactory(committee=committee, starts_at=timezone.now() + timedelta(days=days))
    ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting, order=1, number="1", title="Library opening hours"))
    if part_ii:
        private = AgendaItemFactory(meeting=meeting, order=2, number="2", title="Disposal of the depot")
        ReportFactory(agenda_item=private)
        exempt(private, 3)
    committee_services.meeting_publish_agenda(meeting=meeting, by=officer)
    meeting.refresh_from_db()
    return meeting


def _notice(meeting, **fields):
    fields.setdefault("published_on", timezone.localdate() - timedelta(days=1))
    fields.setdefault("recorded_on", min(fields["published_on"], timezone.localdate()))  # recorded by then
    notice = PrivateMeetingNotice(
        meeting=meeting,
        items="Item 2: Disposal of the depot.",
        reasons="Information about the financial affairs of the council (paragraph 3 of Schedule 12A).",
        **fields,
    )
    notice.full_clean()
    notice.save()
    return notice


def _officer_client(officer):
    client = Client()
    client.force_login(officer)
    return client


def test_the_public_page_shows_the_notice_and_the_further_notice_with_the_response(client, committee, officer):
    meeting = _meeting(committee, officer, days=10)
    _notice(
        meeting, published_on=timezone.localdate() - timedelta(days=30), further_notice_on=timezone.localdate(),
        representations="A resident asked for the sale price to be public.",
        response="The price will be published once contracts are exchanged.",
    )  # fmt: skip

    page = client.get(reverse("decisions:private-notices")).content.decode()

    assert f'id="meeting-{meeting.pk}"' in page and "Item 2: Disposal of the depot." in page
    assert "paragraph 3 of Schedule 12A" in page
    assert "A resident asked for the sale price to be public." in page
    assert "The price will be published once contracts are exchanged." in page


def test_a_notice_dated_later_is_not_public_yet(client, committee, officer):
    meeting = _meeting(committee, officer, days=60)
    _notice(meeting, published_on=timezone.localdate() + timedelta(days=2))
    assert "Disposal of the depot" not in client.get(reverse("decisions:private-notices")).content.decode()
    assert (
        "Disposal of the depot" in _officer_client(officer).get(reverse("decisions:private-notices")).content.decode()
    )


def test_the_meeting_page_links_to_its_notice(client, committee, officer):
    meeting = _meeting(committee, officer)
    notice = _notice(meeting)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'href="{notice.get_absolute_url()}"' in page and WARNING not in page
    assert "the notices of private meetings" in client.get(reverse("decisions:forward-plan")).content.decode()


def test_part_ii_business_without_a_notice_warns_officers_only(client, committee, officer):
    meeting = _meeting(committee, officer)
    assert WARNING not in client.get(meeting.get_absolute_url()).content.decode()
    page = _officer_client(officer).get(meeting.get_absolute_url()).content.decode()
    assert WARNING in page and "For officers (not shown to the public)" in page
    due = (timezone.localdate(meeting.starts_at) - timedelta(days=29)).strftime("%-d %B %Y")
    assert f"by {due}" in page


def test_a_meeting_without_part_ii_business_has_no_warning(committee, officer):
    meeting = _meeting(committee, officer, part_ii=False)
    assert WARNING not in _officer_client(officer).get(meeting.get_absolute_url()).content.decode()


def test_a_late_notice_is_refused_at_its_field_with_the_typing_kept(committee, officer):
    meeting = _meeting(committee, officer, days=10)
    officers = _officer_client(officer)
    response = officers.post(
        reverse("admin:decisions_privatemeetingnotice_add"),
        {
            "meeting": meeting.pk,
            "items": "ZX-TYPED Item 2",
            "reasons": "Paragraph 3.",
            "published_on": timezone.localdate().strftime("%d/%m/%Y"),
            "representations": "",
            "response": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and not PrivateMeetingNotice.objects.exists()
    assert "Reg 5(2): the notice is published by" in page and "ZX-TYPED Item 2" in page


@pytest.mark.parametrize("count", [1, 5])
def test_the_public_page_queries_are_constant(client, committee, officer, count, django_assert_num_queries):
    for n in range(count):
        _notice(_meeting(committee, officer, days=40 + n))
    # 1 the notices with their meetings and committees.
    with django_assert_num_queries(1):
        response = client.get(reverse("decisions:private-notices"))
    assert response.content.decode().count("Item 2: Disposal of the depot.") == count

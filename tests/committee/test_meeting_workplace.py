"""The officer's meeting page: standing items in the council's wording, the agenda's order
(Part II after Part I, renumbered at once), one date format, one-page ranges, the pack
first, the Part II boxes, and a page whose queries do not grow with its items."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committee import services
from committee.models import AgendaItem, Meeting, StandingItem
from core.templatetags.quorum import pages_label
from tests.factories import AgendaItemFactory, CommitteeFactory, MeetingFactory, VenueFactory, exempt

from ..core.admin_pages import add_url, form_data, with_values

pytestmark = pytest.mark.django_db


def _new_meeting_data(client, committee, venue, when):
    data = form_data(client.get(add_url(Meeting)))
    return with_values(
        data,
        committee=str(committee.pk),
        starts_at_0=when.strftime("%d/%m/%Y"),
        starts_at_1="14:00",
        venue=str(venue.pk),
        start_from_standing_items="on",
    )


def test_a_new_meeting_starts_from_the_standing_items_in_the_councils_wording(client, officer):
    committee = CommitteeFactory(name="Cabinet Committee on Performance Improvement")
    previous = MeetingFactory(committee=committee)
    StandingItem.objects.filter(kind="urgent_business").update(
        standing_text="<p>Urgent business only with the Chair's agreement.</p>"
    )
    client.force_login(officer)
    when = previous.starts_at + timedelta(days=70)
    response = client.post(add_url(Meeting), _new_meeting_data(client, committee, VenueFactory(), when))
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.exclude(pk=previous.pk).get()
    items = list(meeting.items.order_by("order"))
    assert [(i.number, i.kind) for i in items] == [
        ("1", "apologies"),
        ("2", "declarations"),
        ("3", "minutes"),
        ("4", "urgent_business"),
        ("5", "next_meeting"),
    ]
    assert items[0].title == "Apologies for Absence"
    assert "Pecuniary and Non-Pecuniary Interests they may have to disclose" in items[1].standing_text
    # The minutes item names and links the committee's previous meeting, in the one date format.
    assert items[2].minutes_of == previous
    assert items[2].title == f"Minutes of the Meeting held on {previous.starts_at:%A %-d %B %Y}"
    # The council's edited wording is the one used; the committee is named where asked.
    assert items[3].standing_text == "<p>Urgent business only with the Chair's agreement.</p>"
    assert "next meeting of the Cabinet Committee on Performance Improvement" in items[4].standing_text
    assert items[0].history.latest().history_user == officer


def test_a_standing_item_left_off_is_not_added(client, officer):
    StandingItem.objects.filter(kind="apologies").update(is_active=False)
    meeting = MeetingFactory()
    added = services.agenda_items_from_standing(meeting=meeting, by=officer)
    assert "apologies" not in [i.kind for i in added] and len(added) == 4


def test_reordering_keeps_part_ii_items_after_part_i_items():
    first = AgendaItemFactory(order=1, number="1", title="Apologies")
    meeting = first.meeting
    secret = exempt(AgendaItemFactory(meeting=meeting, order=2, number="2", title="Land sale"), 3)
    last = AgendaItemFactory(meeting=meeting, order=3, number="3", title="Urgent Business")
    # Asked to put the Part II item first: it stays after every Part I item.
    moved = services.agenda_reorder(meeting=meeting, ordered_item_ids=[secret.pk, last.pk, first.pk], renumber=True)
    assert moved == [secret]
    assert list(meeting.items.order_by("order").values_list("title", "number")) == [
        ("Urgent Business", "1"),
        ("Apologies", "2"),
        ("Land sale", "3"),
    ]


def test_the_reorder_page_shows_part_ii_moves_by_button_and_renumbers_at_once(client, officer):
    first = AgendaItemFactory(order=1, number="1", title="Apologies")
    meeting = first.meeting
    second = AgendaItemFactory(meeting=meeting, order=2, number="2", title="Urgent Business")
    secret = exempt(AgendaItemFactory(meeting=meeting, order=3, number="3", title="Land sale"), 3)
    client.force_login(officer)
    url = reverse("admin:committee_meeting_reorder", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "<strong>Part II</strong>" in page and "reorder.js" in page
    # The Part II item cannot be moved above a Part I item: its "Move up" is disabled.
    assert f'value="up:{secret.pk}" disabled' in page
    assert f'value="down:{second.pk}" disabled' in page
    # A button's move (as posted without scripts) renumbers at once.
    seen = services.agenda_version  # the agenda as the page showed it, posted with every move
    assert (
        client.post(url, {"move": f"up:{second.pk}", "renumber": "1", "agenda_seen": seen(meeting=meeting)}).status_code
        == 302
    )
    assert list(meeting.items.order_by("order").values_list("title", "number")) == [
        ("Urgent Business", "1"),
        ("Apologies", "2"),
        ("Land sale", "3"),
    ]
    # The order saved from the page (dragged there) keeps Part II last and says so.
    response = client.post(
        url,
        {
            "order": [str(secret.pk), str(first.pk), str(second.pk)],
            "renumber": "1",
            "save": "1",
            "agenda_seen": seen(meeting=meeting),
        },
        follow=True,
    )
    assert "Part II items stay after the Part I items" in response.content.decode()
    assert list(meeting.items.order_by("order").values_list("title", flat=True)) == [
        "Apologies",
        "Urgent Business",
        "Land sale",
    ]
    # A tampered order is refused with a message, not an error page.
    assert client.post(url, {"order": ["x"], "save": "1"}).status_code == 404
    response = client.post(
        url, {"order": [str(first.pk)], "save": "1", "agenda_seen": seen(meeting=meeting)}, follow=True
    )
    assert response.status_code == 200 and "every item of the agenda once" in response.content.decode()


def test_one_page_item_reads_page_not_pages():
    assert pages_label((5, 5)) == "(Page 5)"
    assert pages_label((1, 8)) == "(Pages 1 - 8)"
    assert pages_label(None) == ""


def test_dates_are_written_one_way_on_public_and_admin_pages(client, officer):
    item = AgendaItemFactory()
    meeting = item.meeting
    weekday_date = f"{meeting.starts_at.astimezone():%A %-d %B %Y}"
    public = client.get(meeting.get_absolute_url()).content.decode()
    assert f"<h1>{meeting.committee.name}, {weekday_date}</h1>" in public
    assert str(meeting) == f"{meeting.committee} - {weekday_date}"
    client.force_login(officer)
    listing = client.get(reverse("admin:committee_meeting_changelist")).content.decode()
    deadline = f"{meeting.publication_deadline:%A %-d %B %Y}"
    assert deadline in listing and weekday_date in listing


def test_the_meeting_page_puts_the_pack_first_and_the_part_ii_boxes_in_reach(client, officer):
    item = AgendaItemFactory()
    client.force_login(officer)
    page = client.get(reverse("admin:committee_meeting_change", args=[item.meeting.pk])).content.decode()
    assert page.index('id="agenda-pack"') < page.index('id="meeting_form"')
    assert "Build a preview of the packs" in page
    # Without scripts every box is there; the script only hides them for a Part I item.
    assert "field-paragraphs" in page and "field-public_interest_reasons" in page
    assert "committee/part-ii-fields.js" in page and "<script>" not in page


def _change_page_queries(client, meeting) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("admin:committee_meeting_change", args=[meeting.pk])).status_code == 200
    return len(queries)


# The meeting's page with its items, its attendance and its pack panel (documented in docs/testing.md).
MEETING_PAGE_QUERIES = 18


def test_the_meeting_page_costs_the_same_queries_however_many_items(client, officer):
    meeting = AgendaItemFactory(order=1, number="1").meeting
    client.force_login(officer)
    few = _change_page_queries(client, meeting)
    for n in range(2, 12):
        item = AgendaItemFactory(meeting=meeting, order=n, number=str(n))
        if n % 3 == 0:
            exempt(item, 1)
    many = _change_page_queries(client, meeting)
    assert many == few and many <= MEETING_PAGE_QUERIES, (few, many)
    assert AgendaItem.objects.filter(meeting=meeting).count() == 11


def test_the_status_reason_is_asked_only_of_a_meeting_cancelled_or_postponed(client, officer):
    client.force_login(officer)
    assert 'name="status_reason"' not in client.get(add_url(Meeting)).content.decode()
    meeting = MeetingFactory()
    url = reverse("admin:committee_meeting_change", args=[meeting.pk])
    assert 'name="status_reason"' not in client.get(url).content.decode()

    services.meeting_cancel(meeting=meeting, by=officer, reason="The chair is unwell.", postpone=True)
    page = client.get(url)
    assert 'name="status_reason"' in page.content.decode()
    corrected = "The chair is unwell: a new date will be set."
    response = client.post(url, with_values(form_data(page), status_reason=corrected))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status_reason == corrected

"""Email alerts end to end against a real SMTP server on loopback: subscribe, confirm from the
received message, be told on publication exactly what changed, unsubscribe in one click."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts import services
from alerts.models import Bounce, Delivery, Event, Frequency, Subscriber, Subscription
from committee import services as committee_services
from core.dates import long_date
from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory, VenueFactory
from tests.page_checks import unexplained_fields

from .digests import made_before_the_digest_time
from .smtp import part

pytestmark = pytest.mark.django_db

ADDRESS = "resident@example.org"


def links(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def subscribe_and_confirm(client, committee, capture, smtp, address=ADDRESS, frequency="immediate"):
    with capture(execute=True):
        response = client.post(
            reverse("alerts:subscribe"),
            {"kind": "committee", "committee": committee.pk, "email": address, "frequency": frequency},
        )
    assert response.status_code == 302
    [confirmation] = smtp.inbox.to(address)
    assert "Confirm your email alert" in confirmation["Subject"]
    [confirm_url] = [u for u in links(part(confirmation, "plain")) if "/alerts/confirm/" in u]
    path = confirm_url.split("example.gov.uk", 1)[1]
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    smtp.inbox.clear()
    return Subscription.objects.get(subscriber__email=address)


def agenda(committee, **kwargs):
    meeting = MeetingFactory(committee=committee, **kwargs)
    # Item 1, whatever the factory's count has reached: a test adds item 9 after publication.
    ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting, order=1, number="1", title="Library opening hours"))
    return meeting


def test_nothing_is_sent_before_confirming_then_the_agenda_arrives_and_one_click_unsubscribes(
    client, committee, officer, smtp, worker_in_process, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        client.post(
            reverse("alerts:subscribe"),
            {"kind": "committee", "committee": committee.pk, "email": ADDRESS, "frequency": "immediate"},
        )
    first = agenda(committee)
    with capture(execute=True):
        committee_services.meeting_publish_agenda(meeting=first, by=officer)
    # Only the confirmation: the agenda published before confirming is not sent.
    assert [m["Subject"] for m in smtp.inbox.to(ADDRESS)] == ["Confirm your email alert | Lancashire County Council"]
    smtp.inbox.clear()
    Subscription.objects.all().delete()
    subscribe_and_confirm(client, committee, capture, smtp)

    second = agenda(committee)
    with capture(execute=True):
        committee_services.meeting_publish_agenda(meeting=second, by=officer)
    [message] = smtp.inbox.to(ADDRESS)
    assert message["Subject"].startswith(f"Agenda published: {committee.name}")
    text, html = part(message, "plain"), part(message, "html")
    assert "The agenda for" in text and "has been published" in text
    assert "Library opening hours" in text and "Lancashire County Council" in text
    assert f"https://committees.example.gov.uk{second.get_absolute_url()}" in text
    report = second.items.get().report
    assert f"https://committees.example.gov.uk{report.get_absolute_url()}" in html
    assert '<html lang="en-GB">' in html and "<img" not in html.lower()
    assert message["From"] and message["Reply-To"]
    # RFC 8058: a mail client unsubscribes with one POST to the header's address.
    unsubscribe = message["List-Unsubscribe"].strip().strip("<>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text
    response = client.post(unsubscribe.split("example.gov.uk", 1)[1], {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.exists()

    smtp.inbox.clear()
    with capture(execute=True):
        committee_services.meeting_cancel(meeting=second, by=officer, reason="Not quorate")
    assert smtp.inbox.to(ADDRESS) == []


def test_each_message_says_what_changed(
    client, committee, officer, smtp, worker_in_process, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    subscribe_and_confirm(client, committee, capture, smtp)
    with capture(execute=True):
        meeting = agenda(committee)
    [added] = smtp.inbox.to(ADDRESS)
    assert added["Subject"].startswith("New meeting:") and "has been arranged" in part(added, "plain")

    smtp.inbox.clear()
    meeting.starts_at += timedelta(days=2)
    with capture(execute=True):
        committee_services.meeting_save(meeting=meeting)
    [moved] = smtp.inbox.to(ADDRESS)
    assert moved["Subject"].startswith("Meeting moved:") and "(it was" in part(moved, "plain")

    smtp.inbox.clear()
    with capture(execute=True):
        committee_services.meeting_publish_agenda(meeting=meeting, by=officer)
        meeting.refresh_from_db()
    smtp.inbox.clear()
    item = meeting.items.get()
    with capture(execute=True):
        committee_services.papers_changed_told(meeting=meeting, paper=item.report)
    [changed] = smtp.inbox.to(ADDRESS)
    text = part(changed, "plain")
    assert f"Item {item.number}, Library opening hours" in text and "changed after the agenda was published" in text
    assert "new version of the agenda pack" in text

    smtp.inbox.clear()
    with capture(execute=True):
        committee_services.meeting_cancel(meeting=meeting, by=officer, reason="The chair is unwell", postpone=True)
    [postponed] = smtp.inbox.to(ADDRESS)
    assert "has been postponed" in part(postponed, "plain") and "The chair is unwell" in part(postponed, "plain")


def test_minutes_published_links_to_the_minutes(
    client, committee, officer, smtp, worker_in_process, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    meeting = agenda(committee, starts_at=timezone.now() - timedelta(days=1))
    committee_services.meeting_publish_agenda(meeting=meeting, by=officer, late_reasons="Urgent.")
    committee_services.meeting_mark_held(meeting=meeting, by=officer)
    from committee.models import Minutes

    Minutes.objects.create(meeting=meeting)
    subscribe_and_confirm(client, committee, capture, smtp)
    with capture(execute=True):
        committee_services.minutes_publish(meeting=meeting, by=officer)
    [message] = smtp.inbox.to(ADDRESS)
    assert "minutes of" in part(message, "plain") and f"{meeting.get_absolute_url()}#minutes" in part(message, "plain")


def test_a_second_matching_alert_does_not_send_the_same_change_twice(
    client, committee, officer, smtp, worker_in_process, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    subscribe = subscribe_and_confirm(client, committee, capture, smtp)
    Subscription.objects.create(subscriber=subscribe.subscriber, kind="all", confirmed_at=timezone.now())
    with capture(execute=True):
        agenda(committee)
    assert len(smtp.inbox.to(ADDRESS)) == 1


def test_three_hard_bounces_pause_the_address(committee, smtp):
    subscriber = Subscriber.objects.create(email="gone@refused.example")
    Subscription.objects.create(subscriber=subscriber, kind="all", confirmed_at=timezone.now())
    for _ in range(3):
        meeting = MeetingFactory(committee=committee)  # each writes an event
        services.event_fan_out(event_id=Event.objects.get(meeting=meeting).pk)
        services.deliveries_send()
    subscriber.refresh_from_db()
    assert subscriber.hard_bounces == 3 and subscriber.paused_at is not None
    assert Bounce.objects.filter(email=subscriber.email, kind="hard").count() == 3
    assert set(Delivery.objects.values_list("status", flat=True)) == {"failed"}
    meeting = MeetingFactory(committee=committee)
    services.event_fan_out(event_id=Event.objects.get(meeting=meeting).pk)
    assert not Delivery.objects.filter(event__meeting=meeting).exists()


def test_the_daily_digest_gathers_the_day_s_changes_into_one_message(committee, smtp):
    subscriber = Subscriber.objects.create(email=ADDRESS, frequency=Frequency.DAILY)
    Subscription.objects.create(
        subscriber=subscriber, kind="committee", committee=committee, confirmed_at=timezone.now()
    )
    meetings = [MeetingFactory(committee=committee, venue=VenueFactory()) for _ in range(2)]
    for event in Event.objects.filter(meeting__in=meetings):
        services.event_fan_out(event_id=event.pk)
    assert services.deliveries_send() == 0
    assert smtp.inbox.to(ADDRESS) == []
    assert services.digests_send() == 0  # not due before the digest time
    made_before_the_digest_time()
    assert services.digests_send() == 1
    [digest] = smtp.inbox.to(ADDRESS)
    text = part(digest, "plain")
    assert digest["Subject"].startswith("Your daily alerts: 2 changes")
    assert text.count("has been arranged") == 2 and digest["List-Unsubscribe-Post"]
    assert services.digests_send() == 0  # sent once


def test_the_subscribe_form_says_what_is_missing_at_the_field_and_keeps_what_was_typed(client, committee):
    response = client.post(reverse("alerts:subscribe"), {"kind": "committee", "email": ADDRESS, "frequency": "daily"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose the committee." in body and f'value="{ADDRESS}"' in body
    response = client.post(
        reverse("alerts:subscribe"), {"kind": "search", "words": "   ", "email": "not an address", "frequency": "x"}
    )
    assert response.status_code == 200
    assert "Type the words to look for." in response.content.decode()
    # Each message is where the field's aria-describedby points, so a screen reader reads it.
    assert unexplained_fields(response) == []
    assert response.content.decode().count('aria-invalid="true"') >= 2
    assert not Subscriber.objects.exists()


def test_a_broken_link_says_so_and_manage_page_changes_frequency(client, committee, smtp):
    assert client.get(reverse("alerts:confirm", args=["nonsense"])).status_code == 404
    assert client.get(reverse("alerts:manage", args=["nonsense"])).status_code == 404
    assert client.post(reverse("alerts:unsubscribe", args=["nonsense"])).status_code == 404
    subscriber = Subscriber.objects.create(email=ADDRESS)
    Subscription.objects.create(subscriber=subscriber, kind="all", confirmed_at=timezone.now())
    from alerts import tokens

    url = reverse("alerts:manage", args=[tokens.manage_token(subscriber.pk)])
    response = client.get(url)
    assert response.status_code == 200 and "All meetings" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    client.post(url, {"frequency": "daily"})
    subscriber.refresh_from_db()
    assert subscriber.frequency == "daily"
    client.post(url, {"stop_all": "1"})
    assert not Subscription.objects.exists()


def test_a_saved_search_is_told_of_new_papers_matching_its_words(committee, officer, smtp):
    subscriber = Subscriber.objects.create(email=ADDRESS)
    Subscription.objects.create(
        subscriber=subscriber, kind="search", words="library hours", confirmed_at=timezone.now()
    )
    other = Subscriber.objects.create(email="other@example.org")
    Subscription.objects.create(subscriber=other, kind="search", words="waste collection", confirmed_at=timezone.now())
    meeting = agenda(committee)
    committee_services.meeting_publish_agenda(meeting=meeting, by=officer)
    services.event_fan_out(event_id=Event.objects.get(meeting=meeting, kind="agenda_published").pk)
    services.deliveries_send()
    assert len(smtp.inbox.to(ADDRESS)) == 1
    assert smtp.inbox.to("other@example.org") == []


def test_a_saved_search_is_told_of_matching_papers_added_in_a_supplementary_pack(committee, officer, smtp):
    # Only a first publication was searched: a paper added later, in a supplementary pack,
    # holding the words sent nothing, though the form offers "New papers matching words".
    for address, words in ((ADDRESS, "library hours"), ("other@example.org", "waste collection")):
        Subscription.objects.create(
            subscriber=Subscriber.objects.create(email=address), kind="search", words=words, confirmed_at=timezone.now()
        )
    meeting = agenda(committee)
    committee_services.meeting_publish_agenda(meeting=meeting, by=officer)
    ReportFactory(
        agenda_item=AgendaItemFactory(
            meeting=meeting, title="Waste collection changes", added_after_publication_at=timezone.now()
        )
    )
    # As the pack builder records it once the supplementary pack is ready.
    supplementary = Event.objects.create(kind="supplementary_pack", meeting=meeting, committee=committee)

    services.event_fan_out(event_id=supplementary.pk)
    services.deliveries_send()

    [message] = smtp.inbox.to("other@example.org")
    assert "Supplementary agenda pack" in message["Subject"]
    assert smtp.inbox.to(ADDRESS) == []  # its paper was in the first publication, not added


def test_nothing_waiting_is_sent_to_an_address_paused_since_it_was_written_out(committee, smtp):
    # A complaint ("marked as spam") pauses the address: messages written out for it before
    # were still sent.
    subscriber = Subscriber.objects.create(email=ADDRESS)
    Subscription.objects.create(
        subscriber=subscriber, kind="committee", committee=committee, confirmed_at=timezone.now()
    )
    services.event_fan_out(event_id=Event.objects.get(meeting=MeetingFactory(committee=committee)).pk)
    services.bounce_record(email=ADDRESS, kind=Bounce.Kind.COMPLAINT)

    assert services.deliveries_send() == 0
    assert smtp.inbox.to(ADDRESS) == []
    assert Delivery.objects.get().error == services.PAUSED


def test_a_councillor_s_committees_are_the_ones_they_sit_on(committee, smtp):
    from tests.factories import CommitteeFactory, MembershipFactory

    membership = MembershipFactory(committee=committee)
    subscriber = Subscriber.objects.create(email=ADDRESS)
    Subscription.objects.create(
        subscriber=subscriber, kind="councillor", member=membership.member, confirmed_at=timezone.now()
    )
    theirs, other = MeetingFactory(committee=committee), MeetingFactory(committee=CommitteeFactory())
    for meeting in (theirs, other):
        services.event_fan_out(event_id=Event.objects.get(meeting=meeting).pk)
    services.deliveries_send()
    [message] = smtp.inbox.to(ADDRESS)
    assert committee.name in message["Subject"]
    assert f"committees {membership.member} sits on" in part(message, "plain")


def test_an_item_added_after_publication_is_told_as_added(committee, officer, smtp):
    from committee.models import AgendaItem

    subscriber = Subscriber.objects.create(email=ADDRESS)
    Subscription.objects.create(subscriber=subscriber, kind="all", confirmed_at=timezone.now())
    meeting = agenda(committee)
    meeting = committee_services.meeting_publish_agenda(meeting=meeting, by=officer)
    item = AgendaItem(meeting=meeting, order=9, number="9", title="Urgent: flood recovery grant")
    committee_services.agenda_item_prepare(item=item)
    item.save()
    committee_services.papers_changed_told(meeting=meeting, paper=item, added=True)
    services.event_fan_out(event_id=Event.objects.get(kind="paper_changed").pk)
    services.deliveries_send()
    [message] = smtp.inbox.to(ADDRESS)
    text = part(message, "plain")
    assert message["Subject"].startswith("Item added to the agenda")
    assert "Item 9, Urgent: flood recovery grant, has been added" in text and "supplementary agenda pack" in text


def test_a_paused_address_that_subscribes_and_confirms_again_is_sent_to_again(
    client, committee, smtp, worker_in_process, django_capture_on_commit_callbacks
):
    Subscriber.objects.create(email=ADDRESS, hard_bounces=3, paused_at=timezone.now())
    subscribe_and_confirm(client, committee, django_capture_on_commit_callbacks, smtp)
    subscriber = Subscriber.objects.get(email=ADDRESS)
    assert subscriber.paused_at is None and subscriber.hard_bounces == 0


def test_the_admin_tells_an_item_it_adds_as_added_and_a_later_edit_as_a_change(client, committee, officer):
    """The officer's add form says the item is new; its first save after publication is told
    as a supplementary item, every later save (however few its history rows) as a change."""
    from committee.models import AgendaItem
    from tests.core.admin_pages import add_url, change_url, form_data, with_values

    meeting = committee_services.meeting_publish_agenda(meeting=agenda(committee), by=officer)
    client.force_login(officer)
    data = with_values(
        form_data(client.get(add_url(AgendaItem))),
        meeting=str(meeting.pk),
        order="9",
        number="9",
        title="Urgent: flood recovery grant",
    )
    assert client.post(add_url(AgendaItem), data).status_code == 302
    item = AgendaItem.objects.get(meeting=meeting, title="Urgent: flood recovery grant")
    [told] = Event.objects.filter(kind="paper_changed")
    assert told.details["item_id"] == item.pk and told.details["added"] is True

    # Its history says nothing of it (as after an import, or a pruned history): still a change.
    item.history.all().delete()
    data = with_values(form_data(client.get(change_url(item))), title="Urgent: flood recovery grant (revised)")
    assert client.post(change_url(item), data).status_code == 302
    changed = Event.objects.filter(kind="paper_changed").exclude(pk=told.pk).get()
    assert changed.details["added"] is False


def test_a_meeting_moved_to_another_room_says_where_it_was_and_is_now(committee, smtp):
    """Moved in place only: the message says the room changed, not that the date did."""
    subscriber = Subscriber.objects.create(email=ADDRESS)
    Subscription.objects.create(subscriber=subscriber, kind="all", confirmed_at=timezone.now())
    old_room = VenueFactory(name="Committee Room A", address="County Hall, Preston")
    meeting = MeetingFactory(committee=committee, venue=old_room)
    meeting.venue = VenueFactory(name="Council Chamber", address="County Hall, Preston")
    committee_services.meeting_save(meeting=meeting)
    services.event_fan_out(event_id=Event.objects.get(meeting=meeting, kind="meeting_moved").pk)
    services.deliveries_send()
    [moved] = smtp.inbox.to(ADDRESS)
    text = " ".join(part(moved, "plain").split())
    assert "has moved to Council Chamber - County Hall, Preston" in text
    assert "it was at Committee Room A - County Hall, Preston" in text
    assert f"has moved to {long_date(meeting.starts_at)}" not in text


def test_a_meeting_moved_later_the_same_day_gives_the_old_time(committee, smtp):
    subscriber = Subscriber.objects.create(email=ADDRESS)
    Subscription.objects.create(subscriber=subscriber, kind="all", confirmed_at=timezone.now())
    starts = timezone.localtime(timezone.now() + timedelta(days=30)).replace(hour=10, minute=0, second=0, microsecond=0)
    meeting = MeetingFactory(committee=committee, starts_at=starts)
    meeting.starts_at = starts.replace(hour=14)
    committee_services.meeting_save(meeting=meeting)
    services.event_fan_out(event_id=Event.objects.get(meeting=meeting, kind="meeting_moved").pk)
    services.deliveries_send()
    [moved] = smtp.inbox.to(ADDRESS)
    text = " ".join(part(moved, "plain").split())
    assert "at 2pm (it was" in text and "at 10am)" in text


def test_a_paused_address_asking_again_for_an_alert_it_has_is_sent_a_confirmation_that_resumes_it(
    client, committee, smtp, worker_in_process, django_capture_on_commit_callbacks
):
    """The manage page tells a paused address to subscribe again: asking for the alert it
    already has sends the confirmation, and confirming starts messages again."""
    subscriber = Subscriber.objects.create(email=ADDRESS, hard_bounces=3, paused_at=timezone.now())
    Subscription.objects.create(
        subscriber=subscriber, kind="committee", committee=committee, confirmed_at=timezone.now()
    )
    subscribe_and_confirm(client, committee, django_capture_on_commit_callbacks, smtp)
    subscriber.refresh_from_db()
    assert subscriber.paused_at is None and subscriber.hard_bounces == 0
    assert Subscription.objects.count() == 1


def test_an_address_not_paused_asking_again_for_an_alert_it_has_is_sent_nothing(
    client, committee, smtp, worker_in_process, django_capture_on_commit_callbacks
):
    subscriber = Subscriber.objects.create(email=ADDRESS)
    Subscription.objects.create(
        subscriber=subscriber, kind="committee", committee=committee, confirmed_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("alerts:subscribe"),
            {"kind": "committee", "committee": committee.pk, "email": ADDRESS, "frequency": "immediate"},
        )
    assert response.status_code == 302
    assert smtp.inbox.to(ADDRESS) == []


def test_unsubscribing_from_one_alert_keeps_the_changes_another_alert_still_asks_for(committee, smtp):
    """A change two of a person's alerts match is written once, under the first; stopping
    that one must not take the change from the digest the other still asks for."""
    subscriber = Subscriber.objects.create(email=ADDRESS, frequency=Frequency.DAILY)
    everything = Subscription.objects.create(subscriber=subscriber, kind="all", confirmed_at=timezone.now())
    Subscription.objects.create(
        subscriber=subscriber, kind="committee", committee=committee, confirmed_at=timezone.now()
    )
    meeting = MeetingFactory(committee=committee)
    services.event_fan_out(event_id=Event.objects.get(meeting=meeting).pk)
    other = MeetingFactory()  # another committee's: only "all meetings" asked for it
    services.event_fan_out(event_id=Event.objects.get(meeting=other).pk)

    services.subscription_cancel(subscription=everything)
    made_before_the_digest_time()

    assert services.digests_send() == 1
    [digest] = smtp.inbox.to(ADDRESS)
    text = part(digest, "plain")
    assert text.count("has been arranged") == 1 and committee.name in text
    assert other.committee.name not in text


def test_unsubscribing_from_a_daily_digest_stops_every_alert_it_gathers(client, committee, smtp):
    """A mail client's "Unsubscribe" on "Your daily alerts" (RFC 8058's one click) stopped the
    first of the alerts it gathered only, and the digests kept coming."""
    subscriber = Subscriber.objects.create(email=ADDRESS, frequency=Frequency.DAILY)
    Subscription.objects.create(subscriber=subscriber, kind="all", confirmed_at=timezone.now())
    Subscription.objects.create(
        subscriber=subscriber, kind="committee", committee=committee, confirmed_at=timezone.now()
    )
    services.event_fan_out(event_id=Event.objects.get(meeting=MeetingFactory(committee=committee)).pk)
    made_before_the_digest_time()
    assert services.digests_send() == 1
    [digest] = smtp.inbox.to(ADDRESS)
    assert "Unsubscribe from these daily alerts" in part(digest, "plain")
    link = digest["List-Unsubscribe"].strip("<>")
    path = link[link.index("/alerts/") :]

    page = client.get(path).content.decode()
    assert page.count("<li><strong>") == 2  # both alerts named before the button
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200

    assert not Subscription.objects.filter(subscriber=subscriber).exists()
    services.event_fan_out(event_id=Event.objects.get(meeting=MeetingFactory(committee=committee)).pk)
    made_before_the_digest_time()
    assert services.digests_send() == 0


def test_search_words_longer_once_in_small_letters_are_refused_at_the_field(client, committee):
    """Saved searches are kept in small letters; some capitals become two letters (İ), so
    what fitted the box as typed can be too long as kept: said at the field, not a 500."""
    typed = "İ" * 150
    response = client.post(
        reverse("alerts:subscribe"), {"kind": "search", "words": typed, "email": ADDRESS, "frequency": "immediate"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert unexplained_fields(response) == []
    assert 'id="id_words_error"' in body and f'value="{typed}"' in body
    assert not Subscription.objects.exists()


def test_the_form_that_comes_back_links_each_answer_to_change_to_its_field(client, committee):
    """The summary at the top names each answer that needs changing and links to its field,
    so that a reader on a phone, or hearing the alert, goes straight there."""
    response = client.post(reverse("alerts:subscribe"), {"kind": "committee", "email": "not an address"})
    assert response.status_code == 200
    body = response.content.decode()
    summary = body[body.index('role="alert"') : body.index("</div>", body.index('role="alert"'))]
    assert "Check the form: 3 answers need changing." in summary
    targets = re.findall(r'<a href="#([^"]+)">', summary)
    assert targets == ["id_committee", "id_email", "id_frequency_0"]
    for target in targets:
        assert f'id="{target}"' in body
    assert unexplained_fields(response) == []


def test_the_manage_page_says_at_the_field_what_is_wrong_with_how_often(client, committee):
    from alerts import tokens

    subscriber = Subscriber.objects.create(email=ADDRESS)
    Subscription.objects.create(subscriber=subscriber, kind="all", confirmed_at=timezone.now())
    url = reverse("alerts:manage", args=[tokens.manage_token(subscriber.pk)])
    response = client.post(url, {"frequency": "weekly"})
    assert response.status_code == 200
    assert 'id="id_frequency_error"' in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.frequency == "immediate"

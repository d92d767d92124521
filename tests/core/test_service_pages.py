"""The pages that confirm one service call (publish, cancel, withdraw, take, lock, attach,
report to a meeting) share one template: each shows where the officer is, what the action
does, and, when the service refuses, its reason with what the officer typed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from committee.models import Meeting
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "reason", "says"),
    [
        (Meeting.Status.HELD, "The chair is unwell and the room is closed", "A meeting that has been held cannot be"),
        # Text pasted from another program can carry a NUL character, which the database
        # cannot store: the page says so, as a form would, instead of an error page.
        (Meeting.Status.DRAFT, "The room is flooded\x00", "cannot be saved (a NUL character"),
    ],
)
def test_a_refused_cancellation_keeps_what_the_officer_typed(client, officer, status, reason, says):
    meeting = MeetingFactory()
    Meeting.objects.filter(pk=meeting.pk).update(status=status, agenda_published_at=timezone.now())
    client.force_login(officer)
    url = reverse("admin:committee_meeting_cancel", args=[meeting.pk])
    response = client.post(url, {"reason": reason, "postpone": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert says in page
    assert f"{reason}</textarea>" in page
    assert 'name="postpone" value="1" checked' in page
    meeting.refresh_from_db()
    assert meeting.status == status and meeting.status_reason == ""


def test_every_confirmation_page_says_where_the_officer_is(client, officer):
    meeting = MeetingFactory()
    client.force_login(officer)
    pages = (
        ("publish", "Publish the agenda"),
        ("cancel", "Cancel or postpone"),
        ("mark_held", "Mark as held"),
        ("publish_minutes", "Publish the minutes"),
    )
    for name, action in pages:
        response = client.get(reverse(f"admin:committee_meeting_{name}", args=[meeting.pk]))
        assert response.status_code == 200
        page = response.content.decode()
        change = reverse("admin:committee_meeting_change", args=[meeting.pk])
        crumbs = page[page.index('class="breadcrumbs"') :]
        crumbs = crumbs[: crumbs.index("</div>")]
        assert reverse("admin:committee_meeting_changelist") in crumbs and "Meetings" in crumbs
        assert f'href="{change}"' in crumbs and str(meeting) in crumbs and action in crumbs
        assert f"<title>{action}: {meeting}" in page
        assert f'<a href="{change}">' in page.split('class="submit-row"')[-1] or name == "publish"

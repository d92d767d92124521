"""Choosing a meeting or an agenda item in the admin: officers type the date as they write it,
and every item says which meeting it belongs to (four meetings' "1. Apologies for Absence"
told apart)."""

import json
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from committee.models import AgendaItem
from tests.factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _at(day: str):
    return timezone.make_aware(datetime.fromisoformat(f"{day} 14:00"))


def _autocomplete(client, model: str, field: str, term: str) -> list[str]:
    url = reverse("admin:autocomplete")
    params = {"app_label": "committee", "model_name": model, "field_name": field, "term": term}
    response = client.get(url, params)
    assert response.status_code == 200
    return [result["text"] for result in json.loads(response.content)["results"]]


@pytest.mark.parametrize("typed", ["27 June 2018", "27/06/2018", "Wednesday 27th June, 2018", "June 2018"])
def test_a_meeting_is_found_by_its_date_as_typed(client, officer, committee, typed):
    june = MeetingFactory(committee=committee, starts_at=_at("2018-06-27"))
    MeetingFactory(committee=committee, starts_at=_at("2018-10-04"))
    client.force_login(officer)
    # The minutes' meeting picker (Minutes.meeting) searches meetings.
    assert _autocomplete(client, "minutes", "meeting", typed) == [str(june)]


def test_an_agenda_item_is_labelled_with_its_meeting_and_found_by_date(client, officer, committee):
    june = MeetingFactory(committee=committee, starts_at=_at("2018-06-27"))
    october = MeetingFactory(committee=committee, starts_at=_at("2018-10-04"))
    for meeting in (june, october):
        AgendaItemFactory(meeting=meeting, title="Apologies for Absence")
    client.force_login(officer)
    found = _autocomplete(client, "minute", "agenda_item", "apologies 27 June 2018")
    assert found == [str(AgendaItem.objects.get(meeting=june))]
    assert "Cabinet Committee on Performance Improvement" in found[0] and "27 June 2018" in found[0]
    labels = _autocomplete(client, "minute", "agenda_item", "apologies")
    assert len(labels) == len(set(labels)) == 2


@pytest.mark.parametrize("typed", ["June 2018", "Cabinet"])
def test_the_meeting_picker_asks_the_database_the_same_for_3_or_20_meetings(
    client, officer, committee, typed, django_assert_max_num_queries
):
    """Each meeting is labelled with its committee without a query of its own (the picker asks
    at every keystroke; bench-web times it on a ten-year archive)."""
    from tests.factories import CommitteeFactory

    client.force_login(officer)
    counts = []
    for total in (3, 20):
        other = CommitteeFactory(name=f"Cabinet Committee {total}")
        for day in range(1, total + 1):
            MeetingFactory(committee=other, starts_at=_at(f"2018-06-{day:02d}"))
        with django_assert_max_num_queries(50) as captured:
            assert _autocomplete(client, "agendaitem", "meeting", typed)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts

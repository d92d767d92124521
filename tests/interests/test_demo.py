"""The demo: 27 June 2018 records that no interests were disclosed; one illustrative
councillor's register, with a sensitive interest withheld; loading twice changes nothing."""

import pytest
from django.urls import reverse

from committee import demo as committee_demo
from interests import demo
from interests.models import Interest, NoneDeclared, RegisterVersion

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once(client):
    committee_demo.load()
    assert demo.load() is True
    assert demo.load() is False
    meeting = committee_demo.demo_meeting("2018-06-27")
    assert NoneDeclared.objects.filter(meeting=meeting).count() == 1
    assert RegisterVersion.objects.filter(member__slug=demo.ILLUSTRATIVE_SLUG).count() == 2
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "No pecuniary or non-pecuniary interests were disclosed." in page
    register = client.get(reverse("interests:register", args=[demo.ILLUSTRATIVE_SLUG])).content.decode()
    assert "details are withheld" in register
    assert Interest.objects.get(is_sensitive=True).description not in register
    assert Interest.objects.get(category="gift").is_late

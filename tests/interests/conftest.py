from datetime import date

import pytest

from committee import services as committee_services
from committee.models import AgendaItem
from interests.models import Category, Interest, Whose
from tests.factories import AgendaItemFactory, MeetingFactory, MemberFactory, MembershipFactory

SENSITIVE = "ZX-SENSITIVE-8812 Flat 2, 14 Hidden Lane"
OPEN = "ZX-OPEN-5530 Director, Ribble Holdings Ltd"


@pytest.fixture
def member(committee):
    member = MemberFactory(name="Jane Example", slug="jane-example")
    MembershipFactory(committee=committee, member=member)
    return member


@pytest.fixture
def register(member):
    """A member's register: one open interest, one of their partner's, one sensitive."""
    Interest.objects.create(member=member, category=Category.EMPLOYMENT, description=OPEN, arose_on=date(2018, 5, 4))
    Interest.objects.create(
        member=member, category=Category.SECURITIES, whose=Whose.PARTNER,
        description="Shares in Example plc", arose_on=date(2018, 5, 4),
    )  # fmt: skip
    Interest.objects.create(
        member=member, category=Category.LAND, description=SENSITIVE, is_sensitive=True,
        sensitive_reason="Risk of intimidation.", arose_on=date(2018, 5, 4),
    )  # fmt: skip
    return member


@pytest.fixture
def meeting(committee, officer):
    """A meeting of the committee with its interests item and a report, agenda published."""
    meeting = MeetingFactory(committee=committee)
    AgendaItemFactory(
        meeting=meeting, order=1, number="1", title="Disclosure of Pecuniary and Non-Pecuniary Interests",
        kind=AgendaItem.Kind.DECLARATIONS,
    )  # fmt: skip
    AgendaItemFactory(meeting=meeting, order=2, number="2", title="Library Opening Hours Review")
    committee_services.meeting_publish_agenda(meeting=meeting, by=officer)
    return meeting


@pytest.fixture
def api_client_get(client):
    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.content.decode()

    return get

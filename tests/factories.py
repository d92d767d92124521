"""Test data. Named users live in tests/conftest.py."""

from datetime import date, datetime, timedelta

import factory
from django.utils import timezone

from committee import services
from committee.models import (
    AgendaItem,
    Committee,
    Meeting,
    Member,
    Membership,
    Officer,
    Report,
    Venue,
)


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"Scrutiny Committee {n}")
    slug = factory.Sequence(lambda n: f"scrutiny-committee-{n}")
    kind = Committee.Kind.SCRUTINY


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    name = factory.Sequence(lambda n: f"A Councillor{n}")
    slug = factory.Sequence(lambda n: f"a-councillor-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    committee = factory.SubFactory(CommitteeFactory)
    member = factory.SubFactory(MemberFactory)
    start_date = date(2017, 5, 1)


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue
        django_get_or_create = ("name", "address")

    name = "Committee Room 'B' (The Diamond Jubilee Room)"
    address = "County Hall, Preston"


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer
        django_get_or_create = ("name", "job_title")

    name = "L Sales"
    job_title = "Director of Corporate Services"


class MeetingFactory(factory.django.DjangoModelFactory):
    """A draft meeting a month ahead; its deadline computed as the service does."""

    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    venue = factory.SubFactory(VenueFactory)
    starts_at = factory.LazyFunction(
        lambda: (
            timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=30), datetime.min.time()))
            + timedelta(hours=14)
        )
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.meeting_save(meeting=model_class(*args, **kwargs))


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: str(o.order))
    title = factory.Sequence(lambda n: f"Report on item {n}")
    kind = AgendaItem.Kind.REPORT


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    agenda_item = factory.SubFactory(AgendaItemFactory)
    title = factory.LazyAttribute(lambda o: o.agenda_item.title)
    report_of = "Head of Legal & Democratic Services"
    executive_summary = "<p>This report provides an update.</p>"
    recommendation = "<p>The Committee is asked to note the report.</p>"


def exempt(
    item: AgendaItem, *paragraphs: int, reasons: str = "The public interest in withholding outweighs disclosure."
) -> AgendaItem:
    """Make an item Part II with the given Schedule 12A paragraphs."""
    item.access = "exempt"
    item.paragraph_numbers = paragraphs
    item.public_interest_reasons = reasons
    item.save()
    return item


def at(year: int, month: int, day: int, hour: int = 14, minute: int = 0) -> datetime:
    """An aware local (Europe/London) time."""
    return timezone.make_aware(datetime(year, month, day, hour, minute))

"""The demo's members' interests.

From the seed: the meeting of 27 June 2018 records its declarations as the council's minutes
do, "No pecuniary or non-pecuniary interests were disclosed." (none).

NOT FROM THE SEED: the seed prints no register of interests, and Quorum invents none for the
seed's real councillors. One clearly illustrative councillor, "Alex Example (illustrative)",
has a register published in two versions (the second adds a gift), with one sensitive
interest, to show what the public read in its place.

Idempotent: what is already there is left as it is (an officer may have edited it).
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from committee import demo as committee_demo
from committee.models import Meeting, Member

from . import services
from .models import Category, Interest, NoneDeclared, Whose

ILLUSTRATIVE_SLUG = "alex-example-illustrative"
TOOK_OFFICE = date(2017, 5, 4)  # the county council elections of 2017

# (category, whose, description, sensitive reason, notified on)
REGISTER = [
    (Category.EMPLOYMENT, Whose.MEMBER, "Chartered surveyor, self-employed (illustrative)", "", date(2017, 5, 20)),
    (Category.EMPLOYMENT, Whose.PARTNER, "Teacher, an example academy trust (illustrative)", "", date(2017, 5, 20)),
    (Category.LAND, Whose.MEMBER, "Home address (illustrative)", "Illustrative: the monitoring officer agreed that "
     "publishing the member's home address could expose them to intimidation.", date(2017, 5, 20)),
    (Category.SECURITIES, Whose.PARTNER, "Shares in Example Holdings Ltd, which has land in Lancashire (illustrative)",
     "", date(2017, 6, 12)),
    (Category.OTHER_REGISTRABLE, Whose.MEMBER, "Governor, an example primary school, Preston (illustrative)", "",
     date(2017, 5, 20)),
]  # fmt: skip
GIFT = ("Dinner at an example business awards evening, Preston (illustrative)", Decimal("85.00"), date(2018, 3, 9))


def load(*, stdout=None) -> bool:
    loaded = False
    with transaction.atomic():
        try:
            meeting = committee_demo.demo_meeting("2018-06-27")
        except Meeting.DoesNotExist:
            meeting = None
        if meeting is not None and not meeting.items.filter(declarations__isnull=False).exists():
            _, created = NoneDeclared.objects.get_or_create(meeting=meeting)
            loaded |= created
        if not Member.objects.filter(slug=ILLUSTRATIVE_SLUG).exists():
            _illustrative_register()
            loaded = True
    return loaded


def _illustrative_register() -> None:
    member = Member.objects.create(
        title="County Councillor",
        name="Alex Example (illustrative)",
        slug=ILLUSTRATIVE_SLUG,
        division=committee_demo.division_named("Illustrative (not a real division)"),
    )
    for category, whose, description, reason, notified_on in REGISTER:
        Interest.objects.create(
            member=member, category=category, whose=whose, description=description,
            is_sensitive=bool(reason), sensitive_reason=reason, arose_on=TOOK_OFFICE, notified_on=notified_on,
        )  # fmt: skip
    services.register_publish(member)
    description, value, received = GIFT
    # Notified 40 days after it was received: the admin shows it as late (s.30(1): 28 days).
    Interest.objects.create(
        member=member, category=Category.GIFT, description=description, value=value,
        arose_on=received, notified_on=date(2018, 4, 18),
    )  # fmt: skip
    services.register_publish(member)

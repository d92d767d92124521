"""The register of members' interests (Localism Act 2011 ss.29-32; SI 2012/1464): the 28
days to notify, published versions that a change never overwrites, and a register that does
not say whose an interest is."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from interests import selectors, services
from interests.models import Category, Interest, RegisterVersion

from .conftest import OPEN, SENSITIVE

pytestmark = pytest.mark.django_db


def test_the_member_has_28_days_to_notify_and_later_is_shown_late(member):
    # s.30(1): within 28 days of the interest arising.
    on_time = Interest.objects.create(
        member=member,
        category=Category.LAND,
        description="Land",
        arose_on=date(2018, 3, 1),
        notified_on=date(2018, 3, 29),
    )
    late = Interest.objects.create(
        member=member, category=Category.LICENCES, description="Licence", arose_on=date(2018, 3, 1),
        notified_on=date(2018, 3, 30),
    )  # fmt: skip
    never = Interest.objects.create(
        member=member, category=Category.CONTRACTS, description="Contract", arose_on=date(2018, 3, 1)
    )
    assert on_time.notify_by == date(2018, 3, 29)
    assert not on_time.is_late and late.is_late and never.is_late
    assert set(selectors.late_notifications()) == {late, never}


def test_a_change_is_published_as_a_new_version_and_the_old_one_is_kept(register, officer):
    first = services.register_publish(register, by=officer)
    assert first.number == 1 and first.published_by == officer
    # Publishing again with nothing changed writes nothing.
    assert services.register_publish(register, by=officer) is None
    interest = Interest.objects.get(description=OPEN)
    interest.description = "Director, Ribble Holdings Ltd (resigned 2019)"
    interest.save()
    second = services.register_publish(register, by=officer)
    assert second.number == 2
    first.refresh_from_db()
    assert OPEN in [entry["description"] for entry in first.entries]
    assert [v.number for v in selectors.published_versions(register)] == [2, 1]


def test_the_published_register_does_not_say_whose_or_what_is_withheld(register):
    version = services.register_publish(register)
    assert all("whose" not in entry for entry in version.entries)
    descriptions = [entry["description"] for entry in version.entries]
    assert "Shares in Example plc" in descriptions  # the partner's, printed as any other
    assert SENSITIVE not in str(version.entries)
    assert [e for e in version.entries if e["withheld"]] == [
        {"category": "land", "category_display": "Land", "description": "", "withheld": True}
    ]
    assert version.withheld == [{"category": "land", "category_display": "Land", "description": SENSITIVE}]


def test_an_ended_interest_leaves_the_register(register):
    Interest.objects.filter(description=OPEN).update(ended_on=date(2019, 1, 31))
    version = services.register_publish(register)
    assert OPEN not in str(version.entries)


def test_public_reads_never_load_the_withheld_column(register):
    services.register_publish(register)
    version = selectors.current_register(register)
    assert "withheld" in version.get_deferred_fields()


@override_settings(QUORUM_GIFTS_THRESHOLD=50)
def test_gifts_are_registered_above_the_councils_threshold(member):
    gift = Interest(member=member, category=Category.GIFT, description="Dinner", value=50, arose_on=date(2018, 3, 1))
    with pytest.raises(ValidationError) as refused:
        gift.full_clean()
    assert "above £50" in str(refused.value)
    gift.value = 51
    gift.full_clean()


def test_versions_are_numbered_per_member(register, committee):
    services.register_publish(register)
    assert RegisterVersion.objects.get(member=register).number == 1

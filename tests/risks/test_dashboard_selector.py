"""The risks part of the officer's dashboard (committee.dashboard): open risks not reviewed
this quarter."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from risks.models import Entry
from risks.selectors import entries_not_reviewed_since, quarter_start

from .conftest import make_entry

pytestmark = pytest.mark.django_db


def test_the_quarter_starts_in_january_april_july_and_october():
    assert quarter_start(date(2018, 3, 31)) == date(2018, 1, 1)
    assert quarter_start(date(2018, 4, 1)) == date(2018, 4, 1)
    assert quarter_start(date(2018, 12, 5)) == date(2018, 10, 1)


def test_open_risks_not_changed_this_quarter_are_listed_and_reviewed_or_closed_ones_are_not(register):
    stale, fresh, closed = make_entry(register, "CR1"), make_entry(register, "CR2"), make_entry(register, "CR3")
    long_ago = timezone.now() - timedelta(days=200)
    Entry.objects.filter(pk__in=[stale.pk, closed.pk]).update(updated_at=long_ago)
    Entry.objects.filter(pk=closed.pk).update(is_open=False)

    assert list(entries_not_reviewed_since(quarter_start(timezone.localdate()))) == [stale]
    assert fresh.pk  # changed today: reviewed

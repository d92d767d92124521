"""The SEND part of the officer's dashboard (committee.dashboard): overdue key tasks."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from send_actions.selectors import overdue_key_tasks

pytestmark = pytest.mark.django_db


def test_overdue_send_key_tasks_are_those_past_their_date_and_not_complete(seed_plan):
    long_after = timezone.localdate() + timedelta(days=365 * 20)
    long_before = date(2000, 1, 1)  # before any task was due
    assert overdue_key_tasks(long_after).exists()
    assert not overdue_key_tasks(long_before).exists()

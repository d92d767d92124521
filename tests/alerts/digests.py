"""For the tests of the daily digest: a digest goes once it is due, with the changes made
before the most recent digest time (QUORUM_ALERTS_DIGEST_HOUR)."""

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from alerts import services
from alerts.models import Event


def made_before_the_digest_time() -> None:
    """Every change so far was made before the most recent digest time (an hour before it, in
    the order they were made): the digests waiting for them are due."""
    earlier = timezone.now() - services.digest_time() + timedelta(hours=1)
    Event.objects.update(created_at=F("created_at") - earlier)

"""The demo register on its own (the committee papers and the register, not the whole demo),
on a database of its own: tests/risks/test_demo.py loads the whole demo once for its module."""

import pytest

from committee.models import Appendix
from risks.models import RegisterSnapshot

pytestmark = pytest.mark.django_db


def test_the_demo_register_is_dated_as_reported_and_adds_nothing_to_the_officers_words(client):
    """A June 2018 pack does not say its register was taken on the day the demo was loaded,
    and a first snapshot has nothing to work a direction out against: the officers' words
    stand alone (the seed prints "Level", "Up", ...)."""
    from committee import demo as committee_demo
    from committee.templatetags.papers import structured_appendix
    from risks import demo

    committee_demo.load()
    demo.load()
    from django.contrib.contenttypes.models import ContentType

    snapshot = RegisterSnapshot.objects.get()
    appendix = Appendix.objects.get(
        content_type=ContentType.objects.get_for_model(RegisterSnapshot), object_id=snapshot.pk
    )
    meeting_day = appendix.report.agenda_item.meeting.starts_at.date()
    assert snapshot.taken_at.date() <= meeting_day and snapshot.locked_at.date() <= meeting_day
    html = str(structured_appendix({}, appendix, "pdf"))
    assert "2026" not in html and snapshot.taken_at.strftime("%B 2018") in html
    assert "Worked out" not in html

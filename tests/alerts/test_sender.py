"""Alerts come from, and are answered to, the addresses the council sets, and carry its name
(README: QUORUM_ALERTS_FROM_EMAIL, QUORUM_ALERTS_REPLY_TO, QUORUM_COUNCIL_NAME)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_alert_comes_from_and_answers_to_the_addresses_set(
    client, committee, smtp, settings, worker_in_process, django_capture_on_commit_callbacks
):
    settings.QUORUM_ALERTS_FROM_EMAIL = "alerts@committees.example.gov.uk"
    settings.QUORUM_ALERTS_REPLY_TO = "democratic.services@example.gov.uk"
    settings.QUORUM_COUNCIL_NAME = "Borsetshire County Council"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("alerts:subscribe"),
            {"kind": "committee", "committee": committee.pk, "email": "resident@example.org", "frequency": "immediate"},
        )
    [message] = smtp.inbox.to("resident@example.org")
    assert message["From"] == "alerts@committees.example.gov.uk"
    assert message["Reply-To"] == "democratic.services@example.gov.uk"
    assert message["Subject"].endswith("| Borsetshire County Council")

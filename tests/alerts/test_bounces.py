"""Bounces and complaints reported after sending: the provider's POST to /alerts/bounces/ (a
shared token) and `manage.py record_bounce` reading a DSN or ARF report that an MTA pipes to
it. Both pause an address after three hard bounces (or one complaint)."""

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from alerts.models import Bounce, Subscriber

from .subscribers import confirmed_subscription

pytestmark = pytest.mark.django_db

TOKEN = "bounce-token-for-the-provider"
LONG_ADDRESS = "a" * 64 + "@" + ".".join(["b" * 63, "c" * 63, "d" * 63]) + ".org"
ADDRESS = "gone@example.org"

# A delivery status notification as Postfix writes it (RFC 3464): one recipient failed for
# good, one delayed, one delivered.
DSN = b"""\
From: MAILER-DAEMON@mx.example.gov.uk (Mail Delivery System)
To: democratic.services@example.gov.uk
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B0UND"
Message-Id: <20261206051500.1A2B3C@mx.example.gov.uk>

--B0UND
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.gov.uk.
I'm sorry to have to inform you that your message could not be delivered.

--B0UND
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.gov.uk
X-Postfix-Queue-ID: 1A2B3C
Arrival-Date: Sun,  6 Dec 2026 05:14:58 +0000 (UTC)

Final-Recipient: rfc822; Gone@example.org
Original-Recipient: rfc822;gone@example.org
Action: failed
Status: 5.1.1
Remote-MTA: dns; mail.example.org
Diagnostic-Code: smtp; 550 5.1.1 <gone@example.org>: Recipient address rejected:
    User unknown in virtual mailbox table

Final-Recipient: rfc822; slow@example.org
Action: delayed
Status: 4.4.1
Diagnostic-Code: X-Postfix; connect to mail.example.org[192.0.2.1]:25: Connection timed out

Final-Recipient: rfc822; fine@example.org
Action: delivered
Status: 2.0.0

--B0UND
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: democratic.services@example.gov.uk
To: gone@example.org
Subject: Agenda published: Cabinet, Thursday 10 December 2026 at 10am
Message-ID: <quorum.delivery.41@committees.example.gov.uk>

--B0UND--
"""

# An abuse report (ARF, RFC 5965): the recipient marked an alert as spam.
ARF = b"""\
From: feedback@mailbox.example.net
To: abuse@example.gov.uk
Subject: FW: Agenda published
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="part1"

--part1
Content-Type: text/plain; charset="US-ASCII"

This is an email abuse report for an email message received from IP 192.0.2.25.

--part1
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1
Original-Mail-From: <democratic.services@example.gov.uk>
Original-Rcpt-To: <annoyed@example.net>
Arrival-Date: Sun, 6 Dec 2026 05:10:00 +0000

--part1
Content-Type: message/rfc822
Content-Disposition: inline

From: democratic.services@example.gov.uk
To: annoyed@example.net
Subject: Agenda published
Message-ID: <quorum.delivery.42@committees.example.gov.uk>

The agenda has been published.
--part1--
"""


def post(client, body, token=TOKEN):
    return client.post(
        reverse("alerts:bounce"),
        data=body if isinstance(body, str | bytes) else json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"} if token else {},
    )


def subscriber(email=ADDRESS) -> Subscriber:
    confirmed_subscription(email, "all")
    return Subscriber.objects.get(email=email)


def test_without_a_token_set_there_is_no_endpoint(client, settings):
    settings.QUORUM_BOUNCE_TOKEN = ""
    assert post(client, {"address": ADDRESS, "kind": "hard"}, token="anything").status_code == 404
    assert not Bounce.objects.exists()


def test_a_wrong_or_missing_token_is_refused_and_nothing_recorded(client, settings):
    settings.QUORUM_BOUNCE_TOKEN = TOKEN
    assert post(client, {"address": ADDRESS, "kind": "hard"}, token="guess").status_code == 403
    assert post(client, {"address": ADDRESS, "kind": "hard"}, token="").status_code == 403
    assert client.get(reverse("alerts:bounce"), headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 405
    assert not Bounce.objects.exists()


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("{not json", "The body is not JSON"),
        (b"\xff\xfe", "The body is not JSON"),
        ("[1, 2]", "The body is a JSON object"),
        ({"address": ADDRESS, "kind": "bounced"}, "kind is one of hard, soft, complaint"),
        ({"address": "not an address", "kind": "hard"}, "address is not an email address"),
        ({"kind": "hard"}, "address is the email address"),
        ({"address": ADDRESS, "kind": "soft", "message_id": 41}, "message_id, when given"),
        ({"address": ADDRESS, "kind": "hard", "message_id": "<a\u0000b@quorum.example>"}, "message_id, when given"),
        # A valid address, but longer than the 254 characters an address is kept in.
        ({"address": LONG_ADDRESS, "kind": "hard"}, "address is longer than"),
    ],
)
def test_bad_input_answers_400_saying_what_is_wrong(client, settings, body, says):
    settings.QUORUM_BOUNCE_TOKEN = TOKEN
    response = post(client, body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert says in response.json()["error"]
    assert not Bounce.objects.exists()


def test_three_hard_bounces_posted_pause_the_address(client, settings):
    settings.QUORUM_BOUNCE_TOKEN = TOKEN
    person = subscriber()
    message_id = "<quorum.delivery.7@committees.example.gov.uk>"
    for n in range(3):
        assert person.paused_at is None, n
        response = post(client, {"address": ADDRESS.upper(), "kind": "hard", "message_id": message_id})
        assert response.status_code == 201
        assert response.json() == {"recorded": {"address": ADDRESS, "kind": "hard"}}
        person.refresh_from_db()
    assert person.paused_at is not None and person.hard_bounces == 3
    assert Bounce.objects.filter(email=ADDRESS, kind="hard", detail__contains=message_id).count() == 3


def test_a_complaint_posted_pauses_at_once(client, settings):
    settings.QUORUM_BOUNCE_TOKEN = TOKEN
    person = subscriber()
    assert post(client, {"address": ADDRESS, "kind": "complaint"}).status_code == 201
    person.refresh_from_db()
    assert person.paused_at is not None


def record_bounce(monkeypatch, raw: bytes) -> str:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("record_bounce", stdout=out)
    return out.getvalue()


def test_record_bounce_reads_a_postfix_dsn(monkeypatch):
    person = subscriber()
    out = record_bounce(monkeypatch, DSN)
    assert "Recorded hard bounce: gone@example.org" in out
    assert "Recorded soft bounce: slow@example.org" in out
    assert "fine@example.org" not in out
    hard = Bounce.objects.get(email=ADDRESS)
    assert hard.kind == "hard" and hard.detail.startswith("5.1.1 smtp; 550 5.1.1")
    assert "Message-ID <quorum.delivery.41@committees.example.gov.uk>" in hard.detail
    assert Bounce.objects.get(email="slow@example.org").kind == "soft"
    assert not Bounce.objects.filter(email="fine@example.org").exists()
    record_bounce(monkeypatch, DSN)
    record_bounce(monkeypatch, DSN)
    person.refresh_from_db()
    assert person.hard_bounces == 3 and person.paused_at is not None


def test_record_bounce_reads_an_arf_complaint(monkeypatch):
    person = subscriber("annoyed@example.net")
    assert "Recorded complaint (marked as spam): annoyed@example.net" in record_bounce(monkeypatch, ARF)
    person.refresh_from_db()
    assert person.paused_at is not None
    assert "quorum.delivery.42" in Bounce.objects.get().detail


def test_record_bounce_refuses_what_is_not_a_report(monkeypatch):
    with pytest.raises(CommandError, match="not a delivery status notification") as refused:
        record_bounce(monkeypatch, b"From: someone@example.org\nSubject: hello\n\nJust a letter.\n")
    assert refused.value.returncode == 65
    assert not Bounce.objects.exists()


def test_record_bounce_refuses_an_address_too_long_to_keep_and_keeps_no_nul(monkeypatch):
    """What the MTA pipes in is read as the endpoint reads its JSON: an address longer than
    an address is kept in is refused (status 65, the MTA keeps the report), and a NUL
    character in the diagnostic or the returned Message-ID (which the database cannot
    store) is left out, not an error."""
    assert len(LONG_ADDRESS) > 254
    with pytest.raises(CommandError, match="longer than") as refused:
        record_bounce(monkeypatch, DSN.replace(b"rfc822; Gone@example.org", b"rfc822; " + LONG_ADDRESS.encode()))
    assert refused.value.returncode == 65
    assert not Bounce.objects.exists()

    record_bounce(monkeypatch, DSN.replace(b"User unknown", b"User\x00unknown").replace(b".41@", b".4\x001@"))
    hard = Bounce.objects.get(email=ADDRESS)
    assert "\x00" not in hard.detail and "Userunknown" in hard.detail and ".41@" in hard.detail

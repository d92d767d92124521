"""Bounces and complaints reported after sending: by the mail provider's POST to the bounce
endpoint (a small JSON body), or by the MTA piping its report to `manage.py record_bounce`.

Both read what they are given into `Reported` rows and record each with
`services.bounce_record`, which pauses an address after three hard bounces or one complaint.
A report that cannot be read is refused with a message saying why (`BadReport`), never
half-recorded.
"""

import email
import email.policy
import json
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .models import Bounce
from .services import bounce_record

KINDS = Bounce.Kind.values  # "hard", "soft", "complaint"


class BadReport(ValueError):
    """What was sent is not a report we can read; the message says what is wrong."""


@dataclass(frozen=True)
class Reported:
    email: str
    kind: str
    message_id: str = ""
    detail: str = ""


# An address is kept in 254 characters (RFC 5321's path limit); validate_email allows 320.
ADDRESS_KEPT = Bounce._meta.get_field("email").max_length


def _address(value: str, where: str) -> str:
    value = (value or "").strip().strip("<>").strip()
    try:
        validate_email(value)
    except ValidationError as exc:
        raise BadReport(f"{where} is not an email address: {value!r}.") from exc
    if len(value) > ADDRESS_KEPT:
        raise BadReport(f"{where} is longer than the {ADDRESS_KEPT} characters an address may have.")
    return value.lower()


def _text(value) -> str:
    """Text from a report, as it can be kept: the database stores no NUL character, which an
    MTA's report (a diagnostic, a returned header) may carry."""
    return str(value).replace("\x00", "")


def from_json(body: bytes) -> Reported:
    """{"address": "…", "kind": "hard" | "soft" | "complaint", "message_id": "…" (optional)}."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadReport(f"The body is not JSON: {exc}.") from exc
    if not isinstance(data, dict):
        raise BadReport('The body is a JSON object: {"address": …, "kind": …}.')
    kind = data.get("kind")
    if kind not in KINDS:
        raise BadReport(f"kind is one of {', '.join(KINDS)}; it was {kind!r}.")
    address = data.get("address")
    if not isinstance(address, str):
        raise BadReport("address is the email address that bounced or complained.")
    message_id = data.get("message_id") or ""
    # A NUL character is never in a Message-ID, and the database cannot store one.
    if not isinstance(message_id, str) or "\x00" in message_id:
        raise BadReport("message_id, when given, is the Message-ID of the message sent.")
    return Reported(_address(address, "address"), kind, message_id.strip()[:300])


def _recipient(field: str) -> str:
    """ "rfc822; someone@example.org" (RFC 3464 2.3.2): the address after the type."""
    _, _, address = (field or "").partition(";")
    return address if address.strip() else field


def _returned_message_id(report) -> str:
    """The Message-ID of our message, from the returned message or its headers."""
    for part in report.walk():
        if part.get_content_type() in ("message/rfc822", "text/rfc822-headers"):
            payload = part.get_payload()
            if isinstance(payload, list) and payload:
                return _text(payload[0].get("Message-ID", "")).strip()
            found = re.search(r"^Message-ID:\s*(\S+)", _text(payload), re.IGNORECASE | re.MULTILINE)
            if found:
                return found.group(1)
    return ""


def from_report(raw: bytes) -> list[Reported]:
    """The recipients a delivery status notification (RFC 3464) says failed, or the complaint
    of an abuse feedback report (ARF, RFC 5965). Status 5.x.x is a hard bounce and 4.x.x (or
    Action: delayed) a soft one; "delivered" and "relayed" recipients are not bounces."""
    report = email.message_from_bytes(raw, policy=email.policy.default)
    message_id = _returned_message_id(report)
    found: list[Reported] = []
    for part in report.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            # The first block is about the message, each further block about one recipient.
            for block in part.get_payload()[1:]:
                action = str(block.get("Action", "")).strip().lower()
                status = _text(block.get("Status", "")).strip()
                if action not in ("failed", "delayed"):
                    continue
                recipient = _address(_recipient(str(block.get("Final-Recipient", ""))), "Final-Recipient")
                hard = action == "failed" and status.startswith("5")
                diagnostic = " ".join(_text(block.get("Diagnostic-Code", "")).split())
                found.append(
                    Reported(recipient, Bounce.Kind.HARD if hard else Bounce.Kind.SOFT, message_id,
                             f"{status} {diagnostic}".strip())
                )  # fmt: skip
        elif kind == "message/feedback-report":
            [fields] = part.get_payload()[:1] or [None]
            if fields is None:
                continue
            recipient = fields.get("Original-Rcpt-To") or fields.get("Removal-Recipient")
            if not recipient:
                raise BadReport("The complaint report names no Original-Rcpt-To.")
            feedback = _text(fields.get("Feedback-Type", "abuse")).strip()
            found.append(Reported(_address(str(recipient), "Original-Rcpt-To"), Bounce.Kind.COMPLAINT, message_id,
                                  f"Feedback-Type: {feedback}"))  # fmt: skip
    if not found and not any(
        p.get_content_type() in ("message/delivery-status", "message/feedback-report") for p in report.walk()
    ):
        raise BadReport("This is not a delivery status notification (RFC 3464) or a complaint report (RFC 5965).")
    return found


@transaction.atomic
def record(reports: list[Reported]) -> list[Bounce]:
    return [
        bounce_record(
            email=r.email,
            kind=r.kind,
            detail=" ".join(filter(None, [r.detail, f"Message-ID {r.message_id}" if r.message_id else ""])),
        )
        for r in reports
    ]

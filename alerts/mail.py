"""Composing alert messages: a plain-text part and an accessible HTML part (a language, a
title, headings, real links, no images and so no tracking pixel), the council's name, and
on every message to a subscriber a one-click unsubscribe link and the RFC 8058 headers."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from . import tokens
from .selectors import EventMessage, absolute


def _message(*, to: str, subject: str, template: str, context: dict, headers: dict, message_id: str = ""):
    context = {"council": settings.QUORUM_COUNCIL_NAME, "subject": subject, **context}
    text = render_to_string(f"alerts/email/{template}.txt", context)
    html = render_to_string(f"alerts/email/{template}.html", context)
    if message_id:
        # The same delivery always has the same Message-ID, so that a receiving server can tell a
        # copy sent again after a crash between sending and recording for what it is.
        headers = {**headers, "Message-ID": message_id}
    email = EmailMultiAlternatives(
        subject=f"{subject} | {settings.QUORUM_COUNCIL_NAME}",
        body=text,
        from_email=settings.QUORUM_ALERTS_FROM_EMAIL,
        to=[to],
        reply_to=[settings.QUORUM_ALERTS_REPLY_TO],
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    return email


def _message_id(kind: str, key: int) -> str:
    domain = settings.QUORUM_ALERTS_FROM_EMAIL.rpartition("@")[2] or "quorum.invalid"
    return f"<quorum.{kind}.{key}@{domain}>"


def unsubscribe_url(*subscription_ids: int) -> str:
    return absolute(reverse("alerts:unsubscribe", args=[tokens.unsubscribe_token(*subscription_ids)]))


def manage_url(subscriber_id: int) -> str:
    return absolute(reverse("alerts:manage", args=[tokens.manage_token(subscriber_id)]))


def unsubscribe_headers(*subscription_ids: int) -> dict:
    # RFC 8058: a mail client offers "Unsubscribe" and POSTs List-Unsubscribe=One-Click to the
    # https address itself; RFC 2369's List-Unsubscribe names it.
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(*subscription_ids)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def confirmation(subscription) -> EmailMultiAlternatives:
    confirm = absolute(reverse("alerts:confirm", args=[tokens.confirm_token(subscription.pk)]))
    return _message(
        to=subscription.subscriber.email,
        subject="Confirm your email alert",
        template="confirm",
        context={"subscription": subscription, "confirm_url": confirm, "days": tokens.CONFIRM_DAYS},
        headers={},
    )


def event_bodies(message: EventMessage) -> dict:
    """What every recipient's message about one event shares, rendered once per event (not
    once per recipient: 20,000 subscribers to a committee read the same agenda)."""
    context = {"message": message}
    return {
        "body_text": render_to_string("alerts/email/_event_body.txt", context),
        "body_html": render_to_string("alerts/email/_event_body.html", context),
    }


def event_email(
    *, delivery_id: int, to: str, message: EventMessage, subscription=None, councillor=None, sign_in="", bodies=None
):
    context = {
        "message": message,
        "councillor": councillor,
        "sign_in_url": sign_in,
        **(bodies or event_bodies(message)),
    }
    headers = {}
    if subscription is not None:
        context.update(
            subscription=subscription,
            unsubscribe_url=unsubscribe_url(subscription.pk),
            manage_url=manage_url(subscription.subscriber_id),
        )
        headers = unsubscribe_headers(subscription.pk)
    return _message(
        to=to,
        subject=message.subject,
        template="event",
        context=context,
        headers=headers,
        message_id=_message_id("delivery", delivery_id),
    )


def digest_email(*, to: str, subscriber, messages: list[EventMessage], subscriptions) -> EmailMultiAlternatives:
    # Its unsubscribe link and header stop every alert it gathers: "Unsubscribe" on a daily
    # digest stopped only the first, and the digests kept coming.
    ids = [subscription.pk for subscription in subscriptions]
    return _message(
        to=to,
        subject=f"Your daily alerts: {len(messages)} change{'s' if len(messages) != 1 else ''}",
        template="digest",
        context={
            "messages": messages,
            "subscriptions": subscriptions,
            "unsubscribe_url": unsubscribe_url(*ids),
            "manage_url": manage_url(subscriber.pk),
        },
        headers=unsubscribe_headers(*ids),
    )


def officer_notice(*, to: list[str], subject: str, lines: list[str], link: str) -> EmailMultiAlternatives:
    email = _message(to=to[0], subject=subject, template="officer", context={"lines": lines, "link": link}, headers={})
    email.to = to
    return email

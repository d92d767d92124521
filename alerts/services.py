"""Writes for alerts: subscribing and confirming, fanning an event out, sending in claimed
batches, digests, bounces, and webhooks.

Sending is at most once per (event, address) and misses none when a worker dies:

1. `event_fan_out` writes one `Delivery` per address (unique (event, email); inserts that
   conflict are ignored) and one `WebhookDelivery` per hook, and marks the event fanned out,
   in one transaction: a second fan-out of the same event finds it done.
2. `deliveries_send` claims a batch (`FOR UPDATE SKIP LOCKED`, a lease in `claimed_until`), sends
   each message over one SMTP connection and records it sent at once, in its own commit.
   A worker killed mid-batch leaves the rest claimed; when the lease lapses the retried task
   (or the sweep) claims them again. What was recorded sent is never claimed again. The only
   window for a copy is a kill between the SMTP server accepting a message and the next
   statement recording it; the copy then carries the same Message-ID.
3. `digests_send` sends the digests that are due (changes made before the most recent digest
   time, none sooner) the same way, one address's changes claimed at a time, and in one run
   at a time (`DigestRun`, a lease), so that two runs never double the pace. A run that
   stops (its worker lost, SMTP or the database down) is retried under the same lease, and
   the sweep starts a run for whatever is still due that nothing holds.
"""

import hashlib
import hmac
import json
import logging
import smtplib
import time
import urllib.error
import urllib.request
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from datetime import time as dt_time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import mail, selectors
from .models import (
    Bounce,
    Delivery,
    DeliveryStatus,
    DigestRun,
    Event,
    Frequency,
    Subscriber,
    Subscription,
    SubscriptionKind,
    Webhook,
    WebhookDelivery,
)

logger = logging.getLogger(__name__)

HARD_BOUNCES_TO_PAUSE = 3
WEBHOOK_GIVE_UP = timedelta(days=1)
WEBHOOK_TIMEOUT = 10
# What a webhook is told of an event's details (ids and public facts only).
WEBHOOK_DETAILS = (
    "was_starts_at",
    "was_venue",
    "reason",
    "item_id",
    "added",
    "pack_id",
    "number",
    "call_in_id",
    "outcome",
)


# Subscribing ---------------------------------------------------------------------------------


def subscriber_address(email: str) -> str:
    """An address as it is kept: one subscriber however it is capitalised."""
    return email.strip().lower()


def search_words(words: str) -> str:
    """A saved search's words as they are kept and matched: small letters, single spaces."""
    return " ".join(words.split()).lower()


@transaction.atomic
def subscribe(
    *, email: str, kind: str, committee=None, member=None, words: str = "", frequency: str = Frequency.IMMEDIATE
) -> Subscription:
    """Ask for an alert. Nothing is sent about events until the link in the confirmation
    message is followed (double opt-in). Asking again sends the confirmation again, also
    for an alert already confirmed when the address is paused (bounces, a complaint): the
    manage page tells such a person to subscribe again, and confirming starts messages
    again (subscription_confirm)."""
    email = subscriber_address(email)
    words = search_words(words)
    subscriber, _ = Subscriber.objects.get_or_create(email=email, defaults={"frequency": frequency})
    subscription = Subscription(subscriber=subscriber, kind=kind, committee=committee, member=member, words=words)
    subscription.full_clean(exclude=["subscriber"], validate_constraints=False)
    existing = Subscription.objects.filter(
        subscriber=subscriber, kind=kind, committee=committee, member=member, words=words
    ).first()
    if existing is not None:
        subscription = existing
    else:
        try:
            with transaction.atomic():
                subscription.save()
        except IntegrityError:  # the same request twice at once
            subscription = Subscription.objects.get(
                subscriber=subscriber, kind=kind, committee=committee, member=member, words=words
            )
    if subscription.confirmed_at is None or subscriber.paused_at is not None:
        subscription_id = subscription.pk
        transaction.on_commit(lambda: _send_confirmation(subscription_id), robust=True)
    return subscription


def _send_confirmation(subscription_id: int) -> None:
    from .tasks import send_confirmation

    send_confirmation.apply_async((subscription_id,), retry=False)


def confirmation_send(*, subscription_id: int) -> None:
    subscription = (
        Subscription.objects.select_related("subscriber", "committee", "member")
        .filter(Q(confirmed_at__isnull=True) | Q(subscriber__paused_at__isnull=False), pk=subscription_id)
        .first()
    )
    if subscription is None:
        return
    # Sent even to a paused address: the person asked for it just now (a mailbox put right).
    mail.confirmation(subscription).send()


@transaction.atomic
def subscription_confirm(*, subscription: Subscription) -> Subscription:
    """Confirmed from the link: the address works, so a pause for bounces ends too."""
    if subscription.confirmed_at is None:
        Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(confirmed_at=timezone.now())
        subscription.refresh_from_db()
    Subscriber.objects.filter(pk=subscription.subscriber_id, paused_at__isnull=False).update(
        paused_at=None, hard_bounces=0
    )
    return subscription


@transaction.atomic
def subscription_cancel(*, subscription: Subscription) -> None:
    """Unsubscribe: the alert and any message about it not yet sent go. A change is written
    once per address, under the first of the person's alerts it matched: one that another
    of their alerts still asks for stays, under that alert (a daily digest keeps it)."""
    waiting = Delivery.objects.filter(subscription=subscription).exclude(status=DeliveryStatus.SENT)
    for delivery in waiting.select_related("event"):
        other = (
            selectors.matching_subscriptions(delivery.event)
            .filter(subscriber_id=subscription.subscriber_id)
            .exclude(pk=subscription.pk)
            .order_by("kind", "pk")
            .first()
        )
        if other is None:
            delivery.delete()
        else:
            Delivery.objects.filter(pk=delivery.pk).update(subscription=other)
    subscription.delete()


@transaction.atomic
def subscriber_cancel_all(*, subscriber: Subscriber) -> None:
    Delivery.objects.filter(subscriber=subscriber).exclude(status=DeliveryStatus.SENT).delete()
    subscriber.subscriptions.all().delete()


def subscriber_set_frequency(*, subscriber: Subscriber, frequency: str) -> Subscriber:
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": "Choose how often to be told."})
    if subscriber.frequency != frequency:
        subscriber.frequency = frequency
        subscriber.save(update_fields=["frequency"])
        if frequency == Frequency.IMMEDIATE:  # what waited for the digest goes now
            Delivery.objects.filter(subscriber=subscriber, status=DeliveryStatus.DIGEST).update(
                status=DeliveryStatus.PENDING
            )
    return subscriber


# Fanning out ---------------------------------------------------------------------------------


class RunMessages:
    """Each event's message (and its rendered bodies), composed once in a run of the alerts'
    tasks: its decision or forward plan entry is read once, however many subscribers are told
    of it, by immediate message or in their digests.

    A run can last minutes (a digest to thousands of addresses, a fan-out sent at
    QUORUM_ALERTS_PER_SECOND), and an officer may withhold a decision meanwhile. A record made
    more restricted withdraws every public copy of it, so `recheck` is called before each
    message goes: one query asks the gate which kept decisions and plan entries the public
    still reads, and a message whose answer changed is composed again (not public: not sent)."""

    def __init__(self):
        self._kept: dict[int, tuple[Event, selectors.EventMessage, dict]] = {}

    def of(self, event: Event) -> tuple[selectors.EventMessage, dict]:
        if event.pk not in self._kept:
            message = selectors.event_message(event)
            self._kept[event.pk] = (event, message, mail.event_bodies(message))
        _, message, bodies = self._kept[event.pk]
        return message, bodies

    def recheck(self) -> None:
        gated = [event for event, _, _ in self._kept.values() if selectors.about_a_decision(event)]
        if not gated:
            return  # a meeting's events only: the gate has nothing to withdraw from them
        told = selectors.publicly_told_now(gated)
        for event in gated:
            if (event.pk in told) != self._kept[event.pk][1].public:
                del self._kept[event.pk]  # composed again, through the gate, when next asked for

    def publicly_told(self, event: Event) -> bool:
        # A meeting's event needs nothing read to know; its message is composed when sent.
        return selectors.publicly_told(event, self.of(event)[0] if selectors.about_a_decision(event) else None)


WITHHELD = "Withheld from the public before it was sent"
PAUSED = "Not sent: the address was paused (it bounced, or its owner marked a message as spam) before it was sent"


def event_fan_out(*, event_id: int, messages: RunMessages | None = None) -> bool:
    """Write the deliveries of one event, once. Returns False when it was already done.
    `messages`: the run's, so that sending after it reads the event's decision no more."""
    messages = messages or RunMessages()
    with transaction.atomic():
        event = (
            Event.objects.select_for_update(of=("self",))
            .select_related("committee", "meeting")
            .filter(pk=event_id)
            .first()
        )
        if event is None or event.fanned_out_at is not None:
            return False
        if not messages.publicly_told(event):
            # A decision or plan entry the gate keeps from the public: nobody outside is told.
            Event.objects.filter(pk=event.pk).update(fanned_out_at=timezone.now())
            return True
        rows: dict[str, Delivery] = {}
        # Councillors first: a councillor who also subscribed gets the councillor's notice.
        for member_id, email in selectors.councillors_to_tell(event):
            rows.setdefault(email.lower(), Delivery(event=event, email=email.lower(), member_id=member_id))
        subscriptions = (
            selectors.matching_subscriptions(event)
            .order_by("subscriber_id", "kind", "pk")
            .values_list("pk", "subscriber_id", "subscriber__email", "subscriber__frequency")
        )
        for pk, subscriber_id, email, frequency in subscriptions.iterator(chunk_size=5000):
            status = DeliveryStatus.DIGEST if frequency == Frequency.DAILY else DeliveryStatus.PENDING
            rows.setdefault(
                email,
                Delivery(event=event, email=email, subscriber_id=subscriber_id, subscription_id=pk, status=status),
            )
        Delivery.objects.bulk_create(rows.values(), batch_size=2000, ignore_conflicts=True)
        # Filtered here, not by a JSON lookup, which SQLite (the demo) lacks; hooks are few.
        hooks = [h for h in Webhook.objects.filter(is_active=True, paused_at__isnull=True) if event.kind in h.events]
        WebhookDelivery.objects.bulk_create(
            [WebhookDelivery(hook=hook, event=event) for hook in hooks], ignore_conflicts=True
        )
        Event.objects.filter(pk=event.pk).update(fanned_out_at=timezone.now())
    return True


def events_not_fanned_out() -> list[int]:
    return list(Event.objects.filter(fanned_out_at__isnull=True).order_by("pk").values_list("pk", flat=True))


# Sending -------------------------------------------------------------------------------------


def _unclaimed(now) -> Q:
    """Rows no worker holds: never claimed, or their claim lapsed (its worker died)."""
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def _claim(queryset, size: int) -> list[int]:
    """Claim up to `size` rows for this worker: rows another worker holds are skipped, and a
    claim lapses (its worker died) after LEASE."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            queryset.filter(_unclaimed(now))
            .order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:size]
        )
        lease = timedelta(seconds=settings.QUORUM_ALERTS_LEASE_SECONDS)
        queryset.model.objects.filter(pk__in=ids).update(claimed_until=now + lease, attempts=F("attempts") + 1)
    return ids


class _Pace:
    """At most QUORUM_ALERTS_PER_SECOND messages a second from this worker."""

    def __init__(self):
        self.per_second = settings.QUORUM_ALERTS_PER_SECOND
        self.started = time.monotonic()
        self.count = 0

    def wait(self):
        self.count += 1
        if self.per_second:
            ahead = self.count / self.per_second - (time.monotonic() - self.started)
            if ahead > 0:
                time.sleep(ahead)


def _refused(exc: smtplib.SMTPRecipientsRefused) -> tuple[int, str]:
    code, text = next(iter(exc.recipients.values()))
    return code, text.decode(errors="replace") if isinstance(text, bytes) else str(text)


def deliveries_send(
    *, batch_size: int | None = None, max_batches: int | None = None, on_sent=None, messages: RunMessages | None = None
) -> int:
    """Send waiting immediate deliveries in claimed batches until none is left. Returns how
    many were sent. `on_sent` (tests) is called after each message is recorded sent."""
    size = batch_size or settings.QUORUM_ALERTS_BATCH_SIZE
    waiting = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    sent, batches, pace, messages = 0, 0, _Pace(), messages or RunMessages()
    while max_batches is None or batches < max_batches:
        ids = _claim(waiting, size)
        if not ids:
            break
        batches += 1
        deliveries = (
            Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING)
            .select_related(
                "event__committee",
                "event__meeting__venue",
                "subscription__subscriber",
                "subscription__committee",
                "subscription__member",
                "member",
            )
            .order_by("pk")
        )
        with get_connection() as connection:
            for delivery in deliveries:
                if delivery.subscription_id and delivery.subscription.subscriber.paused_at is not None:
                    # Paused after the change was written out for it: nothing more goes to it.
                    Delivery.objects.filter(pk=delivery.pk).update(
                        status=DeliveryStatus.FAILED, claimed_until=None, error=PAUSED
                    )
                    continue
                messages.recheck()
                message, bodies = messages.of(delivery.event)
                if not message.public:  # withheld since the fan-out
                    Delivery.objects.filter(pk=delivery.pk).update(
                        status=DeliveryStatus.FAILED, claimed_until=None, error=WITHHELD
                    )
                    continue
                if delivery.member_id:
                    email = mail.event_email(
                        delivery_id=delivery.pk,
                        to=delivery.email,
                        message=message,
                        councillor=delivery.member,
                        sign_in=selectors.sign_in_url(delivery.event.meeting),
                        bodies=bodies,
                    )
                else:
                    email = mail.event_email(
                        delivery_id=delivery.pk,
                        to=delivery.email,
                        message=message,
                        subscription=delivery.subscription,
                        bodies=bodies,
                    )
                email.connection = connection
                try:
                    email.send()
                except smtplib.SMTPRecipientsRefused as exc:
                    code, text = _refused(exc)
                    _refusal(delivery, code, text)
                    continue
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=DeliveryStatus.SENT, sent_at=timezone.now(), claimed_until=None, error=""
                )
                sent += 1
                if on_sent:
                    on_sent(delivery)
                pace.wait()
    return sent


def _refusal(delivery: Delivery, code: int, text: str) -> None:
    """A recipient refused by the SMTP server: a 5xx is a hard bounce (not retried), a 4xx is
    tried again once the claim lapses."""
    if 500 <= code < 600:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, claimed_until=None, error=f"{code} {text}"[:500]
        )
        bounce_record(email=delivery.email, kind=Bounce.Kind.HARD, detail=f"{code} {text}")
    else:
        Delivery.objects.filter(pk=delivery.pk).update(error=f"{code} {text}"[:500])


def digest_time(now=None) -> datetime:
    """The most recent digest time: QUORUM_ALERTS_DIGEST_HOUR today in the council's time
    zone, or yesterday's before that hour."""
    local = timezone.localtime(now or timezone.now(), timezone.get_default_timezone())
    day = local.date() if local.hour >= settings.QUORUM_ALERTS_DIGEST_HOUR else local.date() - timedelta(days=1)
    return datetime.combine(day, dt_time(settings.QUORUM_ALERTS_DIGEST_HOUR), tzinfo=local.tzinfo)


def _digests_due():
    """Changes waiting for a digest that is due: made before the most recent digest time. One
    made after it waits for tomorrow's, however late today's run goes. (A subquery, not a
    join: claiming these rows must not lock their events.)"""
    made_before = Event.objects.filter(created_at__lt=digest_time()).values("pk")
    return Delivery.objects.filter(status=DeliveryStatus.DIGEST, event_id__in=made_before)


def digest_run_hold(run: str, *, waiting: float = 0) -> bool:
    """Hold the digest run for `run`, or renew its lease; refused while another run holds it
    and its lease has not lapsed. One conditional UPDATE: of two runs asking at once, one wins.
    `waiting`: seconds the run's task waits to be tried again, held too, so that the sweep
    starts no other run meanwhile."""
    now = timezone.now()
    lease = timedelta(seconds=settings.QUORUM_ALERTS_LEASE_SECONDS + waiting)
    free = Q(held_until__isnull=True) | Q(held_until__lt=now) | Q(run=run)
    return bool(DigestRun.objects.filter(free, pk=1).update(run=run, held_until=now + lease))


def digest_run_under_way() -> bool:
    """Whether a digest run holds its lease (a run whose worker died holds it until it lapses)."""
    return DigestRun.objects.filter(pk=1, held_until__gte=timezone.now()).exists()


def digests_send(*, run: str = "", messages: RunMessages | None = None, until: float | None = None) -> int:
    """The daily digest: one message per address listing every change waiting for it that is
    due (`_digests_due`). One run at a time (`DigestRun`): `run` names this one (the task's
    id, so that its retry carries on under the same lease); while another run holds the
    lease this sends nothing; a run that stops with an error keeps it (for its retry) until
    it lapses. Each change's message is composed once for the run, not once
    per address; a decision withheld while the run goes on is left out of every digest sent
    after (RunMessages.recheck). `until` (time.monotonic()): start no digest after it (the
    task's time limit), leaving the rest waiting; `digests_left` says whether any are."""
    run = run or uuid.uuid4().hex
    DigestRun.objects.get_or_create(pk=1)
    if not digest_run_hold(run):
        return 0
    sent = _digests_send(run, messages or RunMessages(), until)
    DigestRun.objects.filter(pk=1, run=run).update(run="", held_until=None)  # free for the next
    return sent


def _digests_send(run: str, messages: RunMessages, until: float | None) -> int:
    waiting = _digests_due()
    sent, pace = 0, _Pace()  # every address's digest goes at the same hour: the largest burst
    subscribers = waiting.values_list("subscriber_id", flat=True).distinct()
    with get_connection() as connection:
        for subscriber_id in list(subscribers):
            if until is not None and time.monotonic() >= until:
                break
            if not digest_run_hold(run):  # this run stalled past its lease and another took over
                break
            ids = _claim(waiting.filter(subscriber_id=subscriber_id), 1000)
            if not ids:
                continue
            rows = list(
                Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.DIGEST)
                .select_related("event__committee", "event__meeting__venue", "subscriber")
                .order_by("event__created_at")
            )
            subscriber = rows[0].subscriber
            subscriptions = list(subscriber.subscriptions.filter(confirmed_at__isnull=False))
            if not subscriptions or subscriber.paused_at:
                Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.FAILED, error="No alert left")
                continue
            messages.recheck()
            told = [(row, messages.of(row.event)[0]) for row in rows]
            withheld = [row.pk for row, message in told if not message.public]
            if withheld:  # withheld since the fan-out: left out of the digest
                Delivery.objects.filter(pk__in=withheld).update(
                    status=DeliveryStatus.FAILED, claimed_until=None, error=WITHHELD
                )
                told = [(row, message) for row, message in told if message.public]
                if not told:
                    continue
            rows, ids = [row for row, _ in told], [row.pk for row, _ in told]
            email = mail.digest_email(
                to=subscriber.email,
                subscriber=subscriber,
                messages=[message for _, message in told],
                subscriptions=subscriptions,
            )
            email.connection = connection
            try:
                email.send()
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = _refused(exc)
                for row in rows:
                    _refusal(row, code, text)
                continue
            except OSError:  # the mail server is down or refused it: the retried run sends it first
                Delivery.objects.filter(pk__in=ids).update(claimed_until=None)
                raise
            Delivery.objects.filter(pk__in=ids).update(
                status=DeliveryStatus.SENT, sent_at=timezone.now(), claimed_until=None
            )
            sent += 1
            pace.wait()
    return sent


def digests_left() -> bool:
    """Whether a digest is due that a run could send now (not claimed by a run under way, nor
    by a dead one whose claim has not lapsed yet)."""
    return _digests_due().filter(_unclaimed(timezone.now())).exists()


# Bounces -------------------------------------------------------------------------------------


@transaction.atomic
def bounce_record(*, email: str, kind: str, detail: str = "") -> Bounce:
    """Record a bounce or a complaint. Three hard bounces, or one complaint, pause the address:
    nothing more is sent to it until it subscribes again (which an officer can do)."""
    email = email.strip().lower()
    bounce = Bounce.objects.create(email=email, kind=kind, detail=detail[:500])
    if kind == Bounce.Kind.HARD:
        Subscriber.objects.filter(email=email).update(hard_bounces=F("hard_bounces") + 1)
    pause = Q(hard_bounces__gte=HARD_BOUNCES_TO_PAUSE) if kind != Bounce.Kind.COMPLAINT else Q()
    Subscriber.objects.filter(pause, email=email, paused_at__isnull=True).update(paused_at=timezone.now())
    return bounce


# Webhooks ------------------------------------------------------------------------------------


def webhook_payload(event: Event) -> dict | None:
    """The event as JSON, its meeting and agenda items in the API's own shapes (public only).
    None when its decision or forward plan entry, read now through the public selectors (the
    gate), is withheld: not even the event's kind, id and committee go, which would tell
    that a decision was taken and by whom."""
    from django.test import RequestFactory
    from rest_framework.request import Request

    from committee import selectors as committee_selectors
    from committee.gate import Reader
    from committee.portal.api import AgendaItemSerializer, MeetingSerializer

    scheme, _, host = settings.QUORUM_SITE_URL.partition("://")
    django_request = RequestFactory().get("/", secure=scheme == "https")
    # The site's own address (a setting, not a visitor's Host header), so no ALLOWED_HOSTS check.
    django_request.get_host = lambda: host
    request = Request(django_request)
    context = {"request": request}
    payload = {
        "id": event.pk,
        "event": event.kind,
        "occurred_at": event.created_at.isoformat(),
        # None for a decision of an individual member or officer.
        "committee": event.committee.slug if event.committee_id else None,
        "details": {k: v for k, v in event.details.items() if k in WEBHOOK_DETAILS},
    }
    # The decision or forward plan entry as the API gives it. The fan-out wrote the delivery
    # while it was public, but a delivery is retried for up to a day, and an officer may have
    # withheld it since (made it exempt, or its agenda item Part II).
    if event.decision_id:
        from decisions.api import DecisionSerializer

        decision = selectors.public_decision(event)
        if decision is None:
            return None
        payload["decision"] = DecisionSerializer(decision, context=context).data
    if event.plan_entry_id:
        from decisions.api import PlanEntrySerializer

        entry = selectors.public_plan_entry(event)
        if entry is None:
            return None
        payload["forward_plan_entry"] = PlanEntrySerializer(entry, context=context).data
    if event.meeting_id:
        payload["meeting"] = MeetingSerializer(event.meeting, context=context).data
        items = committee_selectors.published_agenda_items(Reader.public()).filter(meeting_id=event.meeting_id)
        payload["agenda_items"] = AgendaItemSerializer(items.order_by("order"), many=True, context=context).data
    return json.loads(json.dumps(payload, default=str))


def webhook_signature(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>": a receiver refuses a stale timestamp (replay)."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 4 * 3600))


def webhooks_send() -> int:
    """POST every due webhook delivery once; failures are retried with exponential backoff,
    and a hook failing for a day is paused and the officer told. The payload is composed
    through the gate right before each POST, so a delivery whose decision or forward plan
    entry has been withheld since the fan-out is not sent (as an email is not: WITHHELD)."""
    now = timezone.now()
    due = WebhookDelivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        status=WebhookDelivery.Status.PENDING,
        hook__paused_at__isnull=True,
        hook__is_active=True,
    )
    delivered = 0
    while ids := _claim(due, 50):
        for row in WebhookDelivery.objects.filter(pk__in=ids).select_related(
            "hook", "event__committee", "event__meeting"
        ):
            delivered += _webhook_post(row)
    return delivered


def _webhook_post(row: WebhookDelivery) -> int:
    payload = webhook_payload(row.event)
    if payload is None:  # withheld from the public since the fan-out: never retried
        WebhookDelivery.objects.filter(pk=row.pk).update(
            status=WebhookDelivery.Status.NOT_SENT, last_error=WITHHELD, claimed_until=None
        )
        return 0
    body = json.dumps(payload, separators=(",", ":")).encode()
    timestamp = int(time.time())
    if not row.hook.url.startswith(("https://", "http://")):  # never file: or another scheme
        raise ValueError(f"A webhook address must be http(s): {row.hook.url}")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        row.hook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Quorum webhooks",
            "Quorum-Event": row.event.kind,
            "Quorum-Delivery": str(row.pk),
            "Quorum-Timestamp": str(timestamp),
            "Quorum-Signature": f"sha256={webhook_signature(row.hook.secret, timestamp, body)}",
        },
    )
    code, error = None, ""
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310 - checked above
            code = response.status
    except urllib.error.HTTPError as exc:
        code, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        error = f"{exc.__class__.__name__}: {exc}"
    now = timezone.now()
    if code is not None and 200 <= code < 300:
        WebhookDelivery.objects.filter(pk=row.pk).update(
            status=WebhookDelivery.Status.DELIVERED, delivered_at=now, last_status_code=code, last_error="",
            claimed_until=None,
        )  # fmt: skip
        return 1
    if now - row.created_at >= WEBHOOK_GIVE_UP:
        webhook_pause(hook=row.hook, reason=error or f"HTTP {code}")
        WebhookDelivery.objects.filter(pk=row.pk).update(
            status=WebhookDelivery.Status.GAVE_UP, last_status_code=code, last_error=error[:500], claimed_until=None
        )
    else:
        WebhookDelivery.objects.filter(pk=row.pk).update(
            next_attempt_at=now + _backoff(row.attempts), last_status_code=code, last_error=error[:500],
            claimed_until=None,
        )  # fmt: skip
    return 0


def webhook_pause(*, hook: Webhook, reason: str) -> None:
    """Stop sending to a hook that has failed for a day; tell the officer who registered it,
    the officers' address and the organisation's contact."""
    if not Webhook.objects.filter(pk=hook.pk, paused_at__isnull=True).update(paused_at=timezone.now()):
        return
    to = [settings.QUORUM_ALERTS_OFFICER_EMAIL]
    if hook.created_by and hook.created_by.email:
        to.append(hook.created_by.email)
    if hook.contact_email:
        to.append(hook.contact_email)
    mail.officer_notice(
        to=list(dict.fromkeys(to)),
        subject=f"Webhook paused: {hook.organisation}",
        lines=[
            f"Deliveries to {hook.url} have failed for a day, so the webhook has been paused.",
            f"The last failure: {reason}.",
            "Once the organisation's system accepts requests again, resume the webhook in the admin: "
            "the deliveries it missed are sent then.",
        ],
        link=selectors.absolute(hook.get_absolute_url()),
    ).send(fail_silently=True)


@transaction.atomic
def webhook_resume(*, hook: Webhook) -> Webhook:
    """Start again: the deliveries given up on are tried again from now."""
    Webhook.objects.filter(pk=hook.pk).update(paused_at=None)
    WebhookDelivery.objects.filter(hook=hook, status=WebhookDelivery.Status.GAVE_UP).update(
        status=WebhookDelivery.Status.PENDING, next_attempt_at=None, created_at=timezone.now()
    )
    hook.refresh_from_db()
    return hook


def subscriptions_grouped(subscriber: Subscriber) -> dict[str, list[Subscription]]:
    grouped = defaultdict(list)
    for subscription in subscriber.subscriptions.select_related("committee", "member"):
        grouped[SubscriptionKind(subscription.kind).label].append(subscription)
    return dict(grouped)

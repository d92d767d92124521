"""`make bench-alerts`: 20,000 confirmed subscribers to one committee; publishing its agenda
writes the outbox row, and the worker's task fans it out and sends every message to a real
SMTP server on loopback (aiosmtpd, in a process of its own).

Measures, on this machine: the publication (the officer's request), the fan-out (20,000
delivery rows), the sending (claimed batches over one SMTP connection each), messages a
second, and the sending process's resident memory sampled every 2,000 messages (flat: the
batches are read one at a time, the message text is composed once per event). Checks that
the SMTP server received exactly one message per subscriber and that every delivery is
recorded sent. The rate limit is off (QUORUM_ALERTS_PER_SECOND=0): with it on, sending takes
as long as the limit says (20,000 at 50 a second is 400 s) by design.

Prints a Markdown table (paste into docs/benchmarks.md) and the raw figures as JSON.
Usage: QUORUM_VAR_DIR=var/bench-alerts python bench/alerts.py [--subscribers 20000]
(with DATABASE_URL set to a PostgreSQL database whose name contains "bench" to measure on
PostgreSQL; otherwise SQLite in QUORUM_VAR_DIR).
"""

import argparse
import json
import multiprocessing
import os
import resource
import socket
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("QUORUM_VAR_DIR", str(ROOT / "var" / "bench-alerts"))


def smtp_server(port: int, count, ready) -> None:
    """The receiving SMTP server, in its own process: it counts, it keeps nothing."""
    import asyncio

    from aiosmtpd.controller import Controller

    class Count:
        async def handle_DATA(self, server, session, envelope):
            with count.get_lock():
                count.value += len(envelope.rcpt_tos)
            return "250 OK"

    controller = Controller(Count(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    asyncio.run(asyncio.sleep(10**6))


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=20_000)
    args = parser.parse_args()

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    count, ready = multiprocessing.Value("l", 0), multiprocessing.Event()
    server = multiprocessing.Process(target=smtp_server, args=(port, count, ready), daemon=True)
    server.start()
    ready.wait(30)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from alerts import services as alert_services
    from alerts.models import Delivery, Event, Subscriber, Subscription
    from alerts.tasks import deliver_event
    from committee import services
    from committee.models import AgendaItem, Committee, Meeting, Report, Venue

    if connection.vendor == "postgresql" and "bench" not in connection.settings_dict["NAME"]:
        sys.exit("DATABASE_URL must name a database with 'bench' in its name: its alerts tables are emptied.")
    call_command("migrate", verbosity=0)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.QUORUM_ALERTS_PER_SECOND = 0
    settings.QUORUM_SITE_URL = "https://committees.example.gov.uk"

    Subscriber.objects.all().delete()
    Event.objects.all().delete()
    committee, _ = Committee.objects.get_or_create(slug="bench-alerts", defaults={"name": "Bench Alerts Committee"})
    venue, _ = Venue.objects.get_or_create(name="Committee Room A", address="County Hall, Preston")
    meeting = services.meeting_save(
        meeting=Meeting(committee=committee, venue=venue, starts_at=timezone.now() + timedelta(days=30))
    )
    for n, title in enumerate(["Apologies", "Budget monitoring", "Library service review"], start=1):
        item = AgendaItem.objects.create(meeting=meeting, order=n, number=str(n), title=title)
        if n > 1:
            Report.objects.create(agenda_item=item, title=title, report_of="Director of Resources")
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"resident{n}@example.org") for n in range(args.subscribers)], batch_size=5000
    )
    now = timezone.now()
    Subscription.objects.bulk_create(
        [Subscription(subscriber=s, kind="committee", committee=committee, confirmed_at=now) for s in subscribers],
        batch_size=5000,
    )
    # The meeting_added event of the set-up is not what is measured.
    Event.objects.all().update(fanned_out_at=now)

    from django.contrib.auth import get_user_model

    officer, _ = get_user_model().objects.get_or_create(username="bench-officer", defaults={"is_staff": True})
    sent_events = []
    deliver_event.apply_async = lambda args, **kwargs: sent_events.append(args[0])  # the queue; run below

    figures = {"subscribers": args.subscribers, "rss_mb": []}
    started = time.perf_counter()
    services.meeting_publish_agenda(meeting=meeting, by=officer, late_reasons="Benchmark")
    figures["publish_s"] = time.perf_counter() - started
    [event_id] = sent_events
    figures["rss_mb"].append(("before", round(rss_mb(), 1)))

    started = time.perf_counter()
    alert_services.event_fan_out(event_id=event_id)
    figures["fan_out_s"] = time.perf_counter() - started
    figures["rss_mb"].append(("fanned out", round(rss_mb(), 1)))

    def on_sent(delivery, state={"n": 0}):  # noqa: B006 - a counter kept between calls
        state["n"] += 1
        if state["n"] % 2000 == 0:
            figures["rss_mb"].append((state["n"], round(rss_mb(), 1)))

    started = time.perf_counter()
    sent = alert_services.deliveries_send(on_sent=on_sent)
    figures["send_s"] = time.perf_counter() - started
    deadline = time.monotonic() + 30
    while count.value < sent and time.monotonic() < deadline:
        time.sleep(0.1)
    figures["received"] = count.value
    figures["recorded_sent"] = Delivery.objects.filter(event_id=event_id, status="sent").count()
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    figures["per_second"] = round(sent / figures["send_s"], 1)
    figures["database"] = connection.vendor
    server.terminate()

    ok = figures["received"] == figures["recorded_sent"] == args.subscribers
    print("| subscribers | publish | fan-out | send all | messages/s | received | recorded sent | peak RSS |")
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {args.subscribers:,} | {figures['publish_s'] * 1000:.0f} ms | {figures['fan_out_s']:.1f} s "
        f"| {figures['send_s']:.1f} s | {figures['per_second']:,} | {figures['received']:,} "
        f"| {figures['recorded_sent']:,} | {figures['peak_rss_mb']} MB |"
    )
    print()
    print("Resident memory of the sending process (MB): " + ", ".join(f"{k}: {v}" for k, v in figures["rss_mb"]))
    print(json.dumps(figures))
    if not ok:
        sys.exit("Not every subscriber received exactly one message.")


if __name__ == "__main__":
    main()

"""Prometheus metrics at /metrics.

Two sources, one page:

- django-prometheus's, counted in the web process as requests pass: request latency by view
  (`django_http_requests_latency_seconds_by_view_method`), responses by status, database
  query counts. With several gunicorn processes set PROMETHEUS_MULTIPROC_DIR (an empty
  folder per server, emptied at each start) so that a scrape sums them all.
- Quorum's own, read from the database and the broker at scrape time
  (`QuorumCollector`): the agenda pack builds happen in the worker, on other machines,
  but their outcome and timings are on each build's row, so any web process can report
  them, and every process reports the same figures.

Who may scrape: a request bearing QUORUM_METRICS_TOKEN (Authorization: Bearer …), or one
from an address in QUORUM_METRICS_ALLOWED_ADDRESSES (the browser's address as
accounts.throttling works it out behind the proxies). Neither set: nobody (404)."""

import hmac
import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import prometheus_client
from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q, Sum
from django.utils import timezone
from prometheus_client import multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

from accounts.throttling import client_address

# Pack build durations, seconds: the demo's pack takes a few seconds; a large meeting minutes.
BUILD_BUCKETS = (5, 15, 30, 60, 120, 300, 600)


def may_scrape(request) -> bool:
    token = settings.QUORUM_METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        return True
    allowed = settings.QUORUM_METRICS_ALLOWED_ADDRESSES
    if not allowed:
        return False
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in allowed)


def queue_length() -> dict[str, int]:
    """Messages waiting in the broker for a worker, by queue."""
    from config.celery import app

    queue = app.conf.task_default_queue or "celery"
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://")):
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            return {queue: int(client.llen(queue))}
        finally:
            client.close()
    if url.startswith("filesystem://"):
        folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        return {queue: sum(1 for path in folder.iterdir() if path.suffix == ".msg")}
    return {}


class QuorumCollector:
    """Figures read at scrape time from the build rows and the broker."""

    def collect(self):
        from committee.models import AgendaPack

        Status = AgendaPack.Status
        packs = AgendaPack.objects.all()

        outcomes = CounterMetricFamily(
            "quorum_pack_builds", "Agenda pack builds finished, by outcome (ready or failed).", labels=["outcome"]
        )
        finished = dict(
            packs.filter(status__in=[Status.READY, Status.FAILED], finished_at__isnull=False)
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        for outcome in (Status.READY, Status.FAILED):
            outcomes.add_metric([outcome], finished.get(outcome, 0))
        yield outcomes

        took = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
        ready = packs.filter(status=Status.READY, started_at__isnull=False, finished_at__isnull=False).annotate(
            took=took
        )
        figures = ready.aggregate(
            total=Sum("took"),
            count=Count("pk"),
            **{f"le_{bucket}": Count("pk", filter=Q(took__lte=timedelta(seconds=bucket))) for bucket in BUILD_BUCKETS},
        )
        durations = HistogramMetricFamily(
            "quorum_pack_build_seconds", "How long ready agenda pack builds took, from claim to ready."
        )
        buckets = [(str(float(bucket)), figures[f"le_{bucket}"]) for bucket in BUILD_BUCKETS]
        buckets.append(("+Inf", figures["count"]))
        total = figures["total"].total_seconds() if figures["total"] else 0.0
        durations.add_metric([], buckets, total)
        yield durations

        waiting = GaugeMetricFamily(
            "quorum_pack_builds_waiting", "Agenda pack builds not finished, by status.", labels=["status"]
        )
        counts = dict(
            packs.filter(status__in=[Status.QUEUED, Status.RENDERING])
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        for status in (Status.QUEUED, Status.RENDERING):
            waiting.add_metric([status], counts.get(status, 0))
        yield waiting

        oldest = packs.filter(status=Status.QUEUED).aggregate(at=Min("requested_at"))["at"]
        yield GaugeMetricFamily(
            "quorum_pack_build_oldest_queued_seconds",
            "Age of the oldest queued agenda pack build (0 when none waits).",
            value=(timezone.now() - oldest).total_seconds() if oldest else 0,
        )

        # The paper cache: each build renders only the papers not already rendered with the
        # same content (committee.pack.render). Its hit rate is hits / lookups.
        lookups = hits = 0
        for timings in ready.values_list("timings", flat=True):
            papers = int((timings or {}).get("papers") or 0)
            rendered = int((timings or {}).get("papers_rendered") or 0)
            lookups += papers
            hits += max(0, papers - rendered)
        yield CounterMetricFamily(
            "quorum_pack_paper_cache_lookups", "Papers ready pack builds needed (each a cache lookup).", value=lookups
        )
        yield CounterMetricFamily(
            "quorum_pack_paper_cache_hits", "Papers ready pack builds found already rendered in the cache.", value=hits
        )

        queue = GaugeMetricFamily(
            "quorum_queue_length", "Messages waiting in the broker for a Celery worker.", labels=["queue"]
        )
        broker_up = 1
        try:
            for name, length in queue_length().items():
                queue.add_metric([name], length)
        except Exception:  # noqa: BLE001 - an unreachable broker is a figure, not a failed scrape
            broker_up = 0
        yield queue
        yield GaugeMetricFamily("quorum_broker_up", "1 when the broker answered this scrape.", value=broker_up)


QUORUM_REGISTRY = prometheus_client.CollectorRegistry(auto_describe=False)
QUORUM_REGISTRY.register(QuorumCollector())


def exposition() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = prometheus_client.REGISTRY
    body = prometheus_client.generate_latest(registry) + prometheus_client.generate_latest(QUORUM_REGISTRY)
    return body, prometheus_client.CONTENT_TYPE_LATEST

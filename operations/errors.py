"""Errors to Sentry (or a self-hosted Sentry-compatible service) when SENTRY_DSN is set; off
otherwise (nothing is sent anywhere). Called from the settings, so that the web process, the
worker and management commands all report.

No personal data: send_default_pii stays off (no user, no cookies, no form data, no IP
address), and request bodies are not sent, so that a Part II paper an officer was saving
never reaches the error service."""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration


def init_sentry(*, dsn: str, environment: str, release: str | None = None) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        # Errors only: performance tracing is Prometheus's job here.
        traces_sample_rate=0.0,
    )

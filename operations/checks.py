"""What `manage.py check --deploy` says about settings of Quorum's own (Django checks its own)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}  # noqa: S104 - names compared, nothing bound


@register(Tags.security, deploy=True)
def site_url(app_configs=None, **kwargs) -> list[Error]:
    """Links in alert emails (the one-click unsubscribe in their headers too) and webhooks
    point at QUORUM_SITE_URL, which defaults to the demo's own address."""
    address = urlsplit(settings.QUORUM_SITE_URL)
    if not address.hostname or address.hostname in LOOPBACK:
        return [
            Error(
                f"QUORUM_SITE_URL is {settings.QUORUM_SITE_URL!r}: alert emails would link (and unsubscribe) there.",
                hint="Set it to the site's public address, e.g. https://committees.example.gov.uk.",
                id="quorum.E001",
            )
        ]
    if address.scheme != "https":
        return [
            Error(
                "QUORUM_SITE_URL is not an https address: links in alert emails would be sent over plain http.",
                hint="Set it to the https address the site is served at.",
                id="quorum.E002",
            )
        ]
    return []

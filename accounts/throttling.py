"""Sign-in throttling with django-axes: where a request comes from, and what a locked-out
person is told (at the form, with what they typed)."""

import ipaddress
import logging

from axes.models import AccessAttempt
from django.conf import settings
from django.forms.utils import ErrorList
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

_USERNAME_KEPT = AccessAttempt._meta.get_field("username").max_length

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    """The address the browser connected from. Behind QUORUM_TRUSTED_PROXIES proxies of ours,
    each appends the address it saw to X-Forwarded-For: the browser's is the one the outermost
    proxy wrote, counted from the right (what a browser puts on the left is not trusted)."""
    proxies = settings.QUORUM_TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        written = forwarded[-proxies]
        if address := _address(written):
            return address
        # Not an address: a proxy that writes something else, or QUORUM_TRUSTED_PROXIES set
        # higher than the proxies there are (then the browser wrote it). The attempt is
        # counted under the connection's own address rather than refused with an error page.
        logger.warning(
            "X-Forwarded-For holds %r where a proxy's record of the browser's address was expected "
            "(QUORUM_TRUSTED_PROXIES=%s): the connection's own address is used",
            written[:100],
            proxies,
        )
    return request.META.get("REMOTE_ADDR", "")


def _address(written: str) -> str:
    """The address a proxy wrote, without the port some write after it ("203.0.113.9:52311",
    "[2001:db8::1]:443"), or "" where it is not an address (django-axes stores it in an address
    column, which PostgreSQL holds to that)."""
    text = written
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return ""


def client_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The username an attempt is counted under: as typed, cut to the 255 characters django-axes
    keeps. Django's sign-in form checks no length, so a longer one must fail as any wrong
    password does (PostgreSQL refused to store it, and the person got an error page)."""
    given = credentials if credentials is not None else request.POST
    username = given.get(settings.AXES_USERNAME_FORM_FIELD)
    return username[:_USERNAME_KEPT] if isinstance(username, str) else username


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"Too many wrong passwords have been tried for this account from your connection, so signing in "
        f"is locked for {minutes} minutes. Try again after that, or ask democratic services "
        f"({settings.DEFAULT_FROM_EMAIL}) to unlock your account now. If you have forgotten your "
        f"password, reset it instead."
    )


def lockout_response(request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None):
    """django-axes calls this instead of its bare 429 page: the sign-in page the person used
    (the public one or the admin's) again, their username kept, the lockout said at the form."""
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if not isinstance(original_response, TemplateResponse) or form is None:
        return HttpResponse(lockout_message(), status=429, content_type="text/plain; charset=utf-8")
    form.is_valid()  # errors are worked out (already, by the view)
    form._errors = {"__all__": ErrorList([lockout_message()])}
    context["locked_out"] = True
    response = TemplateResponse(request, original_response.template_name, context, status=429)
    return response.render()

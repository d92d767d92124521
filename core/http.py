"""Marking a response private: the one helper every view and the middleware use."""

from django.http import HttpResponse
from django.utils.cache import patch_cache_control


def mark_private(response: HttpResponse) -> HttpResponse:
    """No shared cache may keep it, no browser may store it (a shared computer after sign-out),
    no search engine may index it (domain rules 9: restricted files are served with
    Cache-Control private and X-Robots-Tag noindex). Whether a response is private is for
    committee.gate.response_is_private to say."""
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

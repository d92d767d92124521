"""The published register of members' interests: a councillor's current register and each
version published before (interests.selectors, through committee.gate)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from committee.models import Member

from . import selectors


@require_GET
def register(request, slug):
    member = get_object_or_404(Member, slug=slug)
    versions = list(selectors.published_versions(member))
    return render(
        request,
        "interests/register.html",
        {"member": member, "version": versions[0] if versions else None, "earlier": versions[1:]},
    )


@require_GET
def register_version(request, slug, number):
    member = get_object_or_404(Member, slug=slug)
    version = selectors.register_version(member, number)
    if version is None:
        raise Http404("No such version of this register.")
    latest = selectors.current_register(member)
    return render(
        request,
        "interests/register.html",
        {"member": member, "version": version, "earlier": [], "superseded": latest.number != version.number},
    )

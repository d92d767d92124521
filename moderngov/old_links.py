"""ModernGov's public page addresses, answered with a 301 to the matching Quorum page
(docs/moderngov.md, "Old links"). Links in old minutes, press articles and search engines
keep working; an address with no match gets a helpful 404 with a search box, never an error.

ModernGov runs on IIS, whose addresses ignore case: so do these. Documents go through the
gate: a paper the public may not read is never redirected to for the public.
"""

from datetime import date
from pathlib import PurePath

from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.urls import re_path, reverse
from django.views.decorators.http import require_safe

from committee import gate
from committee.models import Appendix
from committee.pack import selectors as pack_selectors
from core.http import mark_private

from .models import Kind
from .selectors import as_id, document_pk, record_for


def _param(request, *names) -> str:
    """A query parameter by any of its names, in any case (ModernGov's own links vary)."""
    wanted = {name.lower() for name in names}
    for key, values in request.GET.lists():
        if key.lower() in wanted and values:
            return values[0]
    return ""


def not_found(request, query: str = ""):
    return render(request, "moderngov/old_link_not_found.html", {"query": query[:200]}, status=404)


def _to(obj, request, *, suffix: str = ""):
    if obj is None:
        return not_found(request)
    return HttpResponsePermanentRedirect(obj.get_absolute_url() + suffix)


@require_safe
def meeting(request):
    """ieListDocuments.aspx?CId=…&MId=… (and the meeting's other pages)."""
    found = record_for(Kind.MEETING, _param(request, "MId", "MeetingId", "ID"))
    if found is None:
        # A meeting that did not come across: its committee, if that did.
        committee = record_for(Kind.COMMITTEE, _param(request, "CId", "CommitteeId"))
        return _to(committee, request)
    return _to(found, request)


@require_safe
def committee(request):
    """ieListMeetings.aspx?CommitteeId=…, mgCommitteeDetails.aspx?ID=…"""
    return _to(record_for(Kind.COMMITTEE, _param(request, "CommitteeId", "CId", "ID")), request)


@require_safe
def councillor(request):
    """mgUserInfo.aspx?UID=…"""
    return _to(record_for(Kind.MEMBER, _param(request, "UID")), request)


@require_safe
def agenda_item(request):
    """mgAi.aspx?ID=…: the item on its meeting's page (a Part II item shows its title only)."""
    return _to(record_for(Kind.AGENDA_ITEM, _param(request, "ID")), request)


def _page(name):
    @require_safe
    def view(request):
        return HttpResponsePermanentRedirect(reverse(name))

    return view


@require_safe
def calendar(request):
    """mgCalendarMonthView.aspx?M=6&DD=2018: that month's calendar."""
    month, year = as_id(_param(request, "M")), as_id(_param(request, "DD"))
    url = reverse("committee:calendar")
    if month and year and 1 <= month <= 12 and 1900 <= year <= 2100:
        url += f"?month={date(year, month, 1):%Y-%m}"
    return HttpResponsePermanentRedirect(url)


@require_safe
def document(request, moderngov_id, name):
    """documents/s{ID}/{name}.pdf: the document, through the gate."""
    appendix = record_for(Kind.DOCUMENT, moderngov_id, own=document_pk)
    if appendix is None or appendix.kind != Appendix.Kind.DOCUMENT:
        return not_found(request, PurePath(name).stem)
    url = reverse("committee:appendix-document", args=[appendix.pk])
    if Appendix.objects.filter(gate.appendix_q(gate.Reader.public()), pk=appendix.pk).exists():
        return HttpResponsePermanentRedirect(url)
    if Appendix.objects.filter(gate.appendix_q(gate.reader_for(request.user)), pk=appendix.pk).exists():
        # For this reader only (a councillor or officer signed in): not cached, not permanent.
        return mark_private(HttpResponseRedirect(url))
    return not_found(request, PurePath(name).stem)


@require_safe
def public_pack(request, moderngov_id, name):
    """documents/g{MId}/Public reports pack … .pdf: the meeting's current public pack (a
    redirect that may change as new versions are published), or its page when it has none."""
    found = record_for(Kind.MEETING, moderngov_id)
    if found is None:
        return not_found(request, PurePath(name).stem)
    pack = pack_selectors.meeting_packs(meeting=found, reader=gate.Reader.public()).public
    return HttpResponseRedirect(pack.get_absolute_url() if pack else found.get_absolute_url())


PAGES = {
    "ielistdocuments": meeting,
    "mgmeetingattendance": meeting,
    "ielistmeetings": committee,
    "mgcommitteedetails": committee,
    "mguserinfo": councillor,
    "mgai": agenda_item,
    "mgmemberindex": _page("committee:member-list"),
    "mgcalendarmonthview": calendar,
    "iedochome": _page("committee:committee-list"),
    "mglistcommittees": _page("committee:committee-list"),
}


def aspx(request, page):
    """Any ModernGov page by its name, in any case (IIS ignores it); one with no match here
    gets the helpful 404."""
    view = PAGES.get(page.lower())
    return view(request) if view else require_safe(not_found)(request)


def documents(request, prefix, moderngov_id, name):
    if prefix.lower() == "s":
        return document(request, moderngov_id, name)
    if "pack" in name.lower():
        return public_pack(request, moderngov_id, name)
    # The meeting's other documents (printed minutes, agenda frontsheet): its page.
    found = record_for(Kind.MEETING, moderngov_id)
    return _to(found, request) if found else not_found(request, PurePath(name).stem)


urlpatterns = [
    re_path(r"^(?P<page>(?:ie|mg|IE|MG|Ie|Mg)[A-Za-z0-9]+)\.(?:aspx|ASPX)$", aspx),
    re_path(r"^documents/(?P<prefix>[sSgG])(?P<moderngov_id>\d{1,15})/(?P<name>[^/]+)$", documents),
]

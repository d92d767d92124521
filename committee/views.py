"""Public pages. Every read goes through committee.selectors, which applies the gate."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from . import selectors
from .models import Committee, Member


@require_GET
def home(request):
    meetings = selectors.meeting_list()
    return render(
        request,
        "committee/home.html",
        {"upcoming": meetings.upcoming()[:10], "recent": meetings.past()[:10]},
    )


@require_GET
def committee_detail(request, slug):
    committee = get_object_or_404(Committee, slug=slug)
    memberships = committee.memberships.current().select_related("member").order_by("role", "member__name")
    meetings = selectors.meeting_list(committee_id=committee.pk)
    return render(
        request,
        "committee/committee_detail.html",
        {"committee": committee, "memberships": memberships, "meetings": meetings},
    )


@require_GET
def member_detail(request, slug):
    member = get_object_or_404(Member, slug=slug)
    memberships = member.memberships.select_related("committee").order_by("committee__name")
    return render(request, "committee/member_detail.html", {"member": member, "memberships": memberships})


@require_GET
def meeting_detail(request, pk):
    reader = selectors.reader_for(request.user)
    meeting = selectors.meeting_detail(pk)
    items = selectors.agenda_for(meeting, reader)
    attendance, minutes = selectors.minutes_for(meeting, reader)
    return render(
        request,
        "committee/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "exclusion_resolution": selectors.exclusion_resolution(items),
            "attendance": attendance,
            "minutes": minutes,
        },
    )


@require_GET
def report_detail(request, pk):
    reader = selectors.reader_for(request.user)
    report = selectors.report_detail(pk, reader)
    return render(request, "committee/report_detail.html", {"report": report, "item": report.agenda_item})


@require_GET
def appendix_document(request, pk):
    """Uploaded documents are served only through this view, after the gate."""
    reader = selectors.reader_for(request.user)
    appendix = selectors.appendix_document(pk, reader)
    response = FileResponse(
        appendix.document.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"appendix-{appendix.letter or appendix.pk}.pdf",
    )
    restricted = appendix.is_restricted or appendix.report.agenda_item.is_restricted
    if restricted:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response

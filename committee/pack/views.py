"""Agenda pack downloads, the officers' build status (JSON) and build requests. Thin: what a
reader may have is committee.gate's to say (through committee.pack.selectors), the work is
committee.pack.services."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from committee import gate
from committee import services as committee_services
from committee.models import AgendaPack, Meeting
from core.http import mark_private

from . import selectors, services


def _filename(pack: AgendaPack) -> str:
    day = timezone.localtime(pack.meeting.starts_at)
    name = "supplementary-agenda-pack" if pack.scope == AgendaPack.Scope.SUPPLEMENTARY else "agenda-pack"
    if pack.kind == AgendaPack.Kind.CONFIDENTIAL:
        name += "-confidential"
    if pack.is_preview:
        name += "-preview"
    return f"{pack.meeting.committee.slug}-{day.date().isoformat()}-{name}-v{pack.number}.pdf"


@require_GET
def download(request, pk):
    reader = gate.reader_for(request.user)
    pack = selectors.pack_for_download(pk=pk, reader=reader)
    # A version whose papers were removed at the end of retention has no file left, for anyone.
    if pack.is_withdrawn and (not reader.is_officer or not pack.file):
        # Gone, and said so: why (in words that reveal nothing exempt) and where the current
        # version is. The file is kept for officers (domain rules 10).
        response = render(
            request,
            "packs/withdrawn.html",
            {"pack": pack, "meeting": pack.meeting, "current": selectors.current_version(pack)},
            status=410,
        )
    else:
        response = FileResponse(
            pack.file.open("rb"), content_type="application/pdf", as_attachment=False, filename=_filename(pack)
        )
    if gate.response_is_private(reader, pack):
        mark_private(response)
    return response


@require_GET
@staff_member_required
def meeting_status(request, meeting_id):
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    status = selectors.meeting_pack_status(meeting=meeting, reader=gate.reader_for(request.user))
    return mark_private(JsonResponse(status))


@require_POST
@staff_member_required
def meeting_build(request, meeting_id):
    """Build (or rebuild) a meeting's packs; before publication, a preview."""
    if not committee_services.may_publish(request.user):
        raise PermissionDenied
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    builds = services.packs_request_for_meeting(meeting=meeting, requested_by=request.user)
    if selectors.builds_waiting_unsent(builds):
        messages.warning(
            request,
            "The pack builder cannot be reached just now (its message queue is not answering). The builds "
            "wait and are sent automatically once it answers; the last good versions stay served meanwhile.",
        )
    else:
        what = "The packs are being built" if meeting.is_published else "A preview of the packs is being built"
        messages.success(request, f"{what}; their progress shows under Agenda pack.")
    return redirect(f"{_admin_change_url(meeting)}#agenda-pack")


def _admin_change_url(meeting: Meeting) -> str:
    return reverse("admin:committee_meeting_change", args=[meeting.pk])

"""Reads for the agenda pack: the meeting page, downloads, and the officers' status. Which
versions a reader may have is committee.gate.pack_q's to say."""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404
from django.utils import timezone

from committee import gate
from committee.gate import Reader
from committee.models import AgendaPack, Meeting

from .content import part_ii_q

Kind, Scope, Status = AgendaPack.Kind, AgendaPack.Scope, AgendaPack.Status

_LIST_FIELDS = (
    "id",
    "meeting_id",
    "kind",
    "scope",
    "is_preview",
    "number",
    "status",
    "file",
    "pages",
    "size",
    "finished_at",
    "withdrawn_at",
)


def lease_seconds() -> int:
    """How long a build may go unheard from before it is presumed interrupted."""
    return getattr(settings, "QUORUM_PACK_LEASE_SECONDS", 120)


@dataclass
class MeetingPacks:
    """What templates/committee/_packs.html shows: the latest ready versions this reader
    may download, and the earlier ones (kept for six years, domain rules 10). A withdrawn
    version is listed for officers only, marked as withdrawn."""

    public: AgendaPack | None = None
    confidential: AgendaPack | None = None
    supplementary: AgendaPack | None = None
    confidential_supplementary: AgendaPack | None = None
    earlier: list[AgendaPack] = field(default_factory=list)
    # What to call each confidential pack this reader may read that the meeting's Part II
    # papers call for and that has no version ready yet (its build is queued or running,
    # or its last version was withdrawn): said, so that the public pack alone is not taken
    # for all there is.
    being_prepared: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.current)

    @property
    def current(self) -> list[tuple[str, AgendaPack]]:
        """(what to call it, the version) for each pack to offer, in the order to offer them."""
        slots = (self.public, self.supplementary, self.confidential, self.confidential_supplementary)
        return [(pack_label(pack), pack) for pack in slots if pack is not None]

    @property
    def previous(self) -> list[tuple[str, AgendaPack]]:
        return [(pack_label(pack), pack) for pack in self.earlier]


def pack_label(pack: AgendaPack) -> str:
    return _label(pack.kind, pack.scope)


def _label(kind: str, scope: str) -> str:
    label = "Supplementary agenda pack" if scope == Scope.SUPPLEMENTARY else "Agenda pack"
    if kind == Kind.CONFIDENTIAL:
        label += " including Part II papers (not for publication)"
    return label


def meeting_packs(*, meeting: Meeting, reader: Reader) -> MeetingPacks:
    """The packs of a published meeting as `reader` may download them. One query."""
    return packs_of_meetings(meetings=[meeting], reader=reader)[meeting.pk]


def packs_of_meetings(*, meetings: list[Meeting], reader: Reader) -> dict[int, MeetingPacks]:
    """The packs of each meeting as `reader` may download them (none for a meeting whose
    agenda is not published: previews are for officers, in the admin), by meeting. One query
    for them all, none when no meeting is published."""
    found = {meeting.pk: MeetingPacks() for meeting in meetings}
    published = {meeting.pk: meeting for meeting in meetings if meeting.is_published}
    if not published:
        return found
    rows = (
        AgendaPack.objects.filter(gate.pack_q(reader), meeting_id__in=published, is_preview=False)
        .only(*_LIST_FIELDS)
        .annotate(
            asked_for_with_agenda=ExpressionWrapper(AgendaPack.asked_for_with_agenda_q(), output_field=BooleanField())
        )
        .order_by("meeting_id", "scope", "kind", "-number")
    )
    if not reader.is_public:
        # A confidential pack of a meeting without Part II papers (one built before only such
        # meetings got one, or before its Part II item was made public) is the public pack
        # again: it is not offered beside it, though its address still serves it.
        rows = rows.annotate(
            **{
                f"part_ii_{scope}": ExpressionWrapper(
                    reduce(or_, (Q(meeting_id=pk) & part_ii_q(meeting, scope) for pk, meeting in published.items())),
                    output_field=BooleanField(),
                )
                for scope in Scope.values
            }
        )
    rows = list(rows)
    # Every row of a meeting says (its annotations) which of the meeting's packs print Part II.
    part_ii = {pack.meeting_id: pack for pack in rows}
    rows = [pack for pack in rows if pack.kind == Kind.PUBLIC or getattr(pack, f"part_ii_{pack.scope}", False)]
    slots = {
        (Kind.PUBLIC, Scope.FULL): "public",
        (Kind.CONFIDENTIAL, Scope.FULL): "confidential",
        (Kind.PUBLIC, Scope.SUPPLEMENTARY): "supplementary",
        (Kind.CONFIDENTIAL, Scope.SUPPLEMENTARY): "confidential_supplementary",
    }
    for pack in rows:
        pack.meeting = published[pack.meeting_id]  # a version's publication may be its agenda's
        packs = found[pack.meeting_id]
        slot = slots[(pack.kind, pack.scope)]
        if getattr(packs, slot) is None and not pack.is_withdrawn:
            setattr(packs, slot, pack)
        else:
            packs.earlier.append(pack)
    for packs in found.values():
        packs.earlier.sort(key=lambda p: (p.kind != Kind.PUBLIC, p.scope, -(p.number or 0)))
    for meeting_id, row in part_ii.items():
        if not reader.may_read_restricted(published[meeting_id].committee_id):
            continue  # not even its coming is told to the public or another committee's members
        packs = found[meeting_id]
        for scope in Scope.values:
            if getattr(row, f"part_ii_{scope}", False) and getattr(packs, slots[(Kind.CONFIDENTIAL, scope)]) is None:
                packs.being_prepared.append(_label(Kind.CONFIDENTIAL, scope))
    return found


def pack_for_download(*, pk: int, reader: Reader) -> AgendaPack:
    """A ready pack version this reader may download, or one they could but for its
    withdrawal (the view answers 410 for it), or 404 (not 403: the public must not learn
    that a confidential pack exists at an address)."""
    try:
        return AgendaPack.objects.select_related("meeting__committee").get(gate.pack_q(reader, withdrawn=True), pk=pk)
    except AgendaPack.DoesNotExist as exc:
        raise Http404("No such pack") from exc


def current_version(pack: AgendaPack) -> AgendaPack | None:
    """The version that replaces a withdrawn one: the latest of the same pack not withdrawn
    (whoever could read the withdrawn one may read it)."""
    return (
        AgendaPack.objects.filter(
            status=Status.READY,
            meeting_id=pack.meeting_id,
            kind=pack.kind,
            scope=pack.scope,
            is_preview=False,
            withdrawn_at__isnull=True,
        )
        .order_by("-number")
        .first()
    )


def meeting_pack_status(*, meeting: Meeting, reader: Reader) -> dict:
    """For officers (the gate's may_see_builds; 404 for anyone else): the builds in hand, the last failure of each pack if nothing has
    succeeded since, and the versions served; plain data for the admin's JSON poll."""
    if not gate.may_see_builds(reader):
        raise Http404("No such meeting")
    rows = list(AgendaPack.objects.filter(meeting=meeting).order_by("-requested_at", "-pk"))
    latest: dict[tuple, AgendaPack] = {}
    for pack in rows:
        key = (pack.kind, pack.scope, pack.is_preview)
        if (
            pack.status == Status.READY
            and not pack.is_withdrawn
            and (key not in latest or pack.number > latest[key].number)
        ):
            latest[key] = pack
    builds, failures_shown, now = [], set(), timezone.now()
    for pack in rows:
        key = (pack.kind, pack.scope, pack.is_preview)
        if pack.is_building:
            builds.append(_as_dict(pack, now))
        elif pack.status == Status.FAILED and key not in failures_shown:
            failures_shown.add(key)
            served = latest.get(key)
            if served is None or served.requested_at < pack.requested_at:
                builds.append(_as_dict(pack, now))
    return {
        "meeting": meeting.pk,
        "building": any(b["status"] in (Status.QUEUED, Status.RENDERING) for b in builds),
        "builds": builds,
        "versions": [_as_dict(p) for p in sorted(latest.values(), key=lambda p: (p.is_preview, p.scope, p.kind))],
    }


def builds_waiting_unsent(builds: list[AgendaPack]) -> bool:
    """Whether any of these builds waits because its message never reached the queue."""
    return AgendaPack.objects.filter(pk__in=[b.pk for b in builds], status=Status.QUEUED, sent_at__isnull=True).exists()


def build_status(pack: AgendaPack, now) -> tuple[str, str]:
    """(status, details) as the officer's panel shows a build. A percentage only while a
    worker is at it: a build that nothing is moving says what it waits for instead."""
    if pack.status == Status.QUEUED:
        if pack.sent_at is None:
            return (
                "Waiting for the pack builder (the message queue is not reachable)",
                "It is sent again automatically once the queue answers; nothing else needs doing. "
                "If this lasts, tell the system administrator.",
            )
        if pack.sent_at < now - timedelta(seconds=lease_seconds()):
            return (
                "Waiting for the pack builder (no worker has started this build yet)",
                "Other builds may be ahead of it. If this lasts, tell the system administrator: "
                "the pack builder may not be running.",
            )
        return pack.get_status_display(), pack.progress_note
    if pack.status == Status.RENDERING:
        if pack.lease_until is not None and pack.lease_until < now:
            return (
                "The build is being restarted (the worker building it stopped)",
                "Another worker takes it over within a few minutes; the last good version is served meanwhile.",
            )
        return f"{pack.get_status_display()}: {pack.progress}%", pack.progress_note
    return pack.get_status_display(), pack.progress_note


def _as_dict(pack: AgendaPack, now=None) -> dict:
    status_text, note = build_status(pack, now or timezone.now())
    return {
        "id": pack.pk,
        "name": f"{pack.get_scope_display()}: {pack.get_kind_display()}{' (preview)' if pack.is_preview else ''}",
        "kind": pack.kind,
        "scope": pack.scope,
        "preview": pack.is_preview,
        "status": pack.status,
        "status_display": pack.get_status_display(),
        "number": pack.number,
        "progress": pack.progress,
        "status_text": status_text,
        "note": note,
        "error": pack.error,
        "pages": pack.pages,
        "size": pack.size,
        "seconds": pack.render_seconds,
        "requested_at": pack.requested_at.isoformat() if pack.requested_at else None,
        "finished_at": pack.finished_at.isoformat() if pack.finished_at else None,
        "url": pack.get_absolute_url() if pack.status == Status.READY else None,
        "withdrawn": pack.is_withdrawn,
    }

"""Reads for the agenda pack: the meeting page, downloads, and the officers' status. Which
versions a reader may have is committee.gate.pack_q's to say."""

from dataclasses import dataclass, field

from django.http import Http404

from committee import gate
from committee.gate import Reader
from committee.models import AgendaPack, Meeting

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
    label = "Supplementary agenda pack" if pack.scope == Scope.SUPPLEMENTARY else "Agenda pack"
    if pack.kind == Kind.CONFIDENTIAL:
        label += " including Part II papers (not for publication)"
    return label


def meeting_packs(*, meeting: Meeting, reader: Reader) -> MeetingPacks:
    """The packs of a published meeting as `reader` may download them. One query."""
    packs = MeetingPacks()
    if not meeting.is_published:
        return packs  # previews are for officers, in the admin
    rows = (
        AgendaPack.objects.filter(gate.pack_q(reader), meeting=meeting, is_preview=False)
        .only(*_LIST_FIELDS)
        .order_by("scope", "kind", "-number")
    )
    slots = {
        (Kind.PUBLIC, Scope.FULL): "public",
        (Kind.CONFIDENTIAL, Scope.FULL): "confidential",
        (Kind.PUBLIC, Scope.SUPPLEMENTARY): "supplementary",
        (Kind.CONFIDENTIAL, Scope.SUPPLEMENTARY): "confidential_supplementary",
    }
    for pack in rows:
        slot = slots[(pack.kind, pack.scope)]
        if getattr(packs, slot) is None and not pack.is_withdrawn:
            setattr(packs, slot, pack)
        else:
            packs.earlier.append(pack)
    packs.earlier.sort(key=lambda p: (p.kind != Kind.PUBLIC, p.scope, -(p.number or 0)))
    return packs


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
    builds, failures_shown = [], set()
    for pack in rows:
        key = (pack.kind, pack.scope, pack.is_preview)
        if pack.is_building:
            builds.append(_as_dict(pack))
        elif pack.status == Status.FAILED and key not in failures_shown:
            failures_shown.add(key)
            served = latest.get(key)
            if served is None or served.requested_at < pack.requested_at:
                builds.append(_as_dict(pack))
    return {
        "meeting": meeting.pk,
        "building": any(b["status"] in (Status.QUEUED, Status.RENDERING) for b in builds),
        "builds": builds,
        "versions": [_as_dict(p) for p in sorted(latest.values(), key=lambda p: (p.is_preview, p.scope, p.kind))],
    }


def _as_dict(pack: AgendaPack) -> dict:
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
        "note": pack.progress_note,
        "error": pack.error,
        "pages": pack.pages,
        "size": pack.size,
        "seconds": pack.render_seconds,
        "requested_at": pack.requested_at.isoformat() if pack.requested_at else None,
        "finished_at": pack.finished_at.isoformat() if pack.finished_at else None,
        "url": pack.get_absolute_url() if pack.status == Status.READY else None,
        "withdrawn": pack.is_withdrawn,
    }

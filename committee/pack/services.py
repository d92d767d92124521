"""Writes for the agenda pack: requests, the build itself, and recovery.

A build is a row of committee.AgendaPack. Its life:

1. `pack_request` creates it as queued, unless one is already queued for the same pack, in
   which case the two requests coalesce (a partial unique constraint makes that hold under
   a race). The worker is told after the transaction commits, and `sent_at` records that
   the message reached the queue. A build the queue never got (it was down) stays queued
   with `sent_at` empty, and is sent by the next request for it or by the sweep
   (`packs_resume_interrupted`, run by Celery beat every minute).
2. `pack_build` (in the worker) claims it by a conditional update: queued, or rendering
   with a lapsed lease (its worker died), becomes rendering with a fresh lease. A second
   delivery of the same task finds nothing to claim and stops.
3. If the pack's inputs hash the same as the last ready version, the build is dropped: no
   new version. Otherwise the PDF is written to a new file, and only then does the row
   become ready, with the next version number. Until that moment the meeting page serves
   the previous version; a failure or a kill never touches it.
4. A problem an officer must fix marks the build failed with a message that says what to
   fix. Anything else propagates to the task, which retries with backoff.
"""

import hashlib
import logging
import os
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from committee.models import AgendaPack, Meeting
from core import outbox
from core.dates import long_date
from core.history import Person

from .content import PackContentError, gather, kinds_needed
from .selectors import lease_seconds
from .tasks import build_agenda_pack, prerender_papers

logger = logging.getLogger(__name__)

Kind, Scope, Status = AgendaPack.Kind, AgendaPack.Scope, AgendaPack.Status


class PackBusy(Exception):
    """Another worker holds this build's lease; try again when it runs out."""

    def __init__(self, retry_in: float):
        super().__init__(f"Another worker is building this pack; retry in {retry_in:.0f}s")
        self.retry_in = retry_in


# Requests ---------------------------------------------------------------------------------


# A queued build whose message reached the queue this long ago, and that no worker has taken,
# may have lost it (a broker restarted without its data; the demo's filesystem broker loses a
# message a killed worker had fetched): it is sent again. Longer than Redis's visibility
# timeout, after which an unacknowledged message comes back by itself.
RESEND_AFTER = timedelta(minutes=20)


def _to_send_q(now) -> Q:
    """The builds that no message in the queue stands for: queued and never sent (the queue
    was unreachable) or sent long ago; or rendering with a lapsed lease (its worker died or
    lost touch), not sent again since it lapsed. Requests and the sweep send by this one rule."""
    lost = Q(sent_at__isnull=True) | Q(sent_at__lt=now - RESEND_AFTER)
    return (Q(status=Status.QUEUED) & lost) | (
        Q(status=Status.RENDERING, lease_until__lt=now) & (lost | Q(sent_at__lt=F("lease_until")))
    )


def _send(pack_ids: list[int]) -> int:
    """Send builds to the worker, recording on each when its message reached the queue.
    Returns how many were sent. Never raises: the request that asked for them has committed
    (a publication stands), and a build left unsent is sent by the sweep."""
    sent = 0
    for pk in pack_ids:
        try:
            # No retries here: kombu's would keep the officer waiting, and the sweep retries.
            build_agenda_pack.apply_async((pk,), retry=False)
        except Exception:  # noqa: BLE001 - whatever the broker raises, the build waits unsent
            logger.exception(
                "Could not send agenda pack build %s to the message queue; it waits, unsent, for the sweep", pk
            )
            break  # the queue is unreachable: the next would only wait as long to fail
        AgendaPack.objects.filter(pk=pk).update(sent_at=timezone.now())
        sent += 1
    return sent


def _send_after_commit(pack_ids: list[int]) -> None:
    """Once the transaction commits (so that the worker finds the rows), send those of these
    builds that need sending: new ones, and waiting ones the queue never got."""

    def send() -> None:
        ids = AgendaPack.objects.filter(_to_send_q(timezone.now()), pk__in=pack_ids).order_by("pk")
        _send(list(ids.values_list("pk", flat=True)))

    transaction.on_commit(send, robust=True)  # logged, never raised: the request has committed


def pack_request(
    *, meeting: Meeting, kind: str, scope: str = Scope.FULL, requested_by=None, send: bool = True
) -> AgendaPack:
    """Ask for a build of one pack of a meeting. Before publication it is a preview.
    `send=False`: the caller sends it (`_send_after_commit`), with others."""
    preview = not meeting.is_published
    pack = AgendaPack(meeting=meeting, kind=kind, scope=scope, is_preview=preview, requested_by=requested_by)
    pack.full_clean(validate_constraints=False)
    try:
        # The insert comes first: the one-queued constraint decides, under any race.
        with transaction.atomic():
            pack.save()
    except IntegrityError:
        # A build of this pack is already waiting: the two requests coalesce into it (and it
        # is sent if the queue never got it).
        pack = AgendaPack.objects.get(meeting=meeting, kind=kind, scope=scope, is_preview=preview, status=Status.QUEUED)
    if send:
        _send_after_commit([pack.pk])
    return pack


def packs_request_for_meeting(*, meeting: Meeting, requested_by=None) -> list[AgendaPack]:
    """The public pack, and the confidential one when there are Part II papers for it
    (content.kinds_needed); and, once items have been added after publication, the
    supplementary packs as well as new full versions (domain rules 4)."""
    scopes = [Scope.FULL]
    if meeting.is_published and meeting.items.filter(added_after_publication_at__isnull=False).exists():
        scopes.append(Scope.SUPPLEMENTARY)
    packs = [
        pack_request(meeting=meeting, kind=kind, scope=scope, requested_by=requested_by, send=False)
        for scope in scopes
        for kind in kinds_needed(meeting, scope)
    ]
    _send_after_commit([pack.pk for pack in packs])
    return packs


def on_agenda_published(*, meeting_id: int, requested_by_id: int | None = None) -> None:
    """committee.services calls this after an agenda's publication commits."""
    from django.contrib.auth import get_user_model

    meeting = Meeting.objects.get(pk=meeting_id)
    by = get_user_model().objects.filter(pk=requested_by_id).first() if requested_by_id else None
    packs_request_for_meeting(meeting=meeting, requested_by=by)


# The build --------------------------------------------------------------------------------


def _claim(pack_id: int) -> AgendaPack | None:
    """Claim the build for this worker; None if there is nothing (left) to do."""
    now = timezone.now()
    claimed = (
        AgendaPack.objects.filter(pk=pack_id)
        .filter(Q(status=Status.QUEUED) | Q(status=Status.RENDERING, lease_until__lt=now))
        .update(
            status=Status.RENDERING,
            lease_until=now + timedelta(seconds=lease_seconds()),
            started_at=now,
            attempts=F("attempts") + 1,
            progress=1,
            progress_note="Started",
            error="",
        )
    )
    # With what every paper and the front sheet print of the meeting (content.gather).
    pack = (
        AgendaPack.objects.filter(pk=pack_id)
        .select_related("meeting__committee", "meeting__venue", "meeting__signing_officer")
        .first()
    )
    if claimed:
        return pack
    if pack is not None and pack.status == Status.RENDERING and pack.lease_until:
        raise PackBusy(max(1.0, (pack.lease_until - now).total_seconds() + 1))
    return None  # ready, failed, or dropped as unchanged: done


def _mine(pack: AgendaPack):
    """Still this worker's claim (a worker that lost its lease must not overwrite)."""
    return AgendaPack.objects.filter(pk=pack.pk, status=Status.RENDERING, attempts=pack.attempts)


def _latest_ready(pack: AgendaPack) -> AgendaPack | None:
    """The version served for this pack. A withdrawn version is not: a rebuild after a
    withdrawal makes a new version even when its inputs hash the same."""
    return (
        AgendaPack.objects.filter(
            meeting_id=pack.meeting_id,
            kind=pack.kind,
            scope=pack.scope,
            is_preview=pack.is_preview,
            status=Status.READY,
            withdrawn_at__isnull=True,
        )
        .order_by("-number")
        .first()
    )


def pack_build(*, pack_id: int) -> AgendaPack | None:
    """Build one pack version (the worker's whole job). Returns the pack now served for it."""
    pack = _claim(pack_id)
    if pack is None:
        return None

    def progress(percent: int, note: str) -> None:
        _mine(pack).update(
            progress=percent,
            progress_note=note[:200],
            lease_until=timezone.now() + timedelta(seconds=lease_seconds()),
        )

    def tick() -> None:
        _mine(pack).update(lease_until=timezone.now() + timedelta(seconds=lease_seconds()))

    cpu = _cpu_seconds()  # the machine is shared: what the build cost, beside how long it took
    if pack.kind not in kinds_needed(pack.meeting, pack.scope):
        # A confidential build asked for when the meeting had Part II papers, which it no
        # longer has (or asked for before the packs were built only then): nobody needs it.
        # Versions already made stay as they are, downloadable at their addresses.
        _mine(pack).delete()
        return _latest_ready(pack)
    try:
        content = gather(pack.meeting, kind=pack.kind, scope=pack.scope)
        latest = _latest_ready(pack)
        if latest is not None and latest.input_hash == content.digest:
            # Nothing has changed since the last good version: no new version.
            _mine(pack).delete()
            return latest
        _mine(pack).update(input_hash=content.digest)
        from . import builder  # WeasyPrint and pikepdf load in the worker only

        # Pre-assembled before publication from exactly this content, or built now.
        result = builder.preassembled(content) or builder.build(content, progress=progress, tick=tick)
        result.timings["cpu_seconds"] = round(_cpu_seconds() - cpu, 3)
        progress(96, "Saving")
        pack.file.save("pack.pdf", ContentFile(result.pdf), save=False)
        return _finish(pack, result, content.digest, content.carried)
    except PackContentError as exc:
        # The message (for the officer) may name papers: the log says only which build.
        logger.warning("Agenda pack build %s failed: a problem with the papers for the officer to fix", pack.pk)
        _mine(pack).update(
            status=Status.FAILED, error=str(exc), finished_at=timezone.now(), progress=0, progress_note="Failed"
        )
        return _latest_ready(pack)


def _cpu_seconds() -> float:
    """This process's CPU time and its finished children's (a build's renderers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


@transaction.atomic
def _finish(pack: AgendaPack, result, digest: str, carried: dict) -> AgendaPack:
    """Swap the pointer: the new file becomes the served version in one update."""
    # Write first, so that SQLite takes its write lock before reading (a read-then-write
    # transaction cannot wait for the lock); 0 rows means another worker took over.
    if not _mine(pack).update(progress_note="Publishing the new version"):
        pack.file.delete(save=False)
        return _latest_ready(pack)
    # One finisher per meeting at a time, so that version numbers and the unchanged check
    # see every other build's outcome.
    Meeting.objects.select_for_update().filter(pk=pack.meeting_id).first()
    latest = _latest_ready(pack)
    if latest is not None and latest.input_hash == digest:
        pack.file.delete(save=False)
        _mine(pack).delete()
        return latest
    number = (
        AgendaPack.objects.filter(
            meeting_id=pack.meeting_id, kind=pack.kind, scope=pack.scope, is_preview=pack.is_preview
        ).aggregate(n=Max("number"))["n"]
        or 0
    ) + 1
    data = result.pdf
    updated = _mine(pack).update(
        status=Status.READY,
        number=number,
        file=pack.file.name,
        pages=result.pages,
        size=len(data),
        checksum=hashlib.sha256(data).hexdigest(),
        page_ranges=result.ranges,
        front_pages=result.front_pages,
        timings=result.timings,
        carried=carried,
        progress=100,
        progress_note="Ready",
        finished_at=timezone.now(),
        lease_until=None,
    )
    if not updated:
        # Our lease ran out and another worker took the build over: its file wins.
        pack.file.delete(save=False)
        return _latest_ready(pack)
    ready = AgendaPack.objects.select_related("meeting").get(pk=pack.pk)
    if not ready.is_preview and _withdraw_no_longer_readable([ready], by=None):
        # Its papers were gathered before an officer's change took something away from its
        # readers (an item made Part II while it was rendered): the change withdrew the
        # versions ready then; this one goes too, and a version without it is built.
        logger.info("Agenda pack build %s was withdrawn as it became ready: its papers changed meanwhile", pack.pk)
        pack_request(meeting=ready.meeting, kind=pack.kind, scope=pack.scope)
        return _latest_ready(pack)
    from committee import gate  # the gate reads the packs' models; imported where used

    if pack.scope == Scope.SUPPLEMENTARY and not gate.is_restricted(pack):
        # A new public supplementary pack is itself news (subscribers are told of the
        # papers it adds), in this transaction: the gate's rule for a pack's file decides.
        outbox.record(kind=outbox.Kind.SUPPLEMENTARY_PACK, meeting=pack.meeting, pack_id=pack.pk, number=number)
    # Ids and figures only: a title or a paper's words could be Part II (no Part II text in logs).
    logger.info(
        "Agenda pack build %s ready: meeting %s, %s %s, version %s, %s pages in %.1f s",
        pack.pk, pack.meeting_id, pack.kind, pack.scope, number, result.pages,
        result.timings.get("total_seconds", 0),
        extra={"pack_id": pack.pk, "meeting_id": pack.meeting_id, "pages": result.pages},
    )  # fmt: skip
    return AgendaPack.objects.get(pk=pack.pk)


# Withdrawal -------------------------------------------------------------------------------


def pack_withdraw(*, pack: AgendaPack, by: Person, reason: str) -> AgendaPack:
    """Withdraw a ready version: its address answers 410 with `reason` (which the public reads:
    it must reveal nothing exempt) and a link to the current version. The file is kept for
    officers (domain rules 10). Who, when and why are recorded on the version."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError(
            {"reason": "Say why the version is withdrawn (the public will read it)."}, code="required"
        )
    updated = AgendaPack.objects.filter(pk=pack.pk, status=Status.READY, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=by, withdrawal_reason=reason
    )
    if not updated:
        raise ValidationError("This version is not a ready version, or it has already been withdrawn.", code="invalid")
    pack.refresh_from_db()
    return pack


def _no_longer_readable(packs: list[AgendaPack]) -> dict[int, list[str]]:
    """For each version, the numbers of the items under which it printed what its own readers
    (the public; a confidential version's committee) may no longer read: an item or appendix
    made Part II or confidential, or moved off a published agenda; a minute it reprints,
    taken out of published minutes or of such an item. Asked of the gate, not worked out from
    what changed, so that any path that changes papers (the admin, an import, the shell) is
    caught, and nothing depends on seeing the old value."""
    from committee import gate
    from committee.models import AgendaItem, Appendix, Minute

    from .content import reader_for_kind

    rules = {
        "items": (AgendaItem, gate.item_q),
        "appendices": (Appendix, gate.appendix_q),
        "minutes": (Minute, gate.minute_q),
    }
    readers: dict[gate.Reader, list[AgendaPack]] = {}
    for pack in packs:
        readers.setdefault(reader_for_kind(pack.kind, pack.meeting), []).append(pack)
    gone: dict[int, list[str]] = {}
    for reader, group in readers.items():
        readable = {
            what: set(
                model.objects.filter(
                    rule(reader), pk__in={int(pk) for pack in group for pk in pack.carried.get(what, {})}
                ).values_list("pk", flat=True)
            )
            for what, (model, rule) in rules.items()
        }
        compared = _readable_rows(reader, {row for pack in group for row in pack.carried.get("compared", {})})
        for pack in group:
            numbers = {
                number
                for what in rules
                for pk, number in pack.carried.get(what, {}).items()
                if int(pk) not in readable[what]
            }
            numbers |= {number for row, number in pack.carried.get("compared", {}).items() if row not in compared}
            if numbers:
                gone[pack.pk] = sorted(numbers)
    return gone


def _readable_rows(reader, rows: set[str]) -> set[str]:
    """Of structured rows named as forms name them ("risks.registersnapshot:12"), those `reader`
    may read (committee.gate.structured_readable): one query a model."""
    from django.apps import apps

    from committee import gate

    wanted: dict[str, set[int]] = {}
    for row in rows:
        label, _, pk = row.partition(":")
        wanted.setdefault(label, set()).add(int(pk))
    return {
        f"{label}:{pk}"
        for label, pks in wanted.items()
        for pk in gate.structured_readable(reader, apps.get_model(label))
        .filter(pk__in=pks)
        .values_list("pk", flat=True)
    }


def _declarations_changed(packs: list[AgendaPack]) -> dict[int, list[str]]:
    """For each version, the numbers of the items under which it printed a declaration of
    interest that the public no longer reads as it printed it (made sensitive, deleted, moved,
    its nature corrected). Every version prints declarations as the public reads them (a print
    has no reader of its own: content._gather), confidential ones too."""
    from interests import selectors as interests_selectors

    ids = {int(pk) for pack in packs for pk in pack.carried.get("declarations", {})}
    now = interests_selectors.printed_now(ids) if ids else {}
    changed: dict[int, list[str]] = {}
    for pack in packs:
        numbers = {
            number
            for pk, (number, printed) in pack.carried.get("declarations", {}).items()
            if now.get(int(pk)) != printed
        }
        if numbers:
            changed[pack.pk] = sorted(numbers)
    return changed


def _withdraw_no_longer_readable(packs: list[AgendaPack], by: Person | None) -> list[AgendaPack]:
    gone = _no_longer_readable(packs)
    changed = _declarations_changed(packs)
    now = timezone.now()
    withdrawn = []
    for pack in packs:
        reasons = []
        if numbers := gone.get(pack.pk):
            reasons.append(
                f"Papers printed in this version under {_items(numbers)} were reclassified as not for publication "
                f"(exempt or confidential information), or withdrawn, on {long_date(now)}."
            )
        if numbers := changed.get(pack.pk):
            reasons.append(
                f"A declaration of interest printed in this version under {_items(numbers)} was withheld or "
                f"corrected on {long_date(now)}."
            )
        if not reasons:
            continue
        if AgendaPack.objects.filter(pk=pack.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=now, withdrawn_by=by, withdrawal_reason=" ".join(reasons)
        ):
            withdrawn.append(pack)
    return withdrawn


def _items(numbers: list[str]) -> str:
    return "items " + ", ".join(numbers) if len(numbers) > 1 else f"item {numbers[0]}"


@transaction.atomic
def packs_withdraw_no_longer_readable(*, meeting: Meeting, by: Person | None = None) -> list[AgendaPack]:
    """Withdraw every version whose readers may no longer read something it prints (an item or
    appendix made Part II or confidential after publication, or moved off the agenda; a
    minute withdrawn; a row its figures were worked out against), of this meeting, of the
    meetings whose agendas print its minutes and every version whose figures were worked out
    against some row. Returns the versions withdrawn."""
    from committee.models import AgendaItem, Appendix

    meeting_ids = {meeting.pk, *AgendaItem.objects.filter(minutes_of=meeting).values_list("meeting_id", flat=True)}
    # Other meetings' versions whose figures were worked out against this meeting's structured
    # appendices (a later register snapshot's direction of travel against this one).
    rows = [
        f"{appendix.content_type.app_label}.{appendix.content_type.model}:{appendix.object_id}"
        for appendix in Appendix.objects.filter(
            report__agenda_item__meeting=meeting, kind=Appendix.Kind.STRUCTURED
        ).select_related("content_type")
    ]
    if rows:
        # What search reads of other meetings' appendices compared against these rows, too.
        from committee.services import structured_appendix_texts_refresh

        structured_appendix_texts_refresh(labels={row.partition(":")[0] for row in rows})
    # Every version whose figures were worked out against some row, whichever meeting's it
    # is: the row may have been public through an appendix this change re-pointed or removed,
    # which the rows above no longer name. Asking the gate of more versions withdraws none
    # that should stay (a handful: those printing a register's direction of travel).
    meeting_ids |= set(
        AgendaPack.objects.filter(carried__has_key="compared", status=Status.READY, withdrawn_at__isnull=True)
        .exclude(carried__compared={})
        .values_list("meeting_id", flat=True)
    )
    # Locked as a build's last step locks its meeting (_finish): a version that becomes ready
    # meanwhile is either found here or, ready once this has committed, asks the gate itself.
    list(Meeting.objects.select_for_update().filter(pk__in=meeting_ids).order_by("pk").values_list("pk", flat=True))
    packs = AgendaPack.objects.filter(
        meeting_id__in=meeting_ids, is_preview=False, status=Status.READY, withdrawn_at__isnull=True
    ).select_related("meeting")
    return _withdraw_no_longer_readable(list(packs), by)


def packs_after_papers_changed(*, meeting: Meeting, by: Person | None = None) -> list[AgendaPack]:
    """Every path that edits a meeting's papers calls this after saving. Before publication
    its papers are pre-rendered (below). After, public versions that print what is no longer
    public are withdrawn, and new versions are requested (an edit that changes nothing in a pack makes none: same input hash). The
    meetings whose agendas print this meeting's minutes are rebuilt too when a version of
    theirs was withdrawn."""
    if not meeting.is_published:
        papers_prerender_request(meeting=meeting)  # ready for the publication
    withdrawn = packs_withdraw_no_longer_readable(meeting=meeting, by=by)
    meetings = {meeting.pk: meeting} if meeting.is_published else {}
    meetings.update({pack.meeting_id: pack.meeting for pack in withdrawn})
    for each in meetings.values():
        packs_request_for_meeting(meeting=each, requested_by=by)
    return withdrawn


def packs_after_minutes_changed(*, meeting: Meeting, by: Person | None = None) -> list[AgendaPack]:
    """A meeting's minutes were corrected or deleted: the versions that reprint them (the
    agendas that confirm them) and print a minute no longer readable (taken out, or of an
    item made Part II) are withdrawn and built again. Returns the versions withdrawn."""
    withdrawn = packs_withdraw_no_longer_readable(meeting=meeting, by=by)
    for each in {pack.meeting_id: pack.meeting for pack in withdrawn}.values():
        packs_request_for_meeting(meeting=each, requested_by=by)
    return withdrawn


def pack_fail(*, pack_id: int, message: str) -> None:
    """Give up on a build (retries exhausted, time limit): the officer sees why."""
    AgendaPack.objects.filter(pk=pack_id, status__in=[Status.QUEUED, Status.RENDERING]).update(
        status=Status.FAILED, error=message, finished_at=timezone.now(), progress=0, progress_note="Failed"
    )


def pack_release(*, pack_id: int, note: str, retry_in: float = 0) -> None:
    """A transient failure: the task's retry claims the build again in `retry_in` seconds.
    The lease is held until then, so that the sweep does not send it sooner; should the
    retry be lost, the sweep sends the build once the lease lapses."""
    AgendaPack.objects.filter(pk=pack_id, status=Status.RENDERING).update(
        lease_until=timezone.now() + timedelta(seconds=retry_in), progress_note=note[:200]
    )


def packs_resume_interrupted(*, all_queued: bool = False) -> int:
    """The sweep: send the builds no message stands for (`_to_send_q`: never sent because the
    queue was unreachable, or interrupted, their lease lapsed). Celery beat runs it every
    minute (committee.tasks.resume_interrupted_builds), so that a build waits for the queue
    to come back, or is taken over about a lease after its worker died, not after Redis's
    visibility timeout. `all_queued`: every queued build as well (a worker that starts: the
    demo's filesystem broker loses messages). Returns how many were sent. A duplicate is
    harmless: only one delivery can claim a build."""
    now = timezone.now()
    wanted = _to_send_q(now) | Q(status=Status.QUEUED) if all_queued else _to_send_q(now)
    ids = AgendaPack.objects.filter(wanted).order_by("requested_at", "pk").values_list("pk", flat=True)
    return _send(list(ids))


# Pre-rendering ----------------------------------------------------------------------------
#
# Papers are known before publication. Each save of an unpublished meeting's papers asks for
# them to be rendered into the part cache in the background, so that the builds that follow
# publication find every paper, the stamp kits and the front sheets there and only put the
# packs together. Debounced: the task looks at the papers twice, `prerender_debounce_seconds`
# apart (papers_prerender_look, then papers_prerender), and renders only those that did not
# change in between; a paper still being edited is rendered by the task its next save sends.


def prerender_debounce_seconds() -> int:
    return settings.QUORUM_PACK_PRERENDER_DEBOUNCE_SECONDS


def papers_prerender_request(*, meeting: Meeting) -> None:
    """A paper of this unpublished meeting was saved: once that commits, ask the worker to
    pre-render its papers. Never raises: a pre-render that never runs costs only time at
    publication (the builds render what the cache lacks)."""
    if meeting.is_published:
        return
    meeting_id = meeting.pk

    def send() -> None:
        try:
            prerender_papers.apply_async((meeting_id,), retry=False)
        except Exception:  # noqa: BLE001 - whatever the broker raises, the save stands
            logger.warning("Could not ask for the papers of meeting %s to be pre-rendered", meeting_id, exc_info=True)

    transaction.on_commit(send, robust=True)


def _prerender_contents(meeting_id: int) -> list | None:
    """Both packs' contents as they will be read once published (the gate's readers "as if
    published"): the public pack's holds no Part II paper, so none is rendered for it. None
    when there is nothing to pre-render: the meeting is published (its builds render what
    they need at once) or gone, or its papers have a problem an officer must fix first (the
    build will say so)."""
    meeting = Meeting.objects.filter(pk=meeting_id).select_related("committee", "venue", "signing_officer").first()
    if meeting is None or meeting.is_published:
        return None
    try:
        return [gather(meeting, kind=kind, scope=Scope.FULL) for kind in kinds_needed(meeting)]
    except PackContentError as exc:
        logger.info("Meeting %s's papers are not pre-rendered: %s", meeting_id, exc)
        return None


def papers_prerender_look(*, meeting_id: int) -> list[str] | None:
    """The pre-render's first look at an unpublished meeting's papers: the content hash of
    every paper of both packs (the task looks again after the debounce), or None when there
    is nothing to pre-render."""
    contents = _prerender_contents(meeting_id)
    if contents is None:
        return None
    from . import builder  # WeasyPrint and pikepdf load in the worker only

    return sorted(builder.paper_keys(contents))


def papers_prerender(*, meeting_id: int, seen: list[str]) -> dict[str, list[str]] | None:
    """The pre-render itself, a debounce after the first look (`seen`, its hashes): render
    into the part cache the papers of both packs whose hash is the same as at that look (a
    paper changed since is rendered by the pre-render its save asked for), both stamp kits
    and, for a pack whose every paper is then at hand, its front sheet with the page ranges
    they give. Returns, for each pack kind, the parts its build will find in the cache; None
    when there is nothing to pre-render."""
    contents = _prerender_contents(meeting_id)
    if contents is None:
        return None
    from . import builder

    return builder.prerender(contents, unchanged=builder.paper_keys(contents) & set(seen))

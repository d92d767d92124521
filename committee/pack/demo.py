"""The demo's packs, built in the calling process so that `make run` opens with them ready
(the worker builds every later one)."""

from django.template.defaultfilters import pluralize

from committee.models import AgendaPack, Meeting

from .services import PackBusy, pack_build, packs_request_for_meeting


def build_demo_packs(*, stdout=None) -> list[AgendaPack]:
    """The packs of every published meeting the demo loads: the seed's (27 June and the 18
    April meeting it confirms the minutes of), the illustrative Part II agenda of 4 October
    and the upcoming one. Run again, it makes no new version: unchanged papers build none."""
    from committee.demo import COMMITTEE_SLUG

    built = []
    published = Meeting.objects.filter(committee__slug=COMMITTEE_SLUG, agenda_published_at__isnull=False)
    for meeting in published.select_related("committee").order_by("starts_at"):
        for pack in packs_request_for_meeting(meeting=meeting):
            served = build_here(pack, stdout=stdout)
            if served is not None:
                built.append(served)
        for failed in AgendaPack.objects.filter(meeting=meeting, status=AgendaPack.Status.FAILED, number__isnull=True):
            if stdout:
                stdout.write(f"Could not build {failed}: {failed.error}\n")
    return built


def build_here(pack: AgendaPack, *, stdout=None) -> AgendaPack | None:
    """Build one requested pack in this process, unless a worker already is: a second `make
    run` (another PORT) shares the first's database and queue, and the first's worker may
    take the request as soon as it is sent. That worker finishes it; nothing is lost."""
    try:
        served = pack_build(pack_id=pack.pk)
    except PackBusy:
        if stdout:
            stdout.write(f"{pack}: being built by a running worker\n")
        return None
    if served is not None and stdout:
        pages = f"{served.pages} page{pluralize(served.pages)}"
        stdout.write(f"{served}: {pages}, {served.get_status_display().lower()}\n")
    return served

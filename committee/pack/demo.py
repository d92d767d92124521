"""The demo meeting's packs, built in the calling process so that `make run` opens with
them ready (the worker builds every later one)."""

from committee.models import AgendaPack, Meeting

from .services import PackBusy, pack_build, packs_request_for_meeting

DEMO_MEETINGS = ("2018-06-27",)


def build_demo_packs(*, stdout=None) -> list[AgendaPack]:
    from committee.demo import demo_meeting

    built = []
    for key in DEMO_MEETINGS:
        try:
            meeting = demo_meeting(key)
        except Meeting.DoesNotExist:
            continue
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
        stdout.write(f"{served}: {served.pages} pages, {served.get_status_display().lower()}\n")
    return served

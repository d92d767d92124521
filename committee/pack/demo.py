"""The demo meeting's packs, built in the calling process so that `make run` opens with
them ready (the worker builds every later one)."""

from committee.models import AgendaPack, Meeting

from .services import pack_build, packs_request_for_meeting

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
            served = pack_build(pack_id=pack.pk)
            if served is not None:
                built.append(served)
                if stdout:
                    stdout.write(f"{served}: {served.pages} pages, {served.get_status_display().lower()}\n")
        for failed in AgendaPack.objects.filter(meeting=meeting, status=AgendaPack.Status.FAILED, number__isnull=True):
            if stdout:
                stdout.write(f"Could not build {failed}: {failed.error}\n")
    return built

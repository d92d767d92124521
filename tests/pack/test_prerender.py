"""Papers are rendered when they are saved, before publication, so that the packs built when
the agenda is published only put them together. What a build rendered is what it records
(`timings["papers_rendered"]`, `timings["front_sheet_rendered"]`): no mocks."""

from committee import services
from committee.models import Report
from committee.pack import services as pack_services

from .conftest import SECRET, build, make_agenda, page_texts, pdf_bytes


def _prerender(meeting) -> dict[str, list[str]]:
    """Both looks of the worker's pre-render, with no edit in between."""
    seen = pack_services.papers_prerender_look(meeting_id=meeting.pk)
    return pack_services.papers_prerender(meeting_id=meeting.pk, seen=seen)


def _publish(meeting, officer):
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    meeting.refresh_from_db()
    return meeting


def test_publishing_after_the_papers_were_prerendered_renders_nothing_again(committee, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # a part cache of this test's own: nothing rendered by other tests
    agenda = make_agenda(committee, officer, publish=False)
    ready = _prerender(agenda)
    assert "front-sheet" in ready["public"] and "front-sheet" in ready["confidential"]

    _publish(agenda, officer)
    public, confidential = build(agenda, "public"), build(agenda, "confidential")
    for pack in (public, confidential):
        assert pack.number == 1 and pack.timings["papers"] > 0
        assert pack.timings["papers_rendered"] == 0 and pack.timings["kit_seconds"] == 0
        assert pack.timings["front_sheet_rendered"] is False  # the page ranges were already known
    public_text = "\n".join(page_texts(pdf_bytes(public)))
    assert "Revenue Budget Monitoring Quarter 1" in public_text and SECRET not in public_text
    assert SECRET in "\n".join(page_texts(pdf_bytes(confidential)))


def test_a_paper_edited_after_its_prerender_is_rendered_again_at_publication(committee, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agenda = make_agenda(committee, officer, publish=False)
    _prerender(agenda)
    Report.objects.filter(agenda_item__meeting=agenda, title="Highways Maintenance Update").update(
        executive_summary="<p>Potholes were filled, and more were found after the papers were drafted.</p>"
    )

    _publish(agenda, officer)
    pack = build(agenda, "public")
    assert pack.timings["papers_rendered"] == 1
    assert "more were found after the papers were drafted" in " ".join(" ".join(page_texts(pdf_bytes(pack))).split())


def test_a_paper_that_changes_again_within_the_debounce_is_not_prerendered(committee, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agenda = make_agenda(committee, officer, publish=False)
    seen = pack_services.papers_prerender_look(meeting_id=agenda.pk)
    # The officer saves the report again before the debounce is over.
    Report.objects.filter(agenda_item__meeting=agenda, title="Highways Maintenance Update").update(
        executive_summary="<p>Potholes were filled; a second draft.</p>"
    )
    ready = pack_services.papers_prerender(meeting_id=agenda.pk, seen=seen)
    assert "item-5-report" not in ready["public"] and "item-4-report" in ready["public"]
    assert "front-sheet" not in ready["public"]  # its page ranges are not known yet

    # The pre-render the second save asked for renders it.
    ready = _prerender(agenda)
    assert "item-5-report" in ready["public"] and "front-sheet" in ready["public"]
    _publish(agenda, officer)
    assert build(agenda, "public").timings["papers_rendered"] == 0


def test_part_ii_papers_are_prerendered_only_for_the_confidential_pack(committee, officer, settings, tmp_path):
    """Gate: the public pack's pre-render reads as the public will once published, so a Part II
    paper is rendered for the confidential pack alone and never reaches the public pack."""
    settings.MEDIA_ROOT = tmp_path
    agenda = make_agenda(committee, officer, publish=False)
    ready = _prerender(agenda)
    assert "item-7-report" in ready["confidential"]
    assert not [name for name in ready["public"] if name.startswith("item-7")]

    _publish(agenda, officer)
    public = build(agenda, "public")
    assert public.timings["papers_rendered"] == 0
    texts = page_texts(pdf_bytes(public))
    assert SECRET not in "\n".join(texts)
    assert "7" not in public.page_ranges  # listed by title and paragraph, no pages


def test_saving_a_paper_of_an_unpublished_meeting_asks_for_a_prerender_not_a_build(
    committee, officer, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    agenda = make_agenda(committee, officer, publish=False)
    with django_capture_on_commit_callbacks() as callbacks:
        withdrawn = pack_services.packs_after_papers_changed(meeting=agenda, by=officer)
    assert withdrawn == [] and len(callbacks) == 1  # the pre-render's message, sent once committed
    assert not agenda.packs.exists()  # no build (nor preview) is made by a save before publication

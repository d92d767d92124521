"""Papers are rendered when they are saved, before publication, so that the packs built when
the agenda is published only put them together. What a build rendered is what it records
(`timings["papers_rendered"]`, `timings["front_sheet_rendered"]`): no mocks."""

import hashlib
import io
import json
import os
import time
from pathlib import Path

from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command

from committee import services
from committee.models import AgendaItem, Meeting, Report
from committee.pack import builder
from committee.pack import services as pack_services
from committee.pack.content import gather
from interests.models import NoneDeclared
from tests.factories import exempt

from .conftest import SECRET, build, flat, make_agenda, pack_text, page_texts, pdf_bytes


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
    public_text = pack_text(pdf_bytes(public))
    assert "Revenue Budget Monitoring Quarter 1" in public_text and SECRET not in public_text
    assert SECRET in pack_text(pdf_bytes(confidential))


def test_a_paper_edited_after_its_prerender_is_rendered_again_at_publication(committee, officer, settings, tmp_path):
    """Edited without a pre-render after it (a worker that never ran it): the pack pre-assembled
    before the edit is stale, and never served."""
    settings.MEDIA_ROOT = tmp_path
    agenda = make_agenda(committee, officer, publish=False)
    _prerender(agenda)
    Report.objects.filter(agenda_item__meeting=agenda, title="Highways Maintenance Update").update(
        executive_summary="<p>Potholes were filled, and more were found after the papers were drafted.</p>"
    )

    _publish(agenda, officer)
    pack = build(agenda, "public")
    assert pack.timings["preassembled"] is False and pack.timings["papers_rendered"] == 1
    assert "more were found after the papers were drafted" in pack_text(pdf_bytes(pack))


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
    assert SECRET not in pack_text(pdf_bytes(public))
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


# Pre-assembled packs: the pre-render also puts each whole pack together and keeps it, and the
# publication's build publishes that file when it is exactly what the pack would now contain.


def _kept_file(meeting, kind) -> str:
    """The name of the pre-assembled pack kept for this pack's content as it is now."""
    record = default_storage.open(builder._record_name(builder.assembly_key(_content(meeting, kind)))).read()
    return json.loads(record)["file"]


def _content(meeting, kind):
    meeting = Meeting.objects.get(pk=meeting.pk)
    return gather(meeting, kind=kind, scope="full")


def test_a_publication_after_the_preassembly_publishes_the_preassembled_packs(committee, officer, settings, tmp_path):
    """The meeting recorded that no interests were disclosed: the front sheet says so once
    published, and the pre-assembled one (made before) already does, so it is the one served."""
    settings.MEDIA_ROOT = tmp_path
    agenda = make_agenda(committee, officer, publish=False)
    NoneDeclared.objects.create(meeting=agenda)
    ready = _prerender(agenda)
    assert "pack" in ready["public"] and "pack" in ready["confidential"]
    kept = {kind: default_storage.open(_kept_file(agenda, kind)).read() for kind in ("public", "confidential")}

    _publish(agenda, officer)
    for kind in ("public", "confidential"):
        pack = build(agenda, kind)
        assert pack.number == 1 and pack.timings["preassembled"] is True  # not rendered, not assembled
        assert pack.timings["papers_rendered"] == 0 and pack.timings["front_sheet_rendered"] is False
        served = pdf_bytes(pack)
        assert served == kept[kind] and pack.checksum == hashlib.sha256(served).hexdigest()
        texts = page_texts(served)
        assert pack.pages == len(texts)
        text = flat(" ".join(texts))
        assert "No pecuniary or non-pecuniary interests were disclosed." in text
        assert (SECRET in text) is (kind == "confidential")
    assert "Revenue Budget Monitoring Quarter 1" in pack_text(pdf_bytes(build(agenda, "public")))


def test_a_damaged_or_missing_preassembled_pack_is_built_instead(committee, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agenda = make_agenda(committee, officer, publish=False)
    _prerender(agenda)
    damaged = Path(default_storage.path(_kept_file(agenda, "public")))
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte flipped in the middle: still looks like a PDF
    damaged.write_bytes(bytes(data))
    kept = default_storage.open(_kept_file(agenda, "confidential")).read()
    default_storage.delete(_kept_file(agenda, "confidential"))

    _publish(agenda, officer)
    public, confidential = build(agenda, "public"), build(agenda, "confidential")
    for pack in (public, confidential):
        assert pack.status == "ready" and pack.timings["preassembled"] is False
        assert pack.timings["papers_rendered"] == 0  # its papers came from the part cache
    public_text, confidential_text = pack_text(pdf_bytes(public)), pack_text(pdf_bytes(confidential))
    assert "Revenue Budget Monitoring Quarter 1" in public_text and "Potholes were filled." in public_text
    assert SECRET not in public_text and SECRET in confidential_text
    assert public.pages == len(page_texts(pdf_bytes(public)))
    # Built again at publication, the same file as was pre-assembled (packs are reproducible).
    assert pdf_bytes(confidential) == kept


def test_a_pack_preassembled_by_other_assembly_code_is_not_published(
    committee, officer, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    agenda = make_agenda(committee, officer, publish=False)
    _prerender(agenda)
    # The assembly code changed (a deployment) between the pre-render and the publication.
    monkeypatch.setattr(builder, "ASSEMBLY_VERSION", builder.ASSEMBLY_VERSION + "-changed")

    _publish(agenda, officer)
    pack = build(agenda, "public")
    assert pack.timings["preassembled"] is False and pack.timings["papers_rendered"] == 0


def test_an_item_made_part_ii_after_the_preassembly_is_not_in_the_public_pack(committee, officer, settings, tmp_path):
    """Gate: the public pack kept before the item was reclassified printed its report; the
    publication's public pack must not, nor be that file."""
    settings.MEDIA_ROOT = tmp_path
    agenda = make_agenda(committee, officer, publish=False)
    _prerender(agenda)
    kept = default_storage.open(_kept_file(agenda, "public")).read()
    assert "Potholes were filled." in pack_text(kept)
    exempt(AgendaItem.objects.get(meeting=agenda, number="5"), 3)

    _publish(agenda, officer)
    public = build(agenda, "public")
    served = pdf_bytes(public)
    assert public.timings["preassembled"] is False and served != kept
    text = pack_text(served)
    assert "Highways Maintenance Update" in text  # listed by its title and paragraph
    assert "Potholes were filled." not in text and "5" not in public.page_ranges
    confidential = build(agenda, "confidential")
    assert "Potholes were filled." in pack_text(pdf_bytes(confidential))


def _kept_files(root: Path) -> dict[str, int]:
    """How many pre-assembled packs (PDFs and records) the part cache holds."""
    parts = root / "packs" / "parts"
    return {"pdfs": len(list(parts.glob("*/*.pack.pdf"))), "records": len(list(parts.glob("*/*.assembled.json")))}


def test_only_the_latest_preassembled_pack_of_each_kind_is_kept(committee, officer, settings, tmp_path):
    """Each save of an agenda pre-assembles both packs again: the ones before, for an agenda
    that is no longer, are removed rather than kept (tens of megabytes each) until the prune."""
    settings.MEDIA_ROOT = tmp_path
    agenda = make_agenda(committee, officer, publish=False)
    _prerender(agenda)
    first = {kind: _kept_file(agenda, kind) for kind in ("public", "confidential")}
    assert _kept_files(tmp_path) == {"pdfs": 2, "records": 2}
    Report.objects.filter(agenda_item__meeting=agenda, title="Highways Maintenance Update").update(
        executive_summary="<p>Potholes were filled, and more were found after the papers were drafted.</p>"
    )
    ready = _prerender(agenda)
    assert "pack" in ready["public"] and "pack" in ready["confidential"]

    assert _kept_files(tmp_path) == {"pdfs": 2, "records": 2}  # one pack of each kind, not four
    for kind in ("public", "confidential"):
        assert not default_storage.exists(first[kind]) and default_storage.exists(_kept_file(agenda, kind))
    _publish(agenda, officer)
    for kind in ("public", "confidential"):
        pack = build(agenda, kind)
        assert pack.timings["preassembled"] is True
        served = pdf_bytes(pack)
        assert served == default_storage.open(_kept_file(agenda, kind)).read()
        assert "more were found after the papers were drafted" in pack_text(served)
        # The version published is a file of its own, which no later pre-assembly removes.
        assert not pack.file.name.startswith("packs/parts/") and hashlib.sha256(served).hexdigest() == pack.checksum


def test_a_prerender_of_an_agenda_whose_packs_are_kept_does_not_read_them_again(
    committee, officer, settings, tmp_path, monkeypatch
):
    """A save that changes nothing the packs print (an officer saving twice) sends a pre-render
    that finds both packs kept: it neither reads their PDFs (tens of megabytes each for a long
    agenda) nor assembles them again, and the publication still serves them."""
    settings.MEDIA_ROOT = tmp_path
    agenda = make_agenda(committee, officer, publish=False)
    _prerender(agenda)
    kept = {kind: _kept_file(agenda, kind) for kind in ("public", "confidential")}
    opened = []
    storage_open = FileSystemStorage._open

    def recording_open(storage, name, mode="rb"):
        opened.append(name)
        return storage_open(storage, name, mode)

    monkeypatch.setattr(FileSystemStorage, "_open", recording_open)
    ready = _prerender(agenda)
    assert "pack" in ready["public"] and "pack" in ready["confidential"]
    assert not [name for name in opened if name.endswith(".pack.pdf")]
    assert {kind: _kept_file(agenda, kind) for kind in kept} == kept  # not assembled again

    _publish(agenda, officer)
    for kind in kept:
        pack = build(agenda, kind)
        assert pack.timings["preassembled"] is True and pdf_bytes(pack) == default_storage.open(kept[kind]).read()


def test_a_prerender_assembles_again_a_kept_pack_that_is_gone_or_prints_an_old_template(
    committee, officer, settings, tmp_path, monkeypatch
):
    """The pre-render looks only at the kept pack's record, not its PDF: a record whose file has
    gone, or whose stamp kit is not the one the templates draw now (a deployment since), is no
    kept pack, and the pack is assembled again for the publication."""
    from committee.pack import stamps

    settings.MEDIA_ROOT = tmp_path
    agenda = make_agenda(committee, officer, publish=False)
    _prerender(agenda)
    default_storage.delete(_kept_file(agenda, "public"))
    kit_html = stamps.kit_html
    monkeypatch.setattr(stamps, "kit_html", lambda kit: kit_html(kit).replace("</body>", "<!-- new --></body>"))
    printed = builder._record(builder.assembly_key(_content(agenda, "confidential")))["printed"]

    _prerender(agenda)
    assert default_storage.exists(_kept_file(agenda, "public"))
    # Assembled again for the kit the templates draw now (the file itself may be the same bytes:
    # a comment prints nothing, and packs are reproducible).
    assert builder._record(builder.assembly_key(_content(agenda, "confidential")))["printed"] != printed
    _publish(agenda, officer)
    for kind in ("public", "confidential"):
        assert build(agenda, kind).timings["preassembled"] is True


def test_a_pack_preassembled_with_another_stamp_kit_template_is_not_published(
    committee, officer, settings, tmp_path, monkeypatch
):
    """The stamp kit's template (the Part II marking, the page numbers) changed between the
    pre-render and the publication: the kept pack would print the old stamps."""
    from committee.pack import stamps

    settings.MEDIA_ROOT = tmp_path
    agenda = make_agenda(committee, officer, publish=False)
    _prerender(agenda)
    kit_html = stamps.kit_html
    monkeypatch.setattr(stamps, "kit_html", lambda kit: kit_html(kit).replace("</body>", "<!-- new --></body>"))

    _publish(agenda, officer)
    pack = build(agenda, "confidential")
    assert pack.timings["preassembled"] is False and pack.timings["papers_rendered"] == 0


def test_a_pack_preassembled_with_another_front_sheet_as_printed_is_not_published(
    committee, officer, settings, tmp_path, monkeypatch
):
    """What the front sheet prints with its page ranges changed (the filter that writes them),
    though with no ranges it is the same: the kept pack's front sheet would be the old one."""
    from committee.pack.content import PackContent

    settings.MEDIA_ROOT = tmp_path
    agenda = make_agenda(committee, officer, publish=False)
    _prerender(agenda)
    front_sheet_html = PackContent.front_sheet_html

    def with_pages_written_anew(content, ranges):
        html = front_sheet_html(content, ranges)
        return html.replace("(Pages ", "(pp. ") if ranges else html

    monkeypatch.setattr(PackContent, "front_sheet_html", with_pages_written_anew)

    _publish(agenda, officer)
    pack = build(agenda, "public")
    assert pack.timings["preassembled"] is False and pack.timings["papers_rendered"] == 0
    assert "(pp. " in pack_text(pdf_bytes(pack))


def test_the_assembly_version_covers_the_pdf_cleaning(monkeypatch):
    """clean_pdf (committee/pdfsafety.py) is applied to every part of a pack: a change to it
    changes what a pack holds, and so the version of the assembly code."""
    read_bytes = Path.read_bytes
    before = builder._assembly_version()
    monkeypatch.setattr(
        Path, "read_bytes", lambda p: read_bytes(p) + (b"# changed" if p.name == "pdfsafety.py" else b"")
    )
    assert builder._assembly_version() != before


def test_the_nightly_prune_removes_old_preassembled_packs_and_a_publication_then_builds(
    committee, officer, settings, tmp_path
):
    """docs/packs.md: the kept packs, their records and the pointers to the latest are parts of
    the cache, pruned by age like the papers; a publication after the prune builds its packs."""
    settings.MEDIA_ROOT = tmp_path
    agenda = make_agenda(committee, officer, publish=False)
    _prerender(agenda)
    parts = tmp_path / "packs" / "parts"
    pointers = list(parts.glob("latest/*.json"))
    assert _kept_files(tmp_path) == {"pdfs": 2, "records": 2} and len(pointers) == 2
    long_ago = time.time() - 100 * 86400
    for path in parts.rglob("*"):
        if path.is_file():
            os.utime(path, (long_ago, long_ago))

    call_command("prune_pack_cache", days=90, stdout=io.StringIO())
    assert _kept_files(tmp_path) == {"pdfs": 0, "records": 0}
    assert not any(path.exists() for path in pointers)

    _publish(agenda, officer)
    public = build(agenda, "public")
    assert public.status == "ready" and public.timings["preassembled"] is False
    assert "Revenue Budget Monitoring Quarter 1" in pack_text(pdf_bytes(public))

"""The part cache (packs/parts/) is pruned by age, and nothing served is ever lost by it; a
paper rendered with other fonts is never taken from it."""

import io
import os
import shutil
import time
from pathlib import Path

import pikepdf
import pytest
from django.core.management import CommandError, call_command

from committee.models import Report
from committee.pack import builder, fonts, render
from committee.pack.content import gather

from .conftest import build, make_agenda, pack_text, pdf_bytes


def test_pruning_removes_old_parts_only_and_a_rebuild_renders_them_again(committee, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # a part cache of this test's own
    agenda = make_agenda(committee, officer, publish=True)
    pack = build(agenda, "public")
    parts = sorted((tmp_path / "packs" / "parts").rglob("*.pdf"))
    assert len(parts) >= 4  # the papers, the stamp kit and the front sheet
    old, recent = parts[:-1], parts[-1]
    long_ago = time.time() - 100 * 86400
    for path in old:
        os.utime(path, (long_ago, long_ago))

    out = io.StringIO()
    call_command("prune_pack_cache", days=90, stdout=out)
    assert f"Removed {len(old)} cached parts written more than 90 days ago." in out.getvalue()
    assert [p for p in parts if p.exists()] == [recent]
    assert Path(pack.file.path).exists() and "Revenue Budget" in pack_text(pdf_bytes(pack))

    # The next build renders again what it needs, the pruned papers included.
    Report.objects.filter(agenda_item__meeting=agenda, title="Highways Maintenance Update").update(
        executive_summary="<p>Potholes were filled, and more were found.</p>"
    )
    again = build(agenda, "public")
    assert again.number == 2
    assert again.timings["papers_rendered"] >= again.timings["papers"] - 1  # all but the one kept, if a paper
    assert "more were found" in pack_text(pdf_bytes(again))


def test_pruning_refuses_a_nonsense_age(db):
    with pytest.raises(CommandError, match="1 or more"):
        call_command("prune_pack_cache", days=0)


def _system_font_files(*prefixes: str) -> list[str]:
    """The files of the fonts the papers name that this host has (bin/system-check installs
    them), by file name."""
    return [path for path in fonts.files() if Path(path).name.startswith(prefixes)]


def _fonts_of_this_host(monkeypatch, folder: Path, files: list[str]) -> None:
    """Render as a worker started on a host whose only fonts are these files: a Fontconfig
    configuration of their folder (copied there now, so with new times), which the next
    render loads afresh, as a new process would."""
    folder.mkdir()
    for path in files:
        shutil.copy(path, folder)
    conf = folder.parent / f"{folder.name}.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
        f"<fontconfig><dir>{folder}</dir><cachedir>{folder}.cache</cachedir></fontconfig>"
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    monkeypatch.setattr(render, "_fonts", None)
    monkeypatch.setattr(render, "_sheets", {})


def _embedded_fonts(data: bytes) -> set[str]:
    """The fonts a PDF embeds, without their subset prefixes ("Liberation-Sans-Bold"; the
    uploaded letter's own "DejaVu-Serif" among them)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return {
            str(obj.BaseFont).lstrip("/").split("+")[-1]
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font" and "/BaseFont" in obj
        }


def test_papers_rendered_with_other_fonts_are_rendered_again_and_the_same_fonts_reuse_them(
    committee, officer, settings, tmp_path, monkeypatch
):
    """A pack never mixes papers rendered with two sets of fonts: a host whose fonts differ
    (here, Liberation Sans missing, so the papers fall back to DejaVu Sans) renders every
    paper again, where one with the same font files, wherever they are and whenever they were
    installed, finds them in the cache."""
    settings.MEDIA_ROOT = tmp_path / "media"  # a part cache of this test's own
    agenda = make_agenda(committee, officer, publish=True)
    liberation, dejavu = _system_font_files("LiberationSans-"), _system_font_files("DejaVuSans.", "DejaVuSans-")
    assert liberation and dejavu

    _fonts_of_this_host(monkeypatch, tmp_path / "host-a", liberation + dejavu)
    first = builder.build(gather(agenda, kind="public", scope="full"))
    assert first.timings["papers_rendered"] == first.timings["papers"] > 3
    assert {"Liberation-Sans", "Liberation-Sans-Bold"} <= _embedded_fonts(first.pdf)
    key, assembled = (
        render.cache_key("<p>Quorum</p>"),
        builder.assembly_key(gather(agenda, kind="public", scope="full")),
    )

    _fonts_of_this_host(monkeypatch, tmp_path / "host-b", liberation + dejavu)
    same = builder.build(gather(agenda, kind="public", scope="full"))
    assert same.timings["papers_rendered"] == 0 and same.timings["kit_seconds"] == 0
    assert not same.timings["front_sheet_rendered"]
    assert same.pdf == first.pdf
    assert render.cache_key("<p>Quorum</p>") == key

    _fonts_of_this_host(monkeypatch, tmp_path / "host-c", dejavu)
    other = builder.build(gather(agenda, kind="public", scope="full"))
    assert other.timings["papers_rendered"] == other.timings["papers"]
    assert other.timings["kit_seconds"] > 0 and other.timings["front_sheet_rendered"]
    embedded = _embedded_fonts(other.pdf)
    assert {"DejaVu-Sans", "DejaVu-Sans-Bold"} <= embedded and not any("Liberation" in name for name in embedded)
    assert render.cache_key("<p>Quorum</p>") != key
    assert builder.assembly_key(gather(agenda, kind="public", scope="full")) != assembled


def test_a_build_warms_its_renderers_though_its_cache_keys_loaded_the_fonts_first():
    """A build makes its papers' cache keys (which load the fonts, for their fingerprint)
    before it starts its renderers: the warm-up still renders once, so that the renderers
    forked after it inherit the parsed stylesheet instead of each parsing it again. In a new
    process, as a build's first."""
    import subprocess
    import sys

    script = (
        "import django; django.setup(); from committee.pack import render; "
        "render.cache_key('<p>x</p>'); render.warm_up(); print(len(render._sheets))"
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2]
    )
    assert done.stdout.split()[-1] == "1"

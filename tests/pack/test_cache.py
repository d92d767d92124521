"""The part cache (packs/parts/) is pruned by age, and nothing served is ever lost by it."""

import io
import os
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from committee.models import Report

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

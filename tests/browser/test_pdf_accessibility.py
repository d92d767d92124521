"""The public pack is a tagged PDF (SI 2018/952; domain rules 14): read from its catalogue,
as a screen reader or a checker such as PAC would, the file the public downloads."""

import urllib.request
from io import BytesIO

import pikepdf
import pytest

pytestmark = pytest.mark.browser


def _structure_types(node, found: set, depth: int = 0) -> set:
    """The structure element types (/H1, /P, /Table, /Figure...) under a node of the tree."""
    if depth > 200:
        return found
    if isinstance(node, pikepdf.Array):
        for kid in node:
            _structure_types(kid, found, depth + 1)
    elif isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            found.add(str(node.S))
        if "/K" in node:
            _structure_types(node.K, found, depth + 1)
    return found


@pytest.fixture(scope="module")
def public_pack(stack, upcoming_packs):
    """The public pack as anyone downloads it from the meeting page."""
    url = stack.url(upcoming_packs["public"].get_absolute_url())
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own server
        assert response.headers["Content-Type"] == "application/pdf"
        body = response.read()
    with pikepdf.open(BytesIO(body)) as pdf:
        yield pdf


def test_the_pack_is_marked_as_tagged_with_a_structure_tree(public_pack):
    root = public_pack.Root
    assert root.MarkInfo.Marked is True or bool(root.MarkInfo.Marked)
    tree = root.StructTreeRoot
    types = _structure_types(tree.K, set())
    assert "/P" in types, types
    assert types & {"/H1", "/H2", "/H3"}, f"no headings in the structure tree: {types}"


def test_the_pack_has_a_language_and_a_title_shown_as_its_title(public_pack, upcoming):
    root = public_pack.Root
    assert str(root.Lang).lower().startswith("en"), root.get("/Lang")
    with public_pack.open_metadata() as xmp:
        xmp_title = xmp.get("dc:title", "")
    title = str(public_pack.docinfo.get("/Title", "")) or xmp_title
    assert upcoming.committee_name in title, title
    # Viewers show the title, not the file name, in their title bar (PDF/UA 7.1).
    assert bool(root.ViewerPreferences.DisplayDocTitle)


def test_the_pack_has_a_bookmark_for_the_agenda_and_each_public_paper(public_pack, upcoming):
    with public_pack.open_outline() as outline:
        top = [str(item.title) for item in outline.root]
        under = {str(item.title): [str(kid.title) for kid in item.children] for item in outline.root}
    assert "Agenda" in top, top
    report = f"2. {upcoming.public_report_title}"
    assert report in top, top
    # Within the item, its sections and its appendix, as a reader jumps between them.
    assert "Executive Summary" in under[report] and any("Appendix 'A'" in t for t in under[report]), under
    # The Part II paper is not in the public pack, so neither is a bookmark to it.
    assert not any(upcoming.part_ii_title in t for t in top), top

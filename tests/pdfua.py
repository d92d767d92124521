"""The machine-checkable part of PDF/UA (the Matterhorn Protocol), read with pikepdf: what a
screen reader depends on in a tagged agenda pack. veraPDF is not installable here; these are
the checks it would make that this project's packs can fail. Every pack the tests build is
read by `problems()` (tests/pack/conftest.py: `build`)."""

import io
import re

import pikepdf


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    if not isinstance(kids, pikepdf.Array):
        kids = [kids]
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/Type", "/StructElem") == "/StructElem"]


def structure(pdf: pikepdf.Pdf) -> list[str]:
    """The structure types (H1, P, Table, TH...) in document order (depth first, in order)."""
    found: list[str] = []

    def walk(element):
        kind = element.get("/S")
        if kind is not None:
            found.append(str(kind)[1:])
        for kid in _kids(element):
            walk(kid)

    root = pdf.Root.get("/StructTreeRoot")
    if root is not None:
        for kid in _kids(root):
            walk(kid)
    return found


def problems(data: bytes) -> list[str]:
    """What a PDF/UA checker would refuse, in words; empty when the checks pass."""
    pdf = pikepdf.open(io.BytesIO(data))
    found = []
    mark_info = pdf.Root.get("/MarkInfo")
    if mark_info is None or not bool(mark_info.get("/Marked", False)):
        found.append("not marked as tagged (01-002: MarkInfo /Marked true)")
    if "/StructTreeRoot" not in pdf.Root:
        found.append("no structure tree (01-001)")
    if not str(pdf.Root.get("/Lang", "")):
        found.append("no natural language (11-001: /Lang on the catalog)")
    with pdf.open_metadata() as meta:
        title = meta.get("dc:title", "")
    if not title:
        found.append("no title in the XMP metadata (06-003)")
    prefs = pdf.Root.get("/ViewerPreferences")
    if prefs is None or not bool(prefs.get("/DisplayDocTitle", False)):
        found.append("the title is not what the window shows (07-001: DisplayDocTitle)")
    previous = 0
    for kind in structure(pdf):
        level = re.fullmatch(r"H([1-6])", kind)
        if not level:
            continue
        level = int(level.group(1))
        if previous and level > previous + 1:
            found.append(f"heading levels skip: H{previous} then H{level} (14-003)")
        previous = level
    found += _unreferred_headers(pdf)
    return found


def _elements(pdf: pikepdf.Pdf, kind: str):
    root = pdf.Root.get("/StructTreeRoot")
    stack = _kids(root) if root is not None else []
    while stack:
        element = stack.pop()
        if str(element.get("/S")) == kind:
            yield element
        stack.extend(_kids(element))


def _unreferred_headers(pdf: pikepdf.Pdf) -> list[str]:
    """15-003: a table's header cells are ones a screen reader can announce: with a /Scope,
    or named in some cell's /Headers."""
    found = []
    for table in _elements(pdf, "/Table"):
        cells = list(_elements_within(table))
        named = {str(h) for c in cells if isinstance(c.get("/A"), pikepdf.Dictionary) for h in c.A.get("/Headers", [])}
        for cell in cells:
            if str(cell.get("/S")) != "/TH":
                continue
            attributes = cell.get("/A")
            scoped = isinstance(attributes, pikepdf.Dictionary) and "/Scope" in attributes
            if not scoped and str(cell.get("/ID", "")) not in named:
                found.append(f"a table header no cell refers to (15-003): {_text_of(cell)!r}")
    return found


def _elements_within(element):
    for kid in _kids(element):
        yield kid
        yield from _elements_within(kid)


def _text_of(element) -> str:
    return str(element.get("/ID", "")) or "?"

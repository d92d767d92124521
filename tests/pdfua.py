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
    found += _list_problems(pdf)
    breaks, joined = line_breaks(data)
    if joined:
        found.append(f"{joined} of {breaks} line breaks run two words together (no space where the line ends)")
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


# Structure types that hold the text of one block (a paragraph, a cell, a heading), and the
# inline ones within them whose text continues the block's.
_BLOCKS = {"/P", "/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/LBody", "/Lbl", "/TD", "/TH", "/Caption"}
_INLINE = {"/Span", "/Link", "/Quote", "/Code", "/Em", "/Strong", "/Reference", "/Note"}
# A line may end after a hyphen or a slash ("Economic/" then "Political"): no space is due.
_BREAKS_WITHOUT_SPACE = "-\u2010\u00ad\u2011/"


def line_breaks(data: bytes, examples: list | None = None) -> tuple[int, int]:
    """(line breaks inside blocks of text, those without a space): the text a screen reader
    reads from the tags, or a copy from the PDF, at each point a printed line of a paragraph,
    cell or heading ends and the next begins. A break with no space (nor hyphen or slash) runs two
    words together: "CountyHall"."""
    import pdfplumber

    pdf = pikepdf.open(io.BytesIO(data))
    page_index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    blocks: list[list[tuple[int, int]]] = []

    def marked(element, page, into):
        page = element.get("/Pg", page)
        kids = element.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                into.append((page_index.get(page.objgen), int(kid)))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                into.append((page_index.get(kid.get("/Pg", page).objgen), int(kid.MCID)))
            elif isinstance(kid, pikepdf.Dictionary) and str(kid.get("/S")) in _INLINE:
                marked(kid, page, into)

    def walk(element, page):
        page = element.get("/Pg", page)
        if str(element.get("/S")) in _BLOCKS:
            ids: list[tuple[int, int]] = []
            marked(element, page, ids)
            if ids:
                blocks.append(ids)
        for kid in _kids(element):
            walk(kid, page)

    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return 0, 0
    for kid in _kids(root):
        walk(kid, None)
    wanted = {page for block in blocks for page, _ in block}
    chars: dict[tuple[int, int], list[dict]] = {}
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        for number in wanted:
            if number is None:
                continue
            for char in plumber.pages[number].chars:
                if char.get("mcid") is not None:
                    chars.setdefault((number, char["mcid"]), []).append(char)
    breaks = joined = 0
    for block in blocks:
        text = [(page, c) for page, mcid in block for c in chars.get((page, mcid), [])]
        for (page, before), (next_page, after) in zip(text, text[1:], strict=False):
            new_line = next_page != page or after["top"] > before["top"] + 0.6 * before["size"]
            if not new_line:
                continue
            breaks += 1
            if not (before["text"].isspace() or after["text"].isspace() or before["text"] in _BREAKS_WITHOUT_SPACE):
                joined += 1
                if examples is not None:
                    at = text.index((page, before))
                    examples.append(
                        "".join(c["text"] for _, c in text[max(0, at - 15) : at + 1])
                        + "|"
                        + "".join(c["text"] for _, c in text[at + 1 : at + 16])
                    )
    return breaks, joined


def _list_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Matterhorn 16: a list (L) holds list items (LI), or nested lists, and nothing else; a
    list item holds its label (Lbl) and its body (LBody), so a screen reader announces "list,
    3 items" and reads each item's text as the item's."""
    found = []
    for kind, allowed in (("/L", {"/LI", "/L", "/Caption"}), ("/LI", {"/Lbl", "/LBody"})):
        for element in _elements(pdf, kind):
            for kid in _kids(element):
                if str(kid.get("/S")) not in allowed:
                    found.append(
                        f"a {kid.get('/S')} directly in a {kind[1:]} (16: {kind[1:]} holds {', '.join(sorted(allowed))})"
                    )
            if kind == "/LI" and not any(str(k.get("/S")) == "/LBody" for k in _kids(element)):
                found.append("a list item without its body (LBody)")
    return found

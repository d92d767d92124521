"""Put the rendered parts together into one tagged PDF with pikepdf.

A plain page merge drops the tag tree. Here each tagged part's structure tree is kept: its
/Document element becomes a /Part of the pack's /Document, its /ParentTree entries are
renumbered into one /ParentTree, and every page's /StructParents (and each link's
/StructParent) is moved by the same offset. Headers and footers are stamped on each page as
it is added, as /Artifact marked content (stamps.py), so that they are not read out as part of
the papers. The
outline is rebuilt: one bookmark per item, with its papers' own bookmarks beneath.

Uploaded PDF appendices are merged page by page from their cleaned copy
(committee.pdfsafety.clean_pdf: annotations flattened and stripped, only the pages kept);
they carry no structure of their own (see docs/packs.md).
"""

import io
from dataclasses import dataclass, field

import pikepdf
import pikepdf.settings
from pikepdf import Array, Dictionary, Name, OutlineItem, String

from committee.pdfsafety import clean_pdf

from . import stamps
from .content import PackContentError, Part

FLATE_LEVEL = 1  # zlib's fastest (see Assembler.finish)


@dataclass
class Bookmark:
    title: str
    page: int  # index within its own PDF
    top: float | None = None
    children: list["Bookmark"] = field(default_factory=list)


@dataclass
class PartPdf:
    """A part opened for assembly: its pages, their sizes and its own bookmarks."""

    part: Part
    pdf: pikepdf.Pdf
    sizes: list[tuple[float, float]]
    bookmarks: list[Bookmark]

    @property
    def pages(self) -> int:
        return len(self.pdf.pages)


def _displayed_size(page: pikepdf.Page) -> tuple[float, float]:
    box = page.cropbox
    width, height = abs(float(box[2]) - float(box[0])), abs(float(box[3]) - float(box[1]))
    if int(page.obj.get("/Rotate", 0)) % 180:
        width, height = height, width
    return round(width, 2), round(height, 2)


def _read_bookmarks(pdf: pikepdf.Pdf) -> list[Bookmark]:
    index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}

    def convert(item) -> Bookmark | None:
        dest = item.destination
        if not isinstance(dest, Array) or len(dest) < 1 or not isinstance(dest[0], Dictionary):
            return None
        page = index.get(dest[0].objgen)
        if page is None:
            return None
        top = float(dest[3]) if len(dest) >= 4 and dest[1] == Name.XYZ and dest[3] is not None else None
        mark = Bookmark(title=str(item.title), page=page, top=top)
        mark.children = [c for c in (convert(child) for child in item.children) if c]
        return mark

    if "/Outlines" not in pdf.Root:
        return []
    with pdf.open_outline() as outline:
        return [m for m in (convert(item) for item in outline.root) if m]


def open_part(part: Part, pdf_bytes: bytes) -> PartPdf:
    """Open a rendered part, or check and clean an uploaded one."""
    try:
        pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError) as exc:
        if part.is_upload:
            reason = "it is password-protected" if isinstance(exc, pikepdf.PasswordError) else "it is damaged"
            raise PackContentError(
                f"{part.what} is not a readable PDF ({reason}). Export it again as a PDF without a password "
                "and upload it in the report's appendices."
            ) from exc
        raise
    if part.is_upload:
        if len(pdf.pages) == 0:
            raise PackContentError(f"{part.what} is a PDF with no pages. Upload the document again.")
        # The stored copy is already clean; cleaning again costs little and keeps a file
        # stored some other way from carrying anything in.
        pdf = clean_pdf(pdf)
        bookmarks = [Bookmark(title=part.label, page=0)]
    else:
        bookmarks = _read_bookmarks(pdf)  # its structure was repaired as it was rendered (repair_structure)
    return PartPdf(part=part, pdf=pdf, sizes=[_displayed_size(p) for p in pdf.pages], bookmarks=bookmarks)


def repair_structure(pdf_bytes: bytes, *, mark=None) -> bytes:
    """A rendered paper's structure tree made right for PDF/UA (the two functions below), done
    by the renderer as it renders, so that the paper is cached repaired: a build that finds
    its papers in the cache (a rebuild, a publication after pre-rendering) only opens them.
    `mark(pdf)`, if given, draws on the opened paper before it is saved (continued rows'
    labels, render.continued_rows), so that the paper is opened and saved once."""
    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    refer_every_header(pdf)
    nest_list_contents(pdf)
    if mark:
        mark(pdf)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)  # qpdf's /ID is otherwise random: the same paper, other bytes
    return out.getvalue()


def _structure_kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    if not isinstance(kids, Array):
        kids = [kids]
    return [k for k in kids if isinstance(k, Dictionary) and "/S" in k]


def _table_rows(table) -> list[tuple[str, list]]:
    """(section, cells) for each row of a tagged table, THead, TBody and TFoot in order."""
    rows = []
    for kid in _structure_kids(table):
        if str(kid.S) == "/TR":
            rows.append(("/TBody", _structure_kids(kid)))
        else:
            rows += [(str(kid.S), _structure_kids(row)) for row in _structure_kids(kid) if str(row.S) == "/TR"]
    return rows


def refer_every_header(pdf: pikepdf.Pdf) -> None:
    """Make every table header cell one that some cell refers to (PDF/UA, Matterhorn 15).

    WeasyPrint tags a data cell with /Headers naming its row header and the column header
    above it, but nothing names the header of the row-header column ("Risk Identification
    Number (RIN)") or a group heading spanning the table ("Children's Social Care"), so a
    screen reader never announces them. Here every row header names the column header above
    it, and every cell under a group heading names that heading, until the next one."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    stack = _structure_kids(root)
    while stack:
        element = stack.pop()
        if str(element.S) != "/Table":
            stack.extend(_structure_kids(element))
            continue
        rows = _table_rows(element)
        width = max((sum(int(c.get("/A", {}).get("/ColSpan", 1)) for c in cells) for _, cells in rows), default=0)
        column_headers: dict[int, str] = {}
        group = None
        for section, cells in rows:
            if section == "/THead":
                column = 0
                for cell in cells:
                    if str(cell.S) == "/TH" and "/ID" in cell:
                        column_headers.setdefault(column, str(cell.ID))
                    column += int(cell.get("/A", {}).get("/ColSpan", 1))
                continue
            spans = [int(c.get("/A", {}).get("/ColSpan", 1)) for c in cells]
            if len(cells) == 1 and str(cells[0].S) == "/TH" and spans[0] == width and "/ID" in cells[0]:
                group = str(cells[0].ID)
                continue
            column = 0
            for cell, span in zip(cells, spans, strict=True):
                wanted = [group] if group else []
                if str(cell.S) == "/TH" and column in column_headers:
                    wanted.append(column_headers[column])
                if wanted and isinstance(cell.get("/A"), Dictionary):
                    headers = [str(h) for h in cell.A.get("/Headers", Array())]
                    cell.A.Headers = Array([String(h) for h in headers + [w for w in wanted if w not in headers]])
                column += span


def nest_list_contents(pdf: pikepdf.Pdf) -> None:
    """Give every list item its label and body only, as PDF/UA asks (Matterhorn 16): a list
    (L) holds list items (LI), and an item holds its label (Lbl) and its body (LBody).

    WeasyPrint 70 tags an item's own text as its LBody, but lifts a list nested in the item
    out to be the next kid of the outer list, and leaves a paragraph that follows the nested
    list in the item as the item's own kid ("Work with the LEP to agree: [list] the London
    School of Economics have been secured..."). An item broken over two pages is tagged
    twice, the second time (on the next page) with nothing in it but the nested list lifted
    out of it. Here a nested list goes back into the body of the item it follows, and any
    other kid of an item into its body, in reading order; an item left with nothing is
    dropped. The marked content does not move (the /ParentTree still finds each element)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    stack = _structure_kids(root)
    while stack:
        element = stack.pop()
        if str(element.S) == "/L":
            _nest_list(pdf, element)
        stack.extend(_structure_kids(element))


def _nest_list(pdf: pikepdf.Pdf, the_list) -> None:
    kept = []
    item = None
    strays: list = []  # the item's own kids other than Lbl and LBody: they follow its nested lists

    def settle():
        for stray in strays:
            _into_body(pdf, item, stray)
        strays.clear()

    for kid in _kids_of(the_list):
        kind = str(kid.S) if isinstance(kid, Dictionary) and "/S" in kid else None
        if kind == "/L" and item is not None:
            _into_body(pdf, item, kid)
            continue
        if kind == "/LI":
            if not _kids_of(kid) and item is not None:
                continue  # an empty continuation: what follows belongs to the item before
            if item is not None:
                settle()
            item = kid
            strays += [
                k for k in _kids_of(kid) if isinstance(k, Dictionary) and str(k.get("/S")) not in ("/Lbl", "/LBody")
            ]
            kid.K = Array([k for k in _kids_of(kid) if all(k is not s and k.objgen != s.objgen for s in strays)])
        kept.append(kid)
    if item is not None:
        settle()
    # An item still empty (a continuation with nothing after it) is not an item.
    the_list.K = Array(
        [k for k in kept if not (isinstance(k, Dictionary) and str(k.get("/S")) == "/LI" and not _kids_of(k))]
    )


def _kids_of(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _into_body(pdf: pikepdf.Pdf, item, kid) -> None:
    """Move `kid` to the end of `item`'s LBody (made if it has none)."""
    kids = _kids_of(item)
    kids = [k for k in kids if not (isinstance(k, Dictionary) and k.objgen == kid.objgen and k.objgen != (0, 0))]
    body = next((k for k in reversed(kids) if isinstance(k, Dictionary) and str(k.get("/S")) == "/LBody"), None)
    if body is None:
        body = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=item, K=Array()))
        if "/Pg" in item:
            body.Pg = item.Pg
        kids.append(body)
    body.K = Array(_kids_of(body) + [kid])
    kid.P = body
    item.K = Array(kids)


@dataclass
class Section:
    """An item's papers in the pack."""

    number: str
    title: str
    parts: list[PartPdf]


class Assembler:
    """The pack being put together. `prepare` copies a part's objects in as soon as the part is
    rendered, while the renderers work on the others; `assemble` then orders the pages, joins
    the structure trees and stamps each page, with little left to copy."""

    def __init__(self, *, lang: str):
        self.out = pikepdf.new()
        self.document = self.out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
        self.root = self.out.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([self.document])))
        self.document.P = self.root
        self.nums = Array()
        self.next_key = 0
        self.lang = lang

    def prepare(self, part: PartPdf) -> None:
        # qpdf copies a foreign object once and hands back the same copy after: add() below
        # then finds the pages and the structure tree already here.
        for page in part.pdf.pages:
            self.out.copy_foreign(page.obj)
        tree = part.pdf.Root.get("/StructTreeRoot") if not part.part.is_upload else None
        if tree is not None:
            self.out.copy_foreign(tree)

    def add(self, pdf: pikepdf.Pdf, *, tagged: bool) -> int:
        """Append a PDF's pages (and its structure tree); return the index of its first page."""
        first = len(self.out.pages)
        self.out.pages.extend(pdf.pages)
        tree = pdf.Root.get("/StructTreeRoot") if tagged else None
        if tree is None:
            return first
        offset = self.next_key
        highest = -1
        parent_tree = tree.get("/ParentTree")
        if parent_tree is not None:
            # One copy of the whole number tree: the structure elements and the pages they
            # point at map onto the pages just appended (qpdf keeps one copy per object).
            nums = self.out.copy_foreign(parent_tree).get("/Nums", Array())
            for i in range(0, len(nums), 2):
                key = int(nums[i])
                highest = max(highest, key)
                self.nums.append(key + offset)
                self.nums.append(nums[i + 1])
        for element in tree.get("/K", Array()) if isinstance(tree.get("/K"), Array) else [tree.get("/K")]:
            if element is None:
                continue
            copied = self.out.copy_foreign(element)
            copied.S = Name.Part
            copied.P = self.document
            self.document.K.append(copied)
        for page in self.out.pages[first:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", Array()):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
        self.next_key = offset + highest + 1
        return first

    def finish(self, *, title: str, author: str, outline: list[OutlineItem]) -> bytes:
        out = self.out
        self.root.ParentTree = out.make_indirect(Dictionary(Nums=self.nums))
        self.root.ParentTreeNextKey = self.next_key
        out.Root.StructTreeRoot = self.root
        out.Root.MarkInfo = Dictionary(Marked=True)
        out.Root.Lang = String(self.lang)
        out.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        out.Root.PageMode = Name.UseOutlines
        with out.open_outline() as tree:
            tree.root.extend(outline)
        # Only the title and the author: nothing else travels with a pack. No creation or
        # modification date: the same content makes the same bytes (docs/packs.md,
        # "Reproducible"), and the one date that would mean something, the agenda's
        # publication, is not known when a pack is pre-assembled before it.
        for key in list(out.docinfo.keys()):
            del out.docinfo[key]
        out.docinfo.Title = String(title)
        out.docinfo.Author = String(author)
        out.Root.Metadata = out.make_stream(_xmp(title, author), Type=Name.Metadata, Subtype=Name.XML)
        buffer = io.BytesIO()
        # zlib's fastest level for what the save compresses (the object streams, the stamps'
        # forms: the papers' own streams are copied compressed): it was most of the save's
        # time, for a file about a tenth larger (the demo's public pack 2.19 to 2.39 MB).
        # qpdf's level is the process's: put its default back after.
        pikepdf.settings.set_flate_compression_level(FLATE_LEVEL)
        try:
            out.save(
                buffer,
                compress_streams=True,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
                deterministic_id=True,
            )
        finally:
            pikepdf.settings.set_flate_compression_level(-1)  # zlib's default
        return buffer.getvalue()


def _xmp(title: str, author: str) -> bytes:
    from xml.sax.saxutils import escape

    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<pdfuaid:part>1</pdfuaid:part>"
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>'
        f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()


def _outline_items(marks: list[Bookmark], offset: int) -> list[OutlineItem]:
    items = []
    for mark in marks:
        if mark.top is not None:
            item = OutlineItem(mark.title, mark.page + offset, "XYZ", top=mark.top)
        else:
            item = OutlineItem(mark.title, mark.page + offset)
        item.children.extend(_outline_items(mark.children, offset))
        items.append(item)
    return items


def assemble(
    a: Assembler,
    *,
    front: PartPdf,
    sections: list[Section],
    kit: tuple[list[stamps.Piece], pikepdf.Pdf],
    title: str,
    author: str,
) -> bytes:
    stamper = stamps.Stamper(a.out, *kit)
    a.add(front.pdf, tagged=True)
    outline = [OutlineItem("Agenda", 0)]
    folio = 1  # councils number the papers from 1, after the front sheet
    for section in sections:
        entry = None
        for part in section.parts:
            first = a.add(part.pdf, tagged=not part.part.is_upload)
            for i in range(part.pages):
                item = section.number if entry is None and i == 0 else ""
                stamper.stamp(a.out.pages[first + i], part.sizes[i], folio=folio, notice=part.part.notice, item=item)
                folio += 1
            if entry is None:
                entry = OutlineItem(f"{section.number}. {section.title}", first)
                outline.append(entry)
            entry.children.extend(_outline_items(part.bookmarks, first))
    return a.finish(title=title, author=author, outline=outline)

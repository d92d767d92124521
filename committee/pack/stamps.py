"""What is printed on every page of a pack besides its paper: "Page N" at the foot, the Part II
marking at the head of an exempt paper's pages, "Agenda Item N" on each item's first page.

They are drawn from a kit: one small untagged document with a page for each piece of text
(the word "Page", each digit, each marking, each item's label), rendered by WeasyPrint like
a paper and cached like one. Where a page falls in the pack is not in the kit, so the kit is
rendered alongside the papers (nothing waits for the page count) and an edit that moves
every later page renders nothing again here. Each page of the pack gets one form XObject
that places the kit's pieces, drawn as a pagination artifact (assemble.py).

A table row that runs on to another page is labelled there the same way ("CR1 (continued)",
`mark_continued`), by the renderer of its paper, from a kit of its labels rendered with it.
"""

from dataclasses import dataclass

import pikepdf
from django.template.loader import render_to_string
from pikepdf import Array, Dictionary, Name

MM = 72 / 25.4

# Geometry in points, shared by the kit's template and the placing below.
FOLIO = {"font": 9, "label_width": 24, "gap": 3.5, "digit_width": 5.4, "height": 12, "bottom": 9 * MM}
NOTICE = {"font": 9, "width": 180 * MM, "height": 36, "top": 8 * MM, "side": 15 * MM}
ITEM = {"font": 11, "width": 60 * MM, "height": 16, "top": 13 * MM, "right": 15 * MM}
DIGITS = "0123456789"


@dataclass(frozen=True)
class Piece:
    key: str  # "label", "0".."9", "notice:<text>", "item:<number>"
    text: str
    width: float
    height: float
    align: str
    font: float
    bold: bool

    @property
    def wraps(self) -> bool:
        return self.key.startswith("notice:")  # a marking may take two lines; labels never


def pieces(notices: list[str], items: list[str]) -> list[Piece]:
    """The kit's pieces for a pack with these Part II markings and these items' labels."""
    f = FOLIO
    kit = [Piece("label", "Page", f["label_width"], f["height"], "right", f["font"], False)]
    kit += [Piece(d, d, f["digit_width"], f["height"], "center", f["font"], False) for d in DIGITS]
    kit += [
        Piece(f"notice:{text}", text, NOTICE["width"], NOTICE["height"], "center", NOTICE["font"], True)
        for text in dict.fromkeys(n for n in notices if n)
    ]
    kit += [
        Piece(f"item:{number}", f"Agenda Item {number}", ITEM["width"], ITEM["height"], "right", ITEM["font"], True)
        for number in dict.fromkeys(items)
    ]
    return kit


def kit_html(kit: list[Piece]) -> str:
    return render_to_string("pdf/stamp_kit.html", {"pieces": kit})


class Stamper:
    """Stamps the pages of one pack from its rendered kit."""

    def __init__(self, out: pikepdf.Pdf, kit: list[Piece], kit_pdf: pikepdf.Pdf):
        if len(kit_pdf.pages) != len(kit):  # a page each, as the template lays them out
            raise ValueError(f"The stamp kit has {len(kit_pdf.pages)} pages for {len(kit)} pieces")
        self.out = out
        self.kit = {piece.key: (piece, page) for piece, page in zip(kit, kit_pdf.pages, strict=True)}
        self._forms: dict[str, pikepdf.Object] = {}

    def _form(self, key: str) -> pikepdf.Object:
        if key not in self._forms:
            self._forms[key] = self.out.copy_foreign(self.kit[key][1].as_form_xobject())
        return self._forms[key]

    def stamp(self, page: pikepdf.Page, size: tuple[float, float], *, folio: int, notice: str, item: str) -> None:
        """Draw the page's folio, marking and item label over it, upright whatever its
        rotation, as one pagination artifact. `size` is the page as displayed."""
        width, height = size
        placed: list[tuple[str, float, float, float]] = []  # kit key, x, y, scale
        digits = str(folio)
        f = FOLIO
        left = (width - (f["label_width"] + f["gap"] + len(digits) * f["digit_width"])) / 2
        placed.append(("label", left, f["bottom"], 1))
        for n, digit in enumerate(digits):
            placed.append((digit, left + f["label_width"] + f["gap"] + n * f["digit_width"], f["bottom"], 1))
        if notice:
            # Centred between the side margins; a page narrower than A4 gets it smaller.
            scale = max(0.3, min(1, (width - 2 * NOTICE["side"]) / NOTICE["width"]))
            x = (width - NOTICE["width"] * scale) / 2
            placed.append((f"notice:{notice}", x, height - NOTICE["top"] - NOTICE["height"] * scale, scale))
        if item:
            x = max(0, width - ITEM["right"] - ITEM["width"])
            placed.append((f"item:{item}", x, height - ITEM["top"] - ITEM["height"], 1))

        draw(self.out, page, size, [(self._form(key), x, y, scale) for key, x, y, scale in placed])


def draw(out: pikepdf.Pdf, page: pikepdf.Page, size: tuple[float, float], placed: list) -> None:
    """Draw kit pages (form XObjects at x, y, scale; points from the foot of the page as
    displayed) over a page, upright whatever its rotation, as one pagination artifact: a
    screen reader reads the page's tags and not this, as it skips a running head."""
    width, height = size
    resources = Dictionary()
    ops = []
    for n, (form, x, y, scale) in enumerate(placed):
        resources[f"/K{n}"] = form
        ops.append(f"q {scale:.4f} 0 0 {scale:.4f} {x:.2f} {y:.2f} cm /K{n} Do Q")
    overlay = out.make_stream(
        "\n".join(ops).encode(),
        Type=Name.XObject,
        Subtype=Name.Form,
        BBox=Array([0, 0, width, height]),
        Resources=Dictionary(XObject=resources),
    )
    name = page.add_resource(overlay, Name.XObject, _unused_name(page))
    placement = page.calc_form_xobject_placement(
        overlay, name, pikepdf.Rectangle(page.cropbox), allow_shrink=False, allow_expand=False
    )
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n/Artifact <</Type /Pagination>> BDC\n" + placement + b"\nEMC\n")
    page.obj.Tabs = Name.S


def _unused_name(page: pikepdf.Page) -> Name:
    """The first of /Qs0, /Qs1, ... that the page's resources do not use: a name of our own
    (a paper's page that shows a continued row is drawn on twice, stamps.mark_continued and
    then the pack's stamps), the same in every build, where pikepdf's `prefix` picks one at
    random and gives the same pack other bytes each time."""
    used = {str(name) for kind in page.resources.values() if isinstance(kind, Dictionary) for name in kind}
    n = 0
    while f"/Qs{n}" in used:
        n += 1
    return Name(f"/Qs{n}")


# Where a labelled row continues (render.continued_rows), its label is drawn in the row's
# header cell, which WeasyPrint leaves empty there: in the cell's font, on one line, made
# smaller if it would not fit the cell's width. The label is a pagination artifact, as the
# repeated header row is in effect: in the tags the row is one row with one header cell, and
# a screen reader reads it once, as it should, whatever page it runs on to.
PX = 0.75  # points in a CSS pixel
CONTINUED_KIT_WIDTH = 400  # points: wide enough for a label on one line, measured once laid out


@dataclass(frozen=True)
class Continued:
    page: int  # in the paper
    label: str  # "CR1 (continued)"
    x: float  # the cell's content box: its top left in points from the foot of the page
    top: float
    width: float
    font: float  # the cell's font, in points
    bold: bool

    @property
    def key(self) -> str:
        return f"continued:{self.font:.2f}:{'b' if self.bold else ''}:{self.label}"


def continued(number: int, page, cell, label: str) -> Continued:
    """A continuation found in WeasyPrint's laid-out `page` (its boxes are in CSS pixels from
    the top of the page)."""
    return Continued(
        page=number,
        label=label,
        x=cell.content_box_x() * PX,
        top=(page.height - cell.content_box_y()) * PX,
        width=cell.width * PX,
        font=cell.style["font_size"] * PX,
        bold=cell.style["font_weight"] >= 600,
    )


def continued_kit(found: list[Continued]) -> list[Piece]:
    """A kit page for each label in each font it is drawn in."""
    kit = {c.key: Piece(c.key, c.label, CONTINUED_KIT_WIDTH, c.font * 1.5, "left", c.font, c.bold) for c in found}
    return list(kit.values())


def mark_continued(pdf: pikepdf.Pdf, found: list[Continued], kit: list[Piece], kit_pdf: pikepdf.Pdf, widths):
    """Draw each continuation's label (`found`) on its page of the paper `pdf`, from the
    rendered kit; `widths` are the labels' widths as laid out in the kit, in points."""
    forms = {
        piece.key: (piece, pdf.copy_foreign(page.as_form_xobject()), width)
        for piece, page, width in zip(kit, kit_pdf.pages, widths, strict=True)
    }
    for c in found:
        piece, form, width = forms[c.key]
        scale = min(1, c.width / width) if width else 1
        page = pdf.pages[c.page]
        size = (float(page.mediabox[2]) - float(page.mediabox[0]), float(page.mediabox[3]) - float(page.mediabox[1]))
        draw(pdf, page, size, [(form, c.x, c.top - piece.height * scale, scale)])

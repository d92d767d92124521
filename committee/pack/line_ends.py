"""Keep the space at the end of each printed line, so the words of a paragraph read apart.

WeasyPrint 70 lays a paragraph out in lines and drops the space each line ends at: the
space a line was broken after is stripped from the line's last text box
(`weasyprint.layout.inline.remove_last_whitespace`), and a space that starts the next
text box ("<b>County</b> Hall", broken between the boxes) is skipped at the start of the
next line (`skip_first_whitespace`). Nothing is drawn for it, so the PDF's text has no
space where the line breaks: a screen reader reading the tags, a search, or a copy from the
pack reads "CountyHall" (in the demo pack, 1,900 of the 1,966 line breaks inside a paragraph).
Word and Acrobat write the space; so do we, here.

The layout is not changed: a line is as wide as before, justified and aligned as before.
The last text box of a line that was broken at a space is marked, and when it is drawn, a
space glyph of its last font is written after its last glyph (outside the line's width:
a space paints nothing). The space's glyph is added to the font subset with its Unicode
mapping, so every extractor (pdfminer, pypdf, PDFium, Poppler, a screen reader through the
structure tree) reads "County Hall".

Upstream: to be filed with WeasyPrint (github.com/Kozea/WeasyPrint): "Text extracted from
the PDF runs words together at line ends: the space a line breaks at is not written".
Remove this module when a release writes the space. `install()` is idempotent; the pack's
renderer installs it on import (committee/pack/render.py).
"""

from weasyprint.draw import text as draw_text
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text.ffi import FROM_UNITS, ffi, harfbuzz, pango

MARK = "quorum_line_ends_at_space"

ffi.cdef("hb_bool_t hb_font_get_nominal_glyph (hb_font_t *font, hb_codepoint_t unicode, hb_codepoint_t *glyph);")

_original_split_text_box = inline.split_text_box
_original_remove_last_whitespace = inline.remove_last_whitespace
_original_get_next_linebox = inline.get_next_linebox
_original_draw_first_line = draw_text.draw_first_line


def split_text_box(context, box, available_width, skip, is_line_start=True):
    """WeasyPrint's, and the piece of text kept on this line is marked when the line
    breaks at a space (the space is then neither in this line's text nor the next's)."""
    new_box, resume_index, preserved_line_break = _original_split_text_box(
        context, box, available_width, skip, is_line_start
    )
    if new_box is not None and resume_index is not None and not preserved_line_break:
        dropped = box.text.encode()[(skip or 0) + len(new_box.text.encode()) : resume_index]
        if dropped and not dropped.strip():
            setattr(new_box, MARK, True)
    return new_box, resume_index, preserved_line_break


def _last_text_box(line):
    """The last text box of a laid-out line with something to draw, or None."""
    for child in reversed(getattr(line, "children", ())):
        if isinstance(child, boxes.TextBox):
            if child.text.strip():
                return child
            continue
        if isinstance(child, boxes.InlineBox):
            found = _last_text_box(child)
            if found is not None:
                return found
            continue
        return None  # an image, an inline block: what precedes it is not the line's end
    return None


def _mark(line) -> None:
    box = _last_text_box(line)
    if box is not None and box.style["white_space"] in ("normal", "nowrap", "pre-line"):
        setattr(box, MARK, True)


def _deepest_text(line):
    box = line
    while isinstance(box, (boxes.LineBox, boxes.InlineBox)) and box.children:
        box = box.children[-1]
    return box.text if isinstance(box, boxes.TextBox) else None


def remove_last_whitespace(context, line):
    """WeasyPrint's, noting on the line whether it removed a space."""
    before = _deepest_text(line)
    _original_remove_last_whitespace(context, line)
    line.quorum_removed_space = before is not None and _deepest_text(line) != before


def get_next_linebox(context, linebox, *args, **kwargs):
    """WeasyPrint's, and the line's last text is marked when another line follows and the
    space between them was removed from the end of this one or is skipped at the start of
    the next (the break fell between two text boxes, the second starting with the space).
    The last line of a paragraph is not marked: no space is written after it."""
    line, resume_at = _original_get_next_linebox(context, linebox, *args, **kwargs)
    if line is not None and resume_at is not None:
        skipped = inline.skip_first_whitespace(linebox, resume_at)
        if getattr(line, "quorum_removed_space", False) or skipped not in ("continue", resume_at):
            _mark(line)
    return line, resume_at


def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
    """WeasyPrint's, then the space the line ended at, in the font of the last glyphs."""
    emojis = _original_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    if getattr(textbox, MARK, False) and text_overflow != "ellipsis" and block_ellipsis == "none":
        _write_space(stream, textbox)
    return emojis


def _write_space(stream, textbox) -> None:
    first_line, _ = textbox.pango_layout.get_first_line()
    run, last = first_line.runs[0], None
    while run != ffi.NULL:
        last, run = run.data, run.next
    if last is None or last.item.analysis.level % 2:
        return  # right-to-left: the space is not at the end of the drawn glyphs
    pango_font = last.item.analysis.font
    font, font_size = stream.add_font(pango_font)
    if font.bitmap or font.png or font.svg or font.colr:
        return
    glyph = ffi.new("hb_codepoint_t *")
    if not harfbuzz.hb_font_get_nominal_glyph(font.hb_font, ord(" "), glyph):
        return
    glyph_id = glyph[0]
    if pango.pango_version() < 14802:
        font_size = textbox.style["font_size"]
    font.to_unicode.setdefault(glyph_id, " ")
    if glyph_id not in font.widths:
        pango.pango_font_get_glyph_extents(pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
        font.widths[glyph_id] = round(stream.logical_rect.width * 1000 * FROM_UNITS / font_size)
    # The text matrix and font of the line's last glyphs are still current: the space
    # follows them.
    stream.set_font_size(font.hash, font_size)
    stream.show_text(f"<{glyph_id:04x}>")


def install() -> None:
    inline.split_text_box = split_text_box
    inline.remove_last_whitespace = remove_last_whitespace
    inline.get_next_linebox = get_next_linebox
    draw_text.draw_first_line = draw_first_line

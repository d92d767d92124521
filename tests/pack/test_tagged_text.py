"""What a screen reader (or a search, or a copy) reads from a paper's tags: words apart
where a printed line ends, and lists made of items with a label and a body."""

import io

import pikepdf
import pytest
import weasyprint
from pdfminer.high_level import extract_text
from pypdf import PdfReader

from committee.pack.render import Job, render_job
from tests import pdfua

pytestmark = pytest.mark.pdf

# A narrow column, so that "County Hall" falls across a line break, once within one piece
# of text and once between a bold word and the next.
NARROW = (
    '<html lang="en"><body style="font-family: Liberation Sans; font-size: 10.5pt">'
    '<p style="width: 31mm">The meeting was held at the County Hall in Preston.</p>'
    '<p style="width: 24mm">Held within <strong>County</strong> Hall.</p></body></html>'
)


def _render(html: str) -> bytes:
    return render_job(Job(key="test", html=html)).pdf


def _lines(data: bytes) -> list[str]:
    return [line for line in extract_text(io.BytesIO(data)).splitlines() if line.strip()]


def test_a_line_break_between_two_words_reads_as_a_space():
    data = _render(NARROW)
    lines = _lines(data)
    # The words do fall on two lines...
    assert any(line.rstrip().endswith("County") for line in lines), lines
    # ...and read apart in every extractor: pdfminer in the order of the page's content,
    # pypdf, and the tagged text the checks read.
    raw = " ".join(extract_text(io.BytesIO(data), laparams=None).replace("\n", "").split(" "))
    raw = " ".join(raw.split())
    assert "County Hall in Preston" in raw and "within County Hall" in raw, raw
    plain = PdfReader(io.BytesIO(data)).pages[0].extract_text().replace("\n", "")
    assert "County Hall" in plain, plain
    breaks, joined = pdfua.line_breaks(data)
    assert breaks >= 3 and joined == 0


def test_the_last_line_of_a_paragraph_gets_no_space_and_looks_the_same():
    data = _render(NARROW)
    raw = extract_text(io.BytesIO(data), laparams=None)
    assert "Preston. " not in raw and "Hall. " not in raw


# The register's own text: an item with a nested list and a paragraph after it, and a
# list of plain items (the performance key) laid side by side.
LISTS = (
    '<html lang="en"><body style="font-family: Liberation Sans"><ul>'
    "<li>Recent Growth Deal settlement.</li>"
    "<li>Work with local authority partners and the LEP to agree:"
    "<ul><li>a Local Industrial Strategy</li><li>a new Lancashire Prospectus</li></ul>"
    "<p>the London School of Economics have been secured as a critical friend</p></li>"
    "<li>Boost has secured a Grant Funding Agreement.</li></ul>"
    '<ul style="display: flex; flex-wrap: wrap; list-style: none; padding: 0">'
    '<li style="margin-right: 1em">On track/good</li> <li>Requires improvement</li></ul>'
    "</body></html>"
)


def _list_problems(data: bytes) -> list[str]:
    return [p for p in pdfua.problems(data) if "list" in p or " in a L" in p]


def test_every_list_item_holds_its_label_and_body_and_nested_lists_sit_in_the_body():
    # As WeasyPrint tags it: the paragraph after the nested list is the item's own kid.
    assert _list_problems(weasyprint.HTML(string=LISTS).write_pdf(pdf_variant="pdf/ua-1"))
    # As the renderer caches it: repaired as it is rendered (assemble.repair_structure).
    data = _render(LISTS)
    assert _list_problems(data) == []
    fixed = pikepdf.open(io.BytesIO(data))
    # The nested list is in the body of its item, and so is the paragraph after it, in
    # reading order.
    bodies = [[str(k.S) for k in pdfua._kids(body)] for body in pdfua._elements(fixed, "/LBody")]
    assert any(kinds[-2:] == ["/L", "/P"] for kinds in bodies), bodies


def test_a_key_laid_out_side_by_side_is_a_list_of_items_only():
    html = (
        '<html lang="en"><body style="font-family: Liberation Sans">'
        '<ul style="list-style: none; padding: 0">'
        '<li style="display: inline-block">On track/good</li> <li style="display: inline-block">Requires</li></ul>'
        "</body></html>"
    )
    # Inline blocks put the spaces between them in the list: "Span directly in L".
    assert _list_problems(_render(html))

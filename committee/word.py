"""Reports written in Word: reading a .docx made from the council's report template into the
report's fields, and writing the template and a report back out as a .docx.

Reading never trusts the file: `check_docx` looks inside the zip (its size, number of
parts, compression ratio, content types, macros, tracked changes and comments) before any
library parses it, so that a bad upload is refused in bounded time and memory. The body is
read by mammoth (which keeps structure and drops Word's styling), the header table and the
document's properties by python-docx; what comes out is sanitised like every rich text.

What the council's headings mean is data (committee.models.WordHeading), edited in the
admin; the front matter labels of the template's header table are fixed here, because the
template Quorum generates writes them.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from core.richtext import level_headings, plain_text, sanitise

# Bounds: a 60-page report is about 0.6 MB of document XML and reads in under 2 s; the
# largest accepted (4 MB, about 400 pages) in under 10 s and 400 MB (bench/word.py). Beyond
# that, or a zip bomb, is refused before any parsing.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PARTS = 2_000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_DOCUMENT_XML_BYTES = 4 * 1024 * 1024
MAX_RATIO = 100

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"

# Where a heading's section goes: a report field, the background papers table, or nowhere.
TARGET_BACKGROUND_PAPERS = "background_papers"
TARGET_LEAVE_OUT = "leave_out"
TARGET_REASON_PART_II = "reason_for_part_ii"

# The template's header table: label in the first column, value in the second.
FRONT_MATTER = {
    "report of": "report_of",
    "part": "part",
    "electoral divisions affected": "electoral_divisions",
    "electoral division affected": "electoral_divisions",
    "contact for further information": "contact",
}

# The council's headings, in the template's order: the heading, where its section goes, and
# whether the template offers it (the others are other names for a section that authors
# write). Migration 0010 seeds the council's list (WordHeading) with a frozen copy of these;
# Quorum reads these while that list is empty, so an emptied list reads documents as a new
# one does (tests/committee/test_word.py proves the copy and these agree).
DEFAULT_HEADINGS = (
    ("Executive Summary", "executive_summary", True),
    ("Recommendation", "recommendation", True),
    ("Background and Advice", "background_and_advice", True),
    ("Consultations", "consultations", True),
    ("Implications", "implications", True),
    ("Risk management", "risk_management", True),
    ("List of Background Papers", TARGET_BACKGROUND_PAPERS, True),
    ("Reason for inclusion in Part II, if appropriate", TARGET_REASON_PART_II, True),
    ("Corporate Priorities", TARGET_LEAVE_OUT, False),
    ("Recommendations", "recommendation", False),
    ("Background", "background_and_advice", False),
    ("Risk management and legal implications", "risk_management", False),
)
SIMILAR_ENOUGH = 0.85


class WordRefused(Exception):
    """The upload cannot be read; the message says why, in words an author can act on."""


@dataclass
class Proposal:
    """What a document would put in a report, for the officer to check before saving."""

    title: str = ""
    report_of: str = ""
    part: str = ""
    electoral_divisions: str = ""
    contact: str = ""
    sections: dict[str, str] = field(default_factory=dict)
    section_headings: dict[str, str] = field(default_factory=dict)
    background_papers: list[tuple[str, str, str]] = field(default_factory=list)
    appendix_letters: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


# Checks ------------------------------------------------------------------------------------

_TRACKED = re.compile(rb"<w:(ins|del|moveFrom|moveTo|rPrChange|pPrChange)\b")
_COMMENT = re.compile(rb"<w:(commentReference|commentRangeStart)\b")


def check_docx(data: bytes) -> None:
    """Refuse anything but a plain Word document of a sane size, before it is parsed."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise WordRefused(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB: put pictures and long "
                          "tables in appendices, or reduce the pictures' size in Word.")  # fmt: skip
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise WordRefused(
            "This file is password-protected or an old Word .doc: remove the password (File, Info, "
            "Protect Document) or save it as a Word Document (.docx), and upload it again."
        )
    if data[:5] == b"%PDF-":
        raise WordRefused("This is a PDF, not a Word document: upload the .docx the report was written in.")
    if data[:4] != b"PK\x03\x04":
        raise WordRefused("This is not a Word document (.docx): save the report as a Word Document and upload it.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise WordRefused(_DAMAGED) from exc
    if len(infos) > MAX_PARTS:
        raise WordRefused("This file has too many parts to be a report: save it again as a Word Document.")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_UNCOMPRESSED_BYTES or total > MAX_UNCOMPRESSED_BYTES:
            raise WordRefused(_TOO_LARGE)
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1024 * 1024:
            raise WordRefused("This file is compressed suspiciously far (it looks like a zip bomb) and is refused.")
        if info.filename.lower().endswith((".xml", ".rels")) and info.file_size > MAX_DOCUMENT_XML_BYTES:
            # The libraries parse every XML part whole: none may be larger than the text's limit.
            raise WordRefused(_TOO_LARGE)
        if info.filename.lower().endswith("vbaproject.bin"):
            raise WordRefused(_MACROS)
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise WordRefused("This is not a Word document (.docx): save the report as a Word Document and upload it.")
    content_types = _read_part(archive, "[Content_Types].xml", 1024 * 1024)
    if MACRO_MAIN.encode() in content_types or b"macroEnabled" in content_types:
        raise WordRefused(_MACROS)
    if DOCX_MAIN.encode() not in content_types and TEMPLATE_MAIN.encode() not in content_types:
        raise WordRefused("This is not a Word document (.docx): save the report as a Word Document and upload it.")
    document = _read_part(archive, "word/document.xml", MAX_DOCUMENT_XML_BYTES)
    if _TRACKED.search(document):
        raise WordRefused(
            "This document has tracked changes that are not resolved: accept or reject them all in Word "
            "(Review, Accept, Accept All Changes), then upload it again."
        )
    if _COMMENT.search(document):
        raise WordRefused(
            "This document has comments: resolve and delete them in Word (Review, Delete, Delete All "
            "Comments in Document), then upload it again."
        )


_TOO_LARGE = "This document is too large to import: split it, or put long parts in appendices."
_DAMAGED = "This Word document is damaged and cannot be read: open it in Word, save it again, and upload that."
_MACROS = (
    "This is a macro-enabled document (.docm): Quorum does not accept macros. Save it as a Word "
    "Document (.docx) and upload that."
)


def _read_part(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A part of the zip, never more than `limit` bytes read (whatever its header claims)."""
    with archive.open(name) as part:
        data = part.read(limit + 1)
    if len(data) > limit:
        raise WordRefused(_TOO_LARGE)
    return data


# Reading -----------------------------------------------------------------------------------


def normalise_heading(text: str) -> str:
    """A heading as compared: no numbering, case, punctuation or 'the'; '&' is 'and'."""
    text = text.lower().replace("&", " and ")
    text = re.sub(r"^\s*((part|section)\s+)?([0-9]+(\.[0-9]+)*|[a-z]|[ivx]+)[.)]?\s+", "", text)
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    words = [w for w in text.split() if w not in ("the", "a")]
    return " ".join(words)


def match_heading(text: str, mapping: dict[str, str]) -> str | None:
    """The target of the mapping entry this heading means, tolerating small differences."""
    key = normalise_heading(text)
    if not key:
        return None
    normalised = {normalise_heading(h): target for h, target in mapping.items()}
    if key in normalised:
        return normalised[key]
    best, best_ratio = None, 0.0
    for heading, target in normalised.items():
        ratio = SequenceMatcher(None, key, heading).ratio()
        if ratio > best_ratio:
            best, best_ratio = target, ratio
    return best if best_ratio >= SIMILAR_ENOUGH else None


def read_docx(data: bytes, mapping: dict[str, str]) -> Proposal:
    """Read a checked .docx into a Proposal. Raises WordRefused for what cannot be imported."""
    check_docx(data)
    proposal = Proposal()
    try:
        _read_front_matter(data, proposal)
        html, missing_alt = _body_html(data)
    except WordRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - any fault of a damaged file is the same answer, never a 500
        raise WordRefused(_DAMAGED) from exc
    if missing_alt:
        raise WordRefused(
            f"{missing_alt} picture(s) in this document have no alternative text: in Word, right-click each "
            "picture, choose Edit Alt Text, describe it, and upload the document again."
        )
    _split_sections(html, mapping, proposal)
    letters = sorted(set(re.findall(r"Appendix\s+['‘’\"“”]?([A-Z])\b['‘’\"“”]?", plain_text(html))))
    proposal.appendix_letters = letters
    return proposal


def _read_front_matter(data: bytes, proposal: Proposal) -> None:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a damaged package
        raise WordRefused(_DAMAGED) from exc
    # The Title paragraph is what the author sees and edits; the document's Title property
    # is often left as the template had it, so it counts only when there is no paragraph.
    for paragraph in document.paragraphs[:20]:
        if paragraph.style is not None and paragraph.style.name == "Title" and paragraph.text.strip():
            proposal.title = " ".join(paragraph.text.split())
            break
    else:
        proposal.title = (document.core_properties.title or "").strip()
    if proposal.title == TEMPLATE_TITLE:
        proposal.title = ""
    if document.tables:
        for row in document.tables[0].rows:
            cells = row.cells
            if len(cells) < 2:
                continue
            label = normalise_heading(cells[0].text)
            for known, name in FRONT_MATTER.items():
                if label == known or SequenceMatcher(None, label, known).ratio() >= SIMILAR_ENOUGH:
                    value = "\n".join(p.text.strip() for p in cells[1].paragraphs if p.text.strip())
                    setattr(proposal, name, value)
                    break
    part = proposal.part.upper().replace("PART", "").strip()
    proposal.part = "II" if part.startswith("II") or part == "2" else ("I" if part else "")


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MARKED_FORMATS = {"lowerLetter": "a", "upperLetter": "A", "lowerRoman": "i", "upperRoman": "I"}


def _xml(data: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(data, parser)


def _lettered_numbering_as_text(data: bytes) -> bytes:
    """Word's own lettered and roman numbering, written out as the "a) " an author would type.

    mammoth reads every numbered list as 1, 2, 3; the letters are in numbering.xml, which
    it does not pass on. Writing the markers into the text lets one rule (_lettered_lists)
    read both the typed and the automatic kind."""
    from lxml import etree

    archive = zipfile.ZipFile(io.BytesIO(data))
    if "word/numbering.xml" not in archive.namelist():
        return data
    w = f"{{{_W}}}"
    numbering = _xml(_read_part(archive, "word/numbering.xml", MAX_DOCUMENT_XML_BYTES))
    abstract = {}
    for element in numbering.iter(f"{w}abstractNum"):
        levels = {}
        for level in element.iter(f"{w}lvl"):
            fmt = level.find(f"{w}numFmt")
            start = level.find(f"{w}start")
            levels[level.get(f"{w}ilvl")] = (
                fmt.get(f"{w}val") if fmt is not None else "decimal",
                int(start.get(f"{w}val")) if start is not None and (start.get(f"{w}val") or "").isdigit() else 1,
            )
        abstract[element.get(f"{w}abstractNumId")] = levels
    formats = {}
    for element in numbering.iter(f"{w}num"):
        ref = element.find(f"{w}abstractNumId")
        if ref is not None:
            formats[element.get(f"{w}numId")] = abstract.get(ref.get(f"{w}val"), {})
    if not any(fmt in _MARKED_FORMATS for levels in formats.values() for fmt, _ in levels.values()):
        return data
    document = _xml(_read_part(archive, "word/document.xml", MAX_DOCUMENT_XML_BYTES))
    counters: dict[str, dict[int, int]] = {}
    for paragraph in document.iter(f"{w}p"):
        num_pr = paragraph.find(f"{w}pPr/{w}numPr")
        if num_pr is None:
            continue
        num_id = num_pr.find(f"{w}numId")
        ilvl = num_pr.find(f"{w}ilvl")
        num_id = num_id.get(f"{w}val") if num_id is not None else None
        level = int(ilvl.get(f"{w}val")) if ilvl is not None and (ilvl.get(f"{w}val") or "").isdigit() else 0
        fmt, start = formats.get(num_id, {}).get(str(level), ("decimal", 1))
        count = counters.setdefault(num_id, {})
        count[level] = count.get(level, start - 1) + 1
        for deeper in [k for k in count if k > level]:
            del count[deeper]
        kind = _MARKED_FORMATS.get(fmt)
        if kind is None:
            continue
        n = count[level]
        marker = _roman(n) if kind in ("i", "I") else "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26]
        marker = marker.upper() if kind in ("A", "I") else marker
        num_pr.getparent().remove(num_pr)
        run = etree.Element(f"{w}r")
        text = etree.SubElement(run, f"{w}t")
        text.text = f"{marker}) "
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        paragraph.insert(1 if paragraph.find(f"{w}pPr") is not None else 0, run)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            if info.filename == "word/document.xml":
                target.writestr(
                    info.filename, etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
                )
            else:
                target.writestr(info, _read_part(archive, info.filename, MAX_UNCOMPRESSED_BYTES))
    return out.getvalue()


def _body_html(data: bytes) -> tuple[str, int]:
    import mammoth

    data = _lettered_numbering_as_text(data)

    missing = 0

    def image(image):
        nonlocal missing
        # The picture's bytes are never read: only its alternative text is kept.
        if not (image.alt_text or "").strip():
            missing += 1
            return {"data-figure": ""}
        return {"data-figure": image.alt_text.strip()}

    result = mammoth.convert_to_html(
        io.BytesIO(data),
        convert_image=mammoth.images.img_element(image),
        ignore_empty_paragraphs=True,
    )

    def figure(match):
        alt = re.search(r'data-figure="([^"]*)"', match.group(0))
        return f"[Figure: {alt.group(1)}]" if alt and alt.group(1) else ""

    html = re.sub(r"<img\b[^>]*>", figure, result.value)
    return html, missing


_LETTERED = re.compile(r"^\s*\(?([a-z]|[ivx]{1,5}|[A-Z])\)\s+")
_ROMAN = re.compile(r"^[ivx]+$")


def _split_sections(html: str, mapping: dict[str, str], proposal: Proposal) -> None:
    from lxml import html as lxml_html

    if not html.strip():
        proposal.warnings.append("The document has no text.")
        return
    elements = [e for e in lxml_html.fragments_fromstring(html) if not isinstance(e, str)]
    # Sections are the document's top headings (Heading 1); a lower heading that names a
    # section is taken as one too (an author's slip), any other is a heading within it.
    top = "h1" if any(e.tag == "h1" for e in elements) else "h2"
    for element in elements:
        _unwrap_single_paragraphs(element)
    current = None
    buckets: dict[str, list[str]] = {}
    preamble_done = False
    for element in elements:
        tag = element.tag
        text = " ".join(element.text_content().split())
        target = match_heading(text, mapping) if tag in ("h1", "h2") else None
        if tag == top or target is not None:
            if target is None and not preamble_done:
                # Before the first section: the title and its like, read from the front matter.
                continue
            preamble_done = True
            if target is None:
                proposal.warnings.append(
                    f"The heading “{text}” is not one of the template's: its text is put in Background "
                    "and Advice under its own heading."
                )
                current = "background_and_advice"
                buckets.setdefault(current, []).append(f"<h3>{_escape(text)}</h3>")
                continue
            current = target
            if target == TARGET_LEAVE_OUT:
                proposal.left_out.append(text)
            proposal.section_headings.setdefault(target, text)
            buckets.setdefault(target, [])
            continue
        if current is None:
            continue  # the front matter before the first section, read from the header table
        buckets[current].append(lxml_html.tostring(element, encoding="unicode"))
    for target, parts in buckets.items():
        if target == TARGET_LEAVE_OUT:
            continue
        body = "".join(parts)
        if target == TARGET_BACKGROUND_PAPERS:
            proposal.background_papers = _papers(body)
            continue
        body = sanitise(level_headings(_lettered_lists(body), 3))
        if target == TARGET_REASON_PART_II:
            proposal.sections[target] = plain_text(body) or "N/A"
        else:
            proposal.sections[target] = body


def _unwrap_single_paragraphs(element) -> None:
    """Word puts a paragraph in every table cell and list item; one alone is just its text."""
    for holder in element.iter("td", "th", "li"):
        children = list(holder)
        if len(children) == 1 and children[0].tag == "p" and not (holder.text or "").strip():
            children[0].drop_tag()


def _escape(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


def _lettered_lists(html: str) -> str:
    """Paragraphs (or list items) that start 'a)', '(b)', 'iv)' become a lettered or roman list:
    Word authors type those markers, and councils' reports use them (the seed's action plans)."""
    from lxml import html as lxml_html

    if ")" not in html:
        return html
    elements = [e for e in lxml_html.fragments_fromstring(html) if not isinstance(e, str)]
    out: list[str] = []
    run: list[tuple[str, str]] = []
    run_type = ""

    def flush():
        nonlocal run, run_type
        if run:
            items = "".join(f"<li>{inner}</li>" for _, inner in run)
            first = _ordinal(run[0][0], run_type)
            start = f' start="{first}"' if first > 1 else ""
            out.append(f'<ol type="{run_type}"{start}>{items}</ol>')
        run, run_type = [], ""

    for element in elements:
        items = [element] if element.tag == "p" else []
        if element.tag in ("ol", "ul") and all(li.tag == "li" for li in element):
            items = list(element)
        markers = [_marker(item) for item in items]
        if items and all(markers):
            for item, marker in zip(items, markers, strict=True):
                kind = _marker_type(marker, run_type, run[-1][0] if run else "")
                if run and kind != run_type:
                    flush()
                run_type = kind
                run.append((marker, _strip_marker(item)))
            continue
        flush()
        out.append(lxml_html.tostring(element, encoding="unicode"))
    flush()
    return "".join(out)


def _marker(element) -> str | None:
    match = _LETTERED.match(element.text_content())
    return match.group(1) if match else None


def _marker_type(marker: str, current: str, previous: str) -> str:
    if marker.isupper():
        return "A"
    if current == "a" and len(marker) == 1 and (marker != "i" or previous == "h"):
        return "a"  # "i)" after "h)" is the ninth letter; after "b)" it starts a roman list
    if current == "i":
        return "i" if _ROMAN.match(marker) else "a"
    # A list's first marker: "i", "ii", "iv"... are roman; "v" or "x" alone are letters.
    return "i" if _ROMAN.match(marker) and (marker == "i" or len(marker) > 1) else "a"


def _ordinal(marker: str, kind: str) -> int:
    if kind == "i":
        values = {"i": 1, "v": 5, "x": 10}
        total = 0
        for index, char in enumerate(marker):
            value = values[char]
            total += -value if index + 1 < len(marker) and values[marker[index + 1]] > value else value
        return total
    return ord(marker[0].lower()) - ord("a") + 1


def _strip_marker(element) -> str:
    """The element's inner HTML without its leading 'a) ' marker."""
    from lxml import html as lxml_html

    inner = (element.text or "") + "".join(lxml_html.tostring(c, encoding="unicode") for c in element)
    return _LETTERED.sub("", inner, count=1)


def _papers(html: str) -> list[tuple[str, str, str]]:
    from lxml import html as lxml_html

    papers = []
    for element in lxml_html.fragments_fromstring(html or "<p></p>"):
        if isinstance(element, str) or element.tag != "table":
            continue
        for row in element.iter("tr"):
            cells = [" ".join(c.text_content().split()) for c in row if c.tag in ("td", "th")]
            if not cells or not any(cells):
                continue
            if normalise_heading(cells[0]) in ("paper", "papers", "document"):
                continue  # the header row
            cells = (cells + ["", "", ""])[:3]
            if normalise_heading(cells[0]) in ("none", "n a", ""):
                continue
            papers.append((cells[0][:300], cells[1][:50], cells[2][:200]))
    return papers


# Writing -----------------------------------------------------------------------------------

FRONT_LABELS = (
    ("report_of", "Report of"),
    ("part", "Part"),
    ("electoral_divisions", "Electoral Divisions affected"),
    ("contact", "Contact for further information"),
)
PAPERS_HEADER = ("Paper", "Date", "Contact/Tel")
TEMPLATE_TITLE = "Title of the report"
TEMPLATE_GUIDANCE = (
    "Write the report under the headings below and fill in the table: Quorum reads the table and "
    "each heading's text when the report is uploaded. Keep the headings (Heading 1); use Heading 2 "
    "and below inside a section. Give every picture alternative text. Accept or reject all tracked "
    "changes and delete comments before uploading. This paragraph is not imported."
)


def write_docx(*, title: str, front: dict[str, str], parts: list[tuple[str, str, object]], guidance: str = "") -> bytes:
    """A .docx in the template's shape. `parts` are (heading, target, content): content is the
    section's HTML, or for the background papers a list of (paper, date, contact)."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_paragraph(title, style="Title")
    if guidance:
        document.add_paragraph(guidance)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for name, label in FRONT_LABELS:
        row = table.add_row().cells
        row[0].text = label
        lines = (front.get(name) or "").splitlines() or [""]
        row[1].text = lines[0]
        for line in lines[1:]:
            row[1].add_paragraph(line)
    for heading, target, content in parts:
        document.add_heading(heading, level=1)
        if target == TARGET_BACKGROUND_PAPERS:
            papers = document.add_table(rows=1, cols=3)
            papers.style = "Table Grid"
            for cell, text in zip(papers.rows[0].cells, PAPERS_HEADER, strict=True):
                cell.text = text
            _repeat_header(papers.rows[0])
            for paper in content or []:
                cells = papers.add_row().cells
                for cell, text in zip(cells, paper, strict=True):
                    cell.text = text
        elif target == TARGET_REASON_PART_II:
            document.add_paragraph(str(content or ""))
        else:
            _write_html(document, str(content or ""))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


_LIST_MARKERS = {"a": "abcdefghijklmnopqrstuvwxyz", "A": "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _write_html(container, html: str) -> None:
    """Write sanitised HTML into a document (or a table cell) as Word paragraphs, lists and
    tables: the structure the reader reads back."""
    from lxml import html as lxml_html

    if not html.strip():
        return
    for element in lxml_html.fragments_fromstring(html):
        if isinstance(element, str):
            if element.strip():
                _inline(container.add_paragraph(), element)
            continue
        _write_block(container, element)


def _write_block(container, element) -> None:
    tag = element.tag
    if tag in ("h2", "h3", "h4", "h5", "h6"):
        # Inside a section (Heading 1) the text's own headings start at Heading 2.
        level = min(int(tag[1]) - 1, 6)
        if hasattr(container, "add_heading"):
            container.add_heading(" ".join(element.text_content().split()), level=level)
        else:
            _inline(container.add_paragraph(), element)
    elif tag in ("ul", "ol"):
        kind = element.get("type", "1") if tag == "ol" else ""
        start = int(element.get("start") or 1) if (element.get("start") or "1").isdigit() else 1
        for index, item in enumerate(e for e in element if e.tag == "li"):
            if kind in ("a", "A", "i", "I"):
                n = start + index
                if kind in ("i", "I"):
                    marker = _roman(n)
                    marker = marker.upper() if kind == "I" else marker
                else:
                    marker = _LIST_MARKERS[kind][(n - 1) % 26]
                paragraph = container.add_paragraph(f"{marker}) ")
            else:
                paragraph = container.add_paragraph(style="List Bullet" if tag == "ul" else "List Number")
            _inline(paragraph, item)
    elif tag == "table" and hasattr(container, "add_table"):
        rows = list(element.iter("tr"))
        width = max((len([c for c in r if c.tag in ("td", "th")]) for r in rows), default=0)
        if not rows or not width:
            return
        table = container.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        for tr in rows:
            cells = [c for c in tr if c.tag in ("td", "th")]
            row = table.add_row()
            if cells and all(c.tag == "th" for c in cells):
                _repeat_header(row)
            for cell, source in zip(row.cells, cells, strict=False):
                paragraph = cell.paragraphs[0]
                _inline(paragraph, source)
    elif tag == "blockquote":
        for child in element:
            _write_block(container, child)
    else:
        _inline(container.add_paragraph(), element)


def _inline(paragraph, element, *, bold=False, italic=False, underline=False, script="") -> None:
    """The text of an element into runs, with bold, italic, underline, links and line breaks."""
    if isinstance(element, str):
        _run(paragraph, element, bold, italic, underline, script)
        return
    if element.text:
        _run(paragraph, element.text, bold, italic, underline, script)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            paragraph.add_run().add_break()
        elif tag == "a" and child.get("href"):
            _link(paragraph, child.get("href"), child.text_content(), bold, italic)
        elif tag in ("ul", "ol", "table", "p"):
            _inline(paragraph, child, bold=bold, italic=italic, underline=underline, script=script)
        else:
            _inline(
                paragraph,
                child,
                bold=bold or tag in ("strong", "b"),
                italic=italic or tag in ("em", "i"),
                underline=underline or tag == "u",
                script=tag if tag in ("sub", "sup") else script,
            )
        if child.tail:
            _run(paragraph, child.tail, bold, italic, underline, script)


def _run(paragraph, text, bold, italic, underline, script) -> None:
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    run.underline = underline or None
    if script == "sub":
        run.font.subscript = True
    elif script == "sup":
        run.font.superscript = True


def _link(paragraph, url: str, text: str, bold: bool, italic: bool) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    for on, name in ((bold, "w:b"), (italic, "w:i")):
        if on:
            properties.append(OxmlElement(name))
    run.append(properties)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)

"""Read a structured appendix as it is printed: in the HTML the pack template is given, and
in the public agenda pack itself (built in this process, as the worker builds it, with the
pack's own print stylesheet), page by page."""

import pikepdf

from committee.templatetags.papers import structured_appendix


def appendix_html(appendix) -> str:
    return str(structured_appendix({}, appendix, "pdf"))


def appendix_pdf_pages(appendix) -> list[str]:
    """The text of each page the appendix fills in its meeting's public pack: from its
    bookmark to the next bookmark at its level or above."""
    # Imported here: WeasyPrint loads only in tests that render (the pdf marker).
    import io

    from tests.pack.conftest import build, outline_titles, page_texts, pdf_bytes

    data = pdf_bytes(build(appendix.report.agenda_item.meeting))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        marks = outline_titles(pdf)
    start = next(i for i, (_, title, _) in enumerate(marks) if title.startswith(f"Appendix '{appendix.letter}'"))
    depth, _, first = marks[start]
    last = next((page for d, _, page in marks[start + 1 :] if d <= depth), None)
    return page_texts(data)[first:last]

"""Render a structured appendix as the agenda pack does (medium "pdf", WeasyPrint) and read
the PDF back, page by page."""

import io

from pypdf import PdfReader
from weasyprint import HTML

from committee.templatetags.papers import structured_appendix

PRINT_CSS = """
@page { size: A4; margin: 1.5cm }
@page wide { size: A4 landscape }
.wide { page: wide }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt }
table { border-collapse: collapse; width: 100% }
th, td { border: 1px solid #000; padding: 2pt; vertical-align: top; text-align: left }
"""


def appendix_html(appendix) -> str:
    return str(structured_appendix({}, appendix, "pdf"))


def appendix_pdf_pages(appendix) -> list[str]:
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Pack</title>'
        f"<style>{PRINT_CSS}</style></head><body><h2>{appendix}</h2>{appendix_html(appendix)}</body></html>"
    )
    reader = PdfReader(io.BytesIO(HTML(string=html).write_pdf()))
    return [page.extract_text() for page in reader.pages]

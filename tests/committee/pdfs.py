"""Small real PDFs for upload tests, made with pypdf."""

import io

from pypdf import PdfWriter


def pdf_bytes(pages: int = 2, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

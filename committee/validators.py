"""Upload checks. A file is judged by its content, never by its name."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat


def validate_pdf_upload(upload) -> None:
    limit = settings.QUORUM_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            "This file is %(size)s; the largest file Quorum accepts is %(limit)s. "
            "Reduce its size (for example by saving it again as a PDF with smaller images).",
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    inspect_pdf(upload)


def inspect_pdf(upload) -> int:
    """Return the page count of a readable PDF, or raise a ValidationError saying what is wrong."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head:
        raise ValidationError(
            "This file is not a PDF (whatever its name says). Save or export the document as PDF and upload that.",
            code="not_pdf",
        )
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise ValidationError(
                "This PDF is password-protected. Upload a copy without a password.",
                code="encrypted",
            )
        pages = len(reader.pages)
    except ValidationError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ValidationError(
            "This PDF cannot be read (%(reason)s). Export it again from the original document.",
            code="unreadable",
            params={"reason": str(exc) or exc.__class__.__name__},
        ) from exc
    finally:
        upload.seek(0)
    if pages == 0:
        raise ValidationError("This PDF has no pages.", code="empty")
    return pages

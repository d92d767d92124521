"""Upload checks. A file is judged by its content, never by its name.

An uploaded PDF is opened only by a separate checker program (`pdfsafety.py`) with limits on
its memory, CPU time and wall-clock time: a hostile file can make the check fail, never
hang or exhaust the web process. The check also makes the cleaned copy that readers get and
extracts the text for search, so the file is read once, when it is accepted.
"""

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat

from . import pdfsafety

_CHECKER = Path(pdfsafety.__file__)
_AGAIN = "Export it again from the original document (or print it to a new PDF) and upload that."


@dataclass(frozen=True)
class CheckedPdf:
    pages: int
    text: str
    cleaned: bytes


def validate_pdf_upload(upload) -> None:
    # A file already stored was judged when it arrived: editing an appendix's title does
    # not judge its file again.
    if getattr(upload, "_committed", False):
        return
    limit = settings.QUORUM_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            "This file is %(size)s; the largest file Quorum accepts is %(limit)s. "
            "Reduce its size (for example by saving it again as a PDF with smaller images).",
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    check_pdf(upload)


def check_pdf(upload) -> CheckedPdf:
    """Check an uploaded PDF (once per upload) and return its page count, text and cleaned
    copy, or raise a ValidationError saying what is wrong in words an officer can act on."""
    holder = upload.file if isinstance(upload, FieldFile) else upload
    checked = getattr(holder, "quorum_checked", None)
    if checked is None:
        checked = _run_checker(upload)
        # The form's validation and the service that stores the file share one check.
        holder.quorum_checked = checked
    return checked


def check_pdf_bytes(data: bytes) -> CheckedPdf:
    from django.core.files.base import ContentFile

    return _run_checker(ContentFile(data))


def _limits() -> dict:
    return {
        "max_pages": settings.QUORUM_UPLOAD_MAX_PAGES,
        "max_depth": settings.QUORUM_UPLOAD_MAX_NESTING,
        "max_stream_mb": settings.QUORUM_UPLOAD_MAX_DECOMPRESSED_MB,
        "memory_mb": settings.QUORUM_UPLOAD_CHECK_MEMORY_MB,
        "cpu_seconds": settings.QUORUM_UPLOAD_CHECK_CPU_SECONDS,
        "text_seconds": settings.QUORUM_UPLOAD_TEXT_SECONDS,
        # The cleaned copy is never much larger than the file; a file that would make it so is refused.
        "max_output_mb": 4 * settings.QUORUM_MAX_UPLOAD_MB,
    }


def _run_checker(upload) -> CheckedPdf:
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head:
        raise _refusal(pdfsafety.NOT_PDF, "")
    limits = _limits()
    with tempfile.TemporaryDirectory(prefix="quorum-pdf-") as folder:
        source, cleaned = Path(folder, "upload.pdf"), Path(folder, "cleaned.pdf")
        with source.open("wb") as f:
            for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
                f.write(chunk)
        upload.seek(0)
        try:
            finished = subprocess.run(  # noqa: S603 - our own program, with our own arguments
                [sys.executable, "-I", str(_CHECKER), str(source), str(cleaned), json.dumps(limits)],
                capture_output=True,
                timeout=settings.QUORUM_UPLOAD_CHECK_SECONDS,
                env={},
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise _refusal("too_complex", "") from None
        try:
            answer = json.loads(finished.stdout or b"null")
        except ValueError:
            answer = None
        if finished.returncode != 0 or not isinstance(answer, dict):
            # Killed at its CPU or memory limit, or crashed on the file.
            raise _refusal("too_complex", "")
        if "refused" in answer:
            raise _refusal(answer["refused"], answer.get("detail", ""))
        return CheckedPdf(pages=answer["pages"], text=answer["text"], cleaned=cleaned.read_bytes())


def _refusal(code: str, detail: str) -> ValidationError:
    if code == pdfsafety.NOT_PDF:
        return ValidationError(
            "This file is not a PDF (whatever its name says). Save or export the document as PDF and upload that.",
            code=code,
        )
    if code == pdfsafety.ENCRYPTED:
        return ValidationError("This PDF is password-protected. Upload a copy without a password.", code=code)
    if code == pdfsafety.UNREADABLE:
        return ValidationError(
            "This PDF cannot be read (%(reason)s). " + _AGAIN, code=code, params={"reason": detail or "it is damaged"}
        )
    if code == pdfsafety.EMPTY:
        return ValidationError("This PDF has no pages.", code=code)
    if code == pdfsafety.TOO_MANY_PAGES:
        return ValidationError(
            "This PDF has %(pages)s pages; Quorum accepts at most %(limit)s. "
            "Split it into parts and upload each as an appendix of its own.",
            code=code,
            params={"pages": detail, "limit": settings.QUORUM_UPLOAD_MAX_PAGES},
        )
    if code == pdfsafety.TOO_DEEP:
        return ValidationError(
            "This PDF is built in a way Quorum does not accept (its contents are nested too deeply). " + _AGAIN,
            code=code,
        )
    if code == pdfsafety.TOO_LARGE_DECOMPRESSED:
        return ValidationError(
            "This PDF holds more than %(limit)s in one part once decompressed, more than Quorum accepts. " + _AGAIN,
            code=code,
            params={"limit": filesizeformat(settings.QUORUM_UPLOAD_MAX_DECOMPRESSED_MB * 1024 * 1024)},
        )
    return ValidationError(
        "This PDF took too long or needed too much memory to check, so it was not accepted. " + _AGAIN,
        code="too_complex",
    )

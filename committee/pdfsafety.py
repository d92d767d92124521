"""Checking and cleaning uploaded PDFs, with no Django in sight.

An uploaded PDF is untrusted: it may run JavaScript when opened, carry attached files or
its author's metadata, or be built to exhaust whoever reads it (ten thousand pages, a few
hundred megabytes of zeros behind one compressed stream, structures nested fifty thousand
deep). Two things live here:

- `clean_pdf`: the one cleaning every copy a reader gets goes through (the document served
  at /documents/<id>/ and the pages merged into the packs). Only the pages survive, as
  printed: form fields and stamps are flattened into the page, then every annotation, page
  action, page metadata and thumbnail is dropped, and the pages are moved into a new file,
  so that nothing the catalogue carried (opening actions, JavaScript, attached files, XFA
  forms, outlines with actions, document information, XMP metadata, tags) comes along.
- `main`: the checker, run as a separate program (`python -I pdfsafety.py ...`) under
  operating-system limits on memory and CPU time, and killed by the caller after a
  wall-clock timeout: whatever the file does, the web process is not the one that suffers.
  It checks the page count, how deeply objects nest and how large each stream becomes once
  decompressed; writes the cleaned copy; and extracts its text for search.

This module uses only pikepdf, pypdf and the standard library, so that the checker starts
quickly and knows nothing of the database; it imports them when they are used, so that the
web process (which imports the names and codes here) does not load them.
"""

from __future__ import annotations

import io
import json
import resource
import sys
import time
import zlib
from contextlib import suppress
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pikepdf

# Keys a page may carry that could act, track or point at things the clean copy drops.
PAGE_KEYS_DROPPED = ("/Annots", "/AA", "/StructParents", "/PieceInfo", "/Metadata", "/B", "/Thumb")

# What the checker answers when it refuses a file (the caller words the message).
NOT_PDF = "not_pdf"
ENCRYPTED = "encrypted"
UNREADABLE = "unreadable"
# Not "empty": a model form puts its file field's own message ("The submitted file is
# empty") in place of any error with that code.
EMPTY = "no_pages"
TOO_MANY_PAGES = "too_many_pages"
TOO_DEEP = "too_deep"
TOO_LARGE_DECOMPRESSED = "too_large_decompressed"


class Refused(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


def clean_pdf(pdf: pikepdf.Pdf) -> pikepdf.Pdf:
    """A new PDF with the pages of `pdf` as printed and nothing else (see the module's note)."""
    import pikepdf

    # A file whose annotations cannot be flattened just loses them.
    with suppress(pikepdf.PdfError):
        pdf.flatten_annotations("print")
    for page in pdf.pages:
        for key in PAGE_KEYS_DROPPED:
            if key in page.obj:
                del page.obj[key]
    clean = pikepdf.new()
    clean.pages.extend(pdf.pages)
    return clean


def save_clean(pdf: pikepdf.Pdf) -> bytes:
    import pikepdf

    out = io.BytesIO()
    pdf.save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True)
    return out.getvalue()


# The checker --------------------------------------------------------------------------------


def _deepest(obj, limit: int) -> int:
    """How deeply the direct objects inside `obj` nest (indirect ones are walked on their own);
    stops counting past `limit`."""
    import pikepdf

    deepest = 0
    stack = [(obj, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        if isinstance(current, pikepdf.Stream):
            current = current.stream_dict
        if isinstance(current, pikepdf.Dictionary):
            children = current.values()
        elif isinstance(current, pikepdf.Array):
            children = list(current)
        else:
            continue
        for child in children:
            if isinstance(child, (pikepdf.Dictionary, pikepdf.Array)) and not child.is_indirect:
                stack.append((child, depth + 1))
    return deepest


def _decompressed_size(stream: pikepdf.Stream, limit: int) -> int:
    """The size of a stream once decompressed, counted without holding it: stops past `limit`."""
    import pikepdf

    filters = stream.get("/Filter")
    if isinstance(filters, pikepdf.Name):
        filters = [filters]
    filters = [str(f) for f in filters] if filters is not None else []
    if filters in (["/FlateDecode"], ["/Fl"]):
        inflater = zlib.decompressobj()
        raw = stream.read_raw_bytes()
        total = 0
        chunk = raw
        while chunk:
            total += len(inflater.decompress(chunk, 1 << 20))
            if total > limit:
                return total
            chunk = inflater.unconsumed_tail
        return total
    if not filters or any(f in ("/DCTDecode", "/JPXDecode", "/CCITTFaxDecode", "/JBIG2Decode") for f in filters):
        # Uncompressed, or an image that readers decode to its width by its height: qpdf does
        # not decompress these when it copies them.
        return len(stream.read_raw_bytes())
    # Rarer filters (LZW, ASCII85 then Flate...): decoded in full, under the memory limit.
    return len(stream.read_bytes())


def check(
    path: str, *, max_pages: int, max_depth: int, max_stream_bytes: int, text_seconds: float, cpu_seconds: float
) -> dict:
    """Check the PDF at `path`; return its page count, its cleaned copy and its text."""
    import pikepdf

    with open(path, "rb") as f:
        if b"%PDF-" not in f.read(1024):
            raise Refused(NOT_PDF)
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError as exc:
        raise Refused(ENCRYPTED) from exc
    except (pikepdf.PdfError, ValueError, OSError) as exc:
        raise Refused(UNREADABLE, _reason(exc, path)) from exc
    if pdf.is_encrypted:
        raise Refused(ENCRYPTED)
    try:
        pages = len(pdf.pages)
    except pikepdf.PdfError as exc:
        raise Refused(UNREADABLE, _reason(exc, path)) from exc
    if pages == 0:
        raise Refused(EMPTY)
    if pages > max_pages:
        raise Refused(TOO_MANY_PAGES, str(pages))
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and _decompressed_size(obj, max_stream_bytes) > max_stream_bytes:
            raise Refused(TOO_LARGE_DECOMPRESSED)
        if (
            isinstance(obj, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream))
            and _deepest(obj, max_depth) > max_depth
        ):
            raise Refused(TOO_DEEP)
    # qpdf replaces what nests beyond its own limit with null, and says so.
    if any("limits error" in warning for warning in pdf.get_warnings()):
        raise Refused(TOO_DEEP)
    cleaned = save_clean(clean_pdf(pdf))
    # The text is a bonus: it stops early rather than let the CPU limit refuse a good file.
    text_until = min(text_seconds, cpu_seconds - 1.5 - time.process_time())
    return {"pages": pages, "cleaned": cleaned, "text": _text(cleaned, text_until)}


def _reason(exc: Exception, path: str) -> str:
    """qpdf's reason, without the name of the checker's temporary file."""
    return str(exc).replace(f"{path}: ", "").replace(path, "the file").strip()


def _text(cleaned: bytes, seconds: float) -> str:
    """The text of the cleaned copy, for search: as much as a few seconds extract."""
    from pypdf import PdfReader

    stop_wall, stop_cpu = time.monotonic() + seconds, time.process_time() + seconds
    texts = []
    size = 0
    for page in PdfReader(io.BytesIO(cleaned)).pages:
        if time.monotonic() > stop_wall or time.process_time() > stop_cpu or size > 1_000_000:
            break
        try:
            text = page.extract_text() or ""
        except Exception:  # noqa: BLE001 - a page whose text cannot be read is still printed
            text = ""
        texts.append(text)
        size += len(text)
    return "\n".join(texts)[:1_000_000]


def main(argv: list[str]) -> int:
    """`pdfsafety.py SOURCE CLEANED LIMITS_JSON`: writes the cleaned copy to CLEANED and prints
    {"pages": n, "text": "..."} or {"refused": code, "detail": "..."} as JSON."""
    source, cleaned_path, limits = argv[0], argv[1], json.loads(argv[2])
    memory = limits["memory_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu_seconds"], limits["cpu_seconds"] + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    output = limits["max_output_mb"] * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (output, output))
    try:
        result = check(
            source,
            max_pages=limits["max_pages"],
            max_depth=limits["max_depth"],
            max_stream_bytes=limits["max_stream_mb"] * 1024 * 1024,
            text_seconds=limits["text_seconds"],
            cpu_seconds=limits["cpu_seconds"],
        )
    except Refused as refused:
        json.dump({"refused": refused.code, "detail": refused.detail}, sys.stdout)
        return 0
    except (MemoryError, RecursionError):
        json.dump({"refused": "too_complex", "detail": ""}, sys.stdout)
        return 0
    with open(cleaned_path, "wb") as f:
        f.write(result.pop("cleaned"))
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""`make bench-word`: importing a report written in Word, and refusing bad files, in time.

Builds with python-docx a report from the council's template of about 60 pages (30,000
words at Word's 500 a page: prose under sub-headings, bulleted, numbered and lettered lists,
tables with header rows, background papers), then on this machine measures, fastest of
`--repeat` runs:

- the preview (committee.services.report_word_read: the zip checks, mammoth, python-docx,
  the section split and the sanitiser);
- the import (committee.services.report_import_docx: the same, and the save in one
  transaction with the document kept);
- the report written back out as .docx (committee.services.report_word_document);
- the refusal of a zip bomb and of an enormous document (bounded before any parsing);
- the process's peak memory.

Prints a Markdown table (paste into docs/benchmarks.md) and the raw figures as JSON.
Usage: QUORUM_VAR_DIR=var/bench-word python bench/word.py [--words 30000] [--repeat 3]
"""

import argparse
import io
import json
import os
import resource
import sys
import time
import zipfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("QUORUM_VAR_DIR", str(ROOT / "var" / "bench-word"))

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from committee import services, word  # noqa: E402
from committee.models import AgendaItem, Committee, Meeting, Report, Venue  # noqa: E402

TEXT = (
    "The service has reviewed its performance against the targets agreed by the Cabinet, and the "
    "variances are explained below together with the actions the directorate has taken and the risks "
    "that remain, so that members can judge whether the plan is on track."
)  # 45 words


WORDS = TEXT.replace(",", "").replace(".", "").split()


def _prose(rng, n: int) -> str:
    """Text that varies like an author's (a repeated sentence would compress like a zip bomb)."""
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def report_docx(words: int) -> bytes:
    import random

    import docx

    rng = random.Random(words)

    document = docx.Document()
    document.add_paragraph("Synthetic Performance Report", style="Title")
    table = document.add_table(rows=0, cols=2)
    for label, value in (
        ("Report of", "Director of Corporate Services"),
        ("Part", "Part I"),
        ("Electoral Divisions affected", "All"),
        ("Contact for further information", "L Sales, Director of Corporate Services"),
    ):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    written = 0
    for heading in ("Executive Summary", "Recommendation"):
        document.add_heading(heading, level=1)
        document.add_paragraph(TEXT)
        written += 45
    document.add_heading("Background and Advice", level=1)
    part = 0
    while written < words:
        part += 1
        document.add_heading(f"Area {part}", level=2)
        for _ in range(8):
            paragraph = document.add_paragraph(_prose(rng, 14))
            paragraph.add_run(" with a bold finding ").bold = True
            paragraph.add_run(_prose(rng, 30))
        for letter in "abcdef":
            document.add_paragraph(f"{letter}) {_prose(rng, 22)}")
        for _ in range(4):
            document.add_paragraph(_prose(rng, 18), style="List Bullet")
        table = document.add_table(rows=1, cols=6)
        for index, cell in enumerate(table.rows[0].cells):
            cell.text = f"Measure {index + 1}"
        for row in range(12):
            for index, cell in enumerate(table.add_row().cells):
                cell.text = f"{(row * 7 + index * 3) % 97}%"
        written += 8 * 49 + 6 * 22 + 4 * 18 + 80
    for heading in ("Consultations", "Implications", "Risk management"):
        document.add_heading(heading, level=1)
        document.add_paragraph(TEXT)
    document.add_heading("List of Background Papers", level=1)
    papers = document.add_table(rows=1, cols=3)
    for cell, text in zip(papers.rows[0].cells, ("Paper", "Date", "Contact/Tel"), strict=True):
        cell.text = text
    for n in range(10):
        for cell, text in zip(papers.add_row().cells, (f"Paper {n}", "April 2018", "L Sales"), strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bomb(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        target.writestr("word/media/image1.png", b"\0" * (90 * 1024 * 1024))
    return out.getvalue()


def enormous(data: bytes) -> bytes:
    filler = "".join(f"<w:p><w:r><w:t>{n:x} {n * 7919:x}</w:t></w:r></w:p>" for n in range(500_000)).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/document.xml":
                content = content.replace(b"<w:body>", b"<w:body>" + filler)
            target.writestr(info.filename, content)
    return out.getvalue()


def _document_xml_size(data: bytes) -> int:
    return zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size


def fastest(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    committee, _ = Committee.objects.get_or_create(slug="benchmark-word", defaults={"name": "Benchmark Committee"})
    venue, _ = Venue.objects.get_or_create(name="Committee Room 'B'", address="County Hall, Preston")
    meeting = services.meeting_save(
        meeting=Meeting(committee=committee, venue=venue, starts_at=timezone.now() + timedelta(days=40))
    )
    item = AgendaItem.objects.create(meeting=meeting, order=1, number="1", title="Synthetic Performance Report")
    report = Report.objects.create(agenda_item=item, title=item.title, report_of="Director")

    data = report_docx(args.words)

    def upload(content):
        return SimpleUploadedFile("report.docx", content)

    figures = {"words": args.words, "docx_bytes": len(data)}
    figures["preview_s"] = fastest(args.repeat, lambda: services.report_word_read(upload=upload(data), report=report))
    figures["import_s"] = fastest(
        args.repeat, lambda: services.report_import_docx(report=report, upload=upload(data), by=None)
    )
    report.refresh_from_db()
    figures["export_s"] = fastest(args.repeat, lambda: services.report_word_document(report=report))
    figures["stored_html_chars"] = len(report.background_and_advice)
    for name, bad in (("zip_bomb", zip_bomb(data)), ("enormous", enormous(data))):
        figures[f"{name}_bytes"] = len(bad)

        def refuse(bad=bad):
            try:
                services.report_word_read(upload=upload(bad), report=report)
            except django.core.exceptions.ValidationError:
                return
            raise AssertionError("not refused")

        figures[f"{name}_refused_s"] = fastest(args.repeat, refuse)
    figures["peak_memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The largest document accepted: its document.xml just under the limit (the worst time
    # an upload can take before it is shown or refused).
    largest_words = int(args.words * word.MAX_DOCUMENT_XML_BYTES * 0.95 / _document_xml_size(data))
    largest = report_docx(largest_words)
    figures["largest_words"] = largest_words
    figures["largest_document_xml_bytes"] = _document_xml_size(largest)
    figures["largest_preview_s"] = fastest(1, lambda: services.report_word_read(upload=upload(largest), report=report))
    figures["largest_peak_memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    meeting.delete()

    print("| Measurement | Result |")
    print("|---|---|")
    print(f"| Report ({args.words:,} words, about {args.words // 500} pages, {len(data) / 1024:.0f} KB .docx) | |")
    print(f"| Preview (read, check, split, sanitise) | {figures['preview_s']:.2f} s |")
    print(f"| Import (the same and the save, document kept) | {figures['import_s']:.2f} s |")
    print(f"| Download as .docx | {figures['export_s']:.2f} s |")
    print(f"| Zip bomb ({figures['zip_bomb_bytes'] / 1024:.0f} KB, 90 MB inside) refused | "
          f"{figures['zip_bomb_refused_s']:.3f} s |")  # fmt: skip
    print(f"| Enormous document ({figures['enormous_bytes'] / 1024 / 1024:.1f} MB) refused | "
          f"{figures['enormous_refused_s']:.3f} s |")  # fmt: skip
    print(f"| Peak memory of the process | {figures['peak_memory_mb']:.0f} MB |")
    print(f"| Largest accepted document ({figures['largest_words']:,} words, "
          f"{figures['largest_document_xml_bytes'] / 1024 / 1024:.1f} MB of document XML): preview | "
          f"{figures['largest_preview_s']:.1f} s, peak {figures['largest_peak_memory_mb']:.0f} MB |")  # fmt: skip
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()

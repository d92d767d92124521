"""A table row that runs on to the next page names itself there ("CR1 (continued)"), in
its empty row header cell, as a pagination artifact; a page that starts with a new row says
nothing of the row before (committee.pack.render.continued_rows)."""

import io
import re

import pikepdf
import pytest
from pypdf import PdfReader

from committee.pack.render import Job, render_job
from tests import pdfua

from .conftest import page_texts, rows_continued

pytestmark = pytest.mark.pdf

CONTINUED = re.compile(r"\b(R\d+) \(continued\)")


def register(rows: list[tuple[str, int]], *, whole_rows: bool = False) -> str:
    """A landscape register-like table as the pack prints it: each row a reference and
    `lines` lines of text; with `whole_rows`, rows are never split, so every page break
    falls exactly between two rows."""
    body = "".join(
        f'<tr data-continued-label="{ref} (continued)"><th scope="row">{ref}</th>'
        f"<td>{''.join(f'<p>Action {n} of {ref}</p>' for n in range(lines))}</td></tr>"
        for ref, lines in rows
    )
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><title>Register</title><style>'
        "@page { size: A4 landscape; margin: 18mm 15mm; } body { font-family: 'Liberation Sans'; }"
        "table { width: 100%; table-layout: fixed; border-collapse: collapse; font-size: 7.5pt; }"
        "th, td { border: 0.5pt solid #555; padding: 3pt 4pt; text-align: left; vertical-align: top; }"
        f"p {{ margin: 0; }} {'tr { break-inside: avoid; }' if whole_rows else ''}"
        '</style></head><body><table><caption>Register</caption><colgroup><col style="width: 8%"><col></colgroup>'
        '<thead><tr><th scope="col">Reference</th><th scope="col">Actions</th></tr></thead>'
        f"<tbody>{body}</tbody></table></body></html>"
    )


def test_a_row_over_three_pages_names_itself_on_the_two_it_runs_on_to():
    data = render_job(Job(key="test", html=register([("R1", 5), ("R2", 130), ("R3", 5)]))).pdf
    texts = page_texts(data)
    assert len(texts) == 3
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert rows_continued(pdf) == [1, 2]  # from the tags: R2's header cell is empty there
    assert [CONTINUED.findall(text) for text in texts] == [[], ["R2"], ["R2"]]
    # A copy read by another program (pypdf, as docs/packs.md says) reads the same labels.
    copied = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert [CONTINUED.findall(text) for text in copied] == [[], ["R2"], ["R2"]]
    assert "R3" in texts[2]
    assert not pdfua.problems(data)


def test_a_page_that_starts_with_a_new_row_names_no_row_before_it():
    # Rows of 40 lines, kept whole: two do not fit on a page, so each page break falls
    # between two rows and each page starts with a row of its own.
    data = render_job(Job(key="test", html=register([(f"R{n}", 40) for n in range(1, 6)], whole_rows=True))).pdf
    texts = page_texts(data)
    assert [re.search(r"^(R\d+) Action 0 of", text, flags=re.MULTILINE)[1] for text in texts] == [
        "R1",
        "R2",
        "R3",
        "R4",
        "R5",
    ]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert rows_continued(pdf) == []
    assert not any("(continued)" in text for text in texts)


def test_the_label_is_an_artifact_a_screen_reader_does_not_hear():
    """In the tags the row is one row with one header cell, read once: the label, drawn for
    the eye on the page the row runs on to, is a pagination artifact, outside them."""
    import pdfplumber

    data = render_job(Job(key="test", html=register([("R1", 5), ("R2", 130)]))).pdf
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        chars = pdf.pages[1].chars
    label = [c for c in chars if c.get("mcid") is None]
    assert "".join(c["text"] for c in label) == "R2 (continued)"
    assert {c.get("tag") for c in label} == {"Artifact"}
    assert all(c.get("mcid") is not None for c in chars if c not in label)  # the table's text is tagged

"""The baseline the pack's targets are measured against: the same pack rendered as one
WeasyPrint document (front sheet ranges by target-counter(), page numbers and Part II
markings in margin boxes), as the issue measured it."""

import re
from html import escape

from committee.pack.content import PackContent

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL)
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)

EXTRA_CSS = """
@page { @bottom-center { content: "Page " counter(page); font-size: 9pt; }
        @top-center { content: string(notice); font-size: 9pt; font-weight: bold; } }
@page wide { @bottom-center { content: "Page " counter(page); font-size: 9pt; }
        @top-center { content: string(notice); font-size: 9pt; font-weight: bold; } }
@page front { counter-reset: page; @bottom-center { content: none; } }
.front-sheet { page: front; }
.paper { break-before: page; string-set: notice attr(data-notice); }
a.start::after, a.end::after { content: target-counter(attr(href), page); }
a.start, a.end { text-decoration: none; }
"""


def one_document_html(content: PackContent) -> str:
    """Every part's body in one HTML document, in pack order (uploaded PDFs cannot be)."""
    marks = {p.item.number: (f"@@START-{p.item.number}@@", f"@@END-{p.item.number}@@") for p in content.papers}
    front = content.front_sheet_html(marks)
    css = _STYLE.search(front).group(1)
    front_body = _BODY.search(front).group(1)
    for number, (start, end) in marks.items():
        front_body = front_body.replace(start, f'<a class="start" href="#item-{number}-start"></a>')
        front_body = front_body.replace(end, f'<a class="end" href="#item-{number}-end"></a>')
    sections = [f'<div class="front-sheet front">{front_body}</div>']
    for paper in content.papers:
        html_parts = [part for part in paper.parts if not part.is_upload]
        for n, part in enumerate(html_parts):
            body = _BODY.search(part.html).group(1)
            start = f'<span id="item-{paper.item.number}-start"></span>' if n == 0 else ""
            end = f'<span id="item-{paper.item.number}-end"></span>' if n == len(html_parts) - 1 else ""
            sections.append(f'<div class="paper" data-notice="{escape(part.notice)}">{start}{body}{end}</div>')
    return (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{escape(content.title)}</title>'
        f"<style>{css}{EXTRA_CSS}</style></head><body>" + "\n".join(sections) + "</body></html>"
    )

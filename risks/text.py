"""The register's long cells are rich text (paragraphs and bulleted lists). Spreadsheets
hold plain text: these turn one into the other for imports and exports."""

from html import escape
from html.parser import HTMLParser

BULLETS = ("•", "-", "*", "○", "◦", "–")


class _TextWriter(HTMLParser):
    """Paragraphs become lines; list items become bulleted lines, indented by depth."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.prefix = ""
        self.depth = 0
        self.ordered: list[int | None] = []

    def _flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.lines.append(self.prefix + text)
        self.current = []
        self.prefix = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "br", "h2", "h3", "h4", "h5", "tr"):
            self._flush()
        elif tag in ("ul", "ol"):
            self._flush()
            self.depth += 1
            self.ordered.append(1 if tag == "ol" else None)
        elif tag == "li":
            self._flush()
            counter = self.ordered[-1] if self.ordered else None
            marker = f"{counter}." if counter is not None else ("•" if self.depth <= 1 else "◦")
            if counter is not None:
                self.ordered[-1] += 1
            self.prefix = "  " * max(self.depth - 1, 0) + marker + " "
        elif tag in ("td", "th"):
            self.current.append(" ")

    def handle_endtag(self, tag):
        if tag in ("p", "li", "h2", "h3", "h4", "h5", "tr"):
            self._flush()
        elif tag in ("ul", "ol"):
            self._flush()
            self.depth = max(self.depth - 1, 0)
            if self.ordered:
                self.ordered.pop()

    def handle_data(self, data):
        self.current.append(data)

    def text(self) -> str:
        self._flush()
        return "\n".join(self.lines)


def html_to_text(html: str) -> str:
    """Rich text as plain lines, bullets kept: for CSV and XLSX cells."""
    if not html:
        return ""
    writer = _TextWriter()
    writer.feed(str(html))
    writer.close()
    return writer.text()


def text_to_html(text: str) -> str:
    """Plain text from a spreadsheet cell as rich text: lines starting with a bullet become a
    list (indented bullets a list within it), other lines paragraphs. Text that is already
    HTML is kept as it is (and sanitised where it is stored)."""
    text = (text or "").strip("\n")
    if not text.strip() or "<" in text:
        return text.strip()
    out: list[str] = []
    depth = 0  # open lists
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith(BULLETS) and line[1:2] == " ":
            level = 2 if raw[: len(raw) - len(raw.lstrip())] else 1
            if level > depth:
                out.append("<ul>")
                if depth == 1:
                    out[-2] = out[-2].removesuffix("</li>")  # nest inside the item above
                depth += 1
            elif level < depth:
                out.append("</ul></li>")
                depth -= 1
            out.append(f"<li>{escape(line[2:].strip())}</li>")
            continue
        while depth:
            out.append("</ul></li>" if depth == 2 else "</ul>")
            depth -= 1
        out.append(f"<p>{escape(line)}</p>")
    while depth:
        out.append("</ul></li>" if depth == 2 else "</ul>")
        depth -= 1
    return "".join(out)

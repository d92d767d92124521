"""Rich text typed by officers (reports, minutes, letters) is sanitised where it is stored,
so that whatever path writes it (admin, import, a service, queryset.update) a script or an
event handler is stored harmless and every surface can render it as it is."""

import re
from html import unescape

import nh3
from django.db import models
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from core.forms import RichTextFormField

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "sub", "sup",
    "h2", "h3", "h4", "h5", "ul", "ol", "li", "blockquote",
    "table", "caption", "thead", "tbody", "tr", "th", "td",
    "a", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"type", "start"},
}


def sanitise(html: str) -> str:
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    ).strip()


class RichTextField(models.TextField):
    """A TextField of HTML that is sanitised on every write to the database."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return sanitise(value) if value else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": RichTextFormField, **kwargs})

    def from_db_value(self, value, expression, connection):
        # Stored values were sanitised on the way in: safe to render unescaped.
        return mark_safe(value) if value else value  # noqa: S308 - sanitised by get_prep_value


# How the editor writes what was stored another way: <b> as <strong>, a list item's or a
# cell's text in a paragraph, an explicit <tbody> and start="1", line breaks between blocks.
_SAME_AS = [
    (re.compile(r"<(/?)b>"), r"<\1strong>"),
    (re.compile(r"<(/?)i>"), r"<\1em>"),
    (re.compile(r"<(li|th|td)((?: [^>]*)?)><p>"), r"<\1\2>"),
    (re.compile(r"</p></(li|th|td)>"), r"</\1>"),
    (re.compile(r"</?tbody>"), ""),
    (re.compile(r' start="1"'), ""),
    (re.compile(r'<ol type="1"'), "<ol"),
    (re.compile(r"<p></p>"), ""),
    (re.compile(r">\s+<"), "><"),
]


def same_rich_text(a: str, b: str) -> bool:
    """Whether two pieces of rich text read the same once sanitised: the stored HTML and
    what the editor posts for it when the officer changed nothing (or changed it back)."""
    if a == b:
        return True
    forms = []
    for html in (a, b):
        html = sanitise(html)
        for pattern, replacement in _SAME_AS:
            html = pattern.sub(replacement, html)
        forms.append(html.strip())
    return forms[0] == forms[1]


_LINE_END = re.compile(r"<br\s*/?>|</(?:p|li|h[1-6]|tr|div|blockquote)>", re.IGNORECASE)


def html_as_text(html: str) -> str:
    """HTML typed into a field printed as plain text, as the words it meant: a line for each
    paragraph, list item or line break, no tags, entities decoded."""
    text = unescape(strip_tags(_LINE_END.sub("\n", html or "")))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def plain_text(html: str) -> str:
    """The words of some HTML, with a space wherever a tag separated them."""
    return unescape(" ".join(strip_tags(re.sub(r"<[^>]+>", " \\g<0> ", html)).split()))


_HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)


def level_headings(html: str, top: int) -> str:
    """Renumber the headings inside a piece of text so that they sit below the heading the
    text is printed under: its highest heading becomes `top`, and levels it skipped close
    up (an <h2> then an <h4> become `top` and `top` + 1). Screen readers and the tagged PDF
    then read one outline without jumps (WCAG 1.3.1; PDF/UA). Levels stop at 6."""
    levels = sorted({int(level) for _, level in _HEADING.findall(html or "")})
    if not levels:
        return html
    new = {level: min(top + rank, 6) for rank, level in enumerate(levels)}
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{new[int(m.group(2))]}", html)

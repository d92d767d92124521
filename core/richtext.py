"""Rich text typed by officers (reports, minutes, letters) is sanitised where it is stored,
so that whatever path writes it (admin, import, a service, queryset.update) a script or an
event handler is stored harmless and every surface can render it as it is."""

import re
from html import unescape

import nh3
from django.db import models
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

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

    def from_db_value(self, value, expression, connection):
        # Stored values were sanitised on the way in: safe to render unescaped.
        return mark_safe(value) if value else value  # noqa: S308 - sanitised by get_prep_value


def plain_text(html: str) -> str:
    """The words of some HTML, with a space wherever a tag separated them."""
    return unescape(" ".join(strip_tags(re.sub(r"<[^>]+>", " \\g<0> ", html)).split()))

import re

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeData, mark_safe

from core.richtext import level_headings, sanitise

register = template.Library()


@register.simple_tag(takes_context=True)
def webcal_url(context, path: str) -> str:
    """The address of a calendar feed for "subscribe": a calendar application that opens a
    webcal: link subscribes to it (and keeps it up to date) instead of importing it once."""
    absolute = context["request"].build_absolute_uri(path)
    return "webcal:" + absolute.split(":", 1)[1]


@register.simple_tag
def field_error(field) -> str:
    """A field's errors, where a form is written field by field: at the field, with the id
    (`<field's id>_error`) that Django names in the aria-describedby of the field's widget, so
    a screen reader reads the message with the field. A span, not Django's <ul>, which a <p>
    around a field cannot hold."""
    if not field.errors:
        return ""
    return format_html('<span class="field-error" id="{}_error">{}</span>', field.auto_id, " ".join(field.errors))


@register.simple_tag
def error_summary(form) -> str:
    """At the top of a form that came back: how many answers need changing and, for each, a
    link to its field with its message (the GOV.UK error summary), so that a reader who hears
    or sees the alert goes straight to what to change, on a long form or a phone's screen. A
    choice of boxes is linked at its first box."""
    if not form.errors:
        return ""
    wrong = [field for field in form if field.errors]
    links = format_html_join(
        "",
        '<li><a href="#{}">{}: {}</a></li>',
        ((_first_box(field), field.label, " ".join(field.errors)) for field in wrong),
    )
    general = format_html_join("", "<li>{}</li>", ((error,) for error in form.non_field_errors()))
    count = len(wrong) + len(form.non_field_errors())
    return format_html(
        '<div class="notice notice-error error-summary" role="alert" tabindex="-1">'
        "<p>Check the form: {} answer{} need{} changing.</p><ul>{}{}</ul></div>",
        count,
        "" if count == 1 else "s",
        "s" if count == 1 else "",
        general,
        links,
    )


def _first_box(field) -> str:
    """The id of a field's box, or of its first box where it is a choice of boxes (a radio
    group names no box of its own)."""
    return field.id_for_label or next((box.id_for_label for box in field.subwidgets), field.auto_id)


@register.filter
def headings_from(html, top: int):
    """Rich text printed under a heading of level `top` - 1: its own headings start at `top`.
    Stored rich text (RichTextField) arrives safe, sanitised when it was written: it is not
    sanitised again on every page view. Anything else is, so the filter is safe whatever it is given."""
    if not isinstance(html, SafeData):
        html = sanitise(str(html or ""))
    return mark_safe(level_headings(str(html), int(top)))  # noqa: S308 - sanitised on write or here


_TABLE_OPEN = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)
SCROLLING_BOX = '<div class="table-scroll" tabindex="0" role="region" aria-label="Table">'


@register.filter
def tables_scroll(html):
    """Rich text on a web page: each table in its own box that scrolls sideways, as the
    pages' own tables are, so a wide table pasted from Word never widens the page on a phone
    (WCAG 1.4.10). Text not marked safe is escaped first; the print templates do not use it."""
    html = str(conditional_escape(html))
    return mark_safe(_TABLE_CLOSE.sub("</table></div>", _TABLE_OPEN.sub(SCROLLING_BOX + "<table", html)))  # noqa: S308 - boxes added to safe text


@register.filter
def pages_label(pages) -> str:
    """An item's pages in the pack as the front sheet prints them: "(Page 5)" for one page,
    "(Pages 1 - 8)" for several; nothing when the item has no pages."""
    if not pages:
        return ""
    first, last = pages[0], pages[1]
    return f"(Page {first})" if first == last else f"(Pages {first} - {last})"

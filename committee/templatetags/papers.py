from django import template
from django.utils.safestring import mark_safe

from committee.appendices import render

register = template.Library()


@register.simple_tag(takes_context=True)
def structured_appendix(context, appendix, medium="web", pieces=False):
    """A structured appendix for the page or pack being rendered, read as its reader reads it
    (committee.appendices.render)."""
    html = render(appendix, medium=medium, reader=context.get("reader"), pieces=pieces, request=context.get("request"))
    return mark_safe(html)  # noqa: S308 - rendered by a template, escaped there


@register.filter
def attr_value(obj, name):
    """Read a named field (report sections are listed by field name in Report.SECTIONS)."""
    return getattr(obj, name, "")

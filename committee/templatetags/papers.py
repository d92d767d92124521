from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from committee.appendices import PACK_PART_BREAK, kind_for_label
from committee.gate import Reader

register = template.Library()


@register.simple_tag(takes_context=True)
def structured_appendix(context, appendix, medium="web", pieces=False):
    """Render a structured appendix with the template and selector its app registered.

    With `pieces` (a lettered appendix in the pack, which renders each piece as a document
    of its own) the template gets `pack_part_break`, to print where the appendix may be cut
    (committee.appendices.PACK_PART_BREAK); elsewhere it prints in one piece."""
    ct = appendix.content_type
    kind = kind_for_label(f"{ct.app_label}.{ct.model}") if ct else None
    if kind is None or appendix.structured is None:
        return render_to_string("committee/_appendix_missing.html", {"appendix": appendix})
    # Figures derived from other rows (a direction of travel) are worked out for the reader
    # of the page or pack (committee.gate); without one, for the public.
    data = kind.context(appendix.structured, reader=context.get("reader") or Reader.public())
    return render_to_string(
        kind.template,
        {
            "appendix": appendix,
            "medium": medium,
            "pack_part_break": mark_safe(PACK_PART_BREAK) if pieces else "",  # noqa: S308 - a constant
            **data,
        },
        request=context.get("request"),
    )


@register.filter
def attr_value(obj, name):
    """Read a named field (report sections are listed by field name in Report.SECTIONS)."""
    return getattr(obj, name, "")

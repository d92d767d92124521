"""Members' interests on committee's pages and prints, without committee importing this app:
its templates load these tags. Each reads through interests.selectors (committee.gate)."""

from django import template

from committee import gate

from .. import selectors

register = template.Library()

# The council's words when nothing was disclosed (the seed's minutes of 18 April 2018).
NONE_DISCLOSED = "No pecuniary or non-pecuniary interests were disclosed."


@register.simple_tag(takes_context=True)
def declared_at(context, meeting):
    """The declarations made at `meeting`, as the page's reader may read them. A print (the
    agenda pack) has no request: it reads as the public does."""
    request = context.get("request")
    reader = gate.reader_for(request.user) if request is not None else gate.Reader.public()
    return selectors.declared_at(meeting, reader)


@register.inclusion_tag("interests/_declarations.html")
def declarations_list(declared, item, medium="web", minute_text=""):
    """Under the interests item (or the item declared in): who declared what. "None declared"
    is printed once, under the interests item, unless the minute already says it."""
    shown = declared.on(item)
    none = declared.none and getattr(item, "kind", "") == "declarations" and NONE_DISCLOSED not in str(minute_text)
    return {"declarations": shown, "none": none, "none_words": NONE_DISCLOSED, "medium": medium}


@register.inclusion_tag("interests/_register_summary.html")
def register_summary(member):
    return {"member": member, "version": selectors.current_register(member)}


@register.simple_tag(takes_context=True)
def declared_on_item(context, item):
    """The interests declared on one agenda item (with any dispensation), as the reader may
    read them: what the record of an executive decision taken on it states (SI 2012/2089
    regs 12-13). A print has no request: it reads as the public does."""
    if item is None:
        return []
    request = context.get("request")
    reader = gate.reader_for(request.user) if request is not None else gate.Reader.public()
    return selectors.declarations_for_item(item, reader)

"""Executive decisions on committee's pages, without committee importing this app: its
templates load these tags. Each reads through decisions.selectors (committee.gate)."""

from django import template

from committee import gate

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def private_notice_state(context, meeting, items):
    """The meeting's notice of being held in private (reg 5) as the page's reader may read
    it, and, for officers, whether its Part II business lacks the 28-day notice."""
    return selectors.private_notice_state(meeting, items, gate.reader_for(context["request"].user))

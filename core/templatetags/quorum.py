from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def webcal_url(context, path: str) -> str:
    """The address of a calendar feed for "subscribe": a calendar application that opens a
    webcal: link subscribes to it (and keeps it up to date) instead of importing it once."""
    absolute = context["request"].build_absolute_uri(path)
    return "webcal:" + absolute.split(":", 1)[1]

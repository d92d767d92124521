from django import template

from committee.dashboard import gather

register = template.Library()


@register.simple_tag
def officer_dashboard():
    """The officer's dashboard sections (committee.dashboard.gather) for the admin's home."""
    return gather()

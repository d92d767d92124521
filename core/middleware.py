from django.conf import settings
from django.http import Http404


class PermissionsPolicy:
    """Every response says which browser features its page may use (settings.PERMISSIONS_POLICY:
    none that could reach a camera, microphone or location)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class NoNulInAddress:
    """An address holding a NUL character (%00) names no page and no record: "not found",
    before any view reads it. PostgreSQL refuses the character in any text it is asked to
    compare, so a view looking up a record by a name in its address (a risk's reference, say)
    gave an error page instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("No page has this address.")
        return self.get_response(request)

from django.conf import settings

from committee import gate

from .http import mark_private


class PrivateWhenSignedIn:
    """A page served to a signed-in reader may hold Part II papers: the gate says so, and the
    response is marked private (Vary: Cookie already separates it; this says so outright, and
    keeps it out of the browser's store)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if gate.page_is_private(request.user):
            mark_private(response)
        return response


class PermissionsPolicy:
    """Every response says which browser features its page may use (settings.PERMISSIONS_POLICY:
    none that could reach a camera, microphone or location)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

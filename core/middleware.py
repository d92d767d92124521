from django.conf import settings


class PermissionsPolicy:
    """Every response says which browser features its page may use (settings.PERMISSIONS_POLICY:
    none that could reach a camera, microphone or location)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

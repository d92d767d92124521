from django.conf import settings
from django.utils.cache import patch_cache_control


class PrivateWhenSignedIn:
    """A page served to a signed-in reader may hold Part II papers: no shared cache may keep
    it (Vary: Cookie already separates it; this says so outright)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and "Cache-Control" not in response:
            patch_cache_control(response, private=True)
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

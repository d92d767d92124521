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

from committee import gate
from core.http import mark_private


class PrivateWhenSignedIn:
    """A page served to a signed-in reader may hold Part II papers: the gate says so, and the
    response is marked private (Vary: Cookie already separates it; this says so outright, and
    keeps it out of the browser's store). It lives beside the gate: core/ knows no domain."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if gate.page_is_private(request.user):
            mark_private(response)
        return response

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import two_factor


class TwoFactorGate:
    """A person who has signed in with their password but still owes a code (or, for an
    officer where it is required, has not set two-factor up) reaches only the pages that
    settle it, and signing out; every other address sends them there. It fails closed: a
    session from before two-factor existed is decided on its first request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            needed = request.session.get(two_factor.SESSION_KEY)
            if needed is None:
                needed = request.session[two_factor.SESSION_KEY] = two_factor.what_is_needed(user)
            if needed != two_factor.DONE and not user.is_verified():
                # Only the page for what is owed: someone who owes a code may not set up
                # an authenticator of their own instead.
                page = reverse("two_factor_verify" if needed == two_factor.VERIFY else "two_factor_enrol")
                if request.path_info not in {page, reverse("logout"), reverse("admin:logout")}:
                    return redirect(f"{page}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

"""Signing in, and the two-factor pages: set up, enter a code, and the person's own settings."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import two_factor
from .forms import CodeForm

BACKUP_CODES_SESSION_KEY = "quorum_new_backup_codes"


def _next_url(request, default: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return default


def landing_page(user) -> str:
    """Where a person's work is, for signing in without a page to go back to: an officer's
    (or report author's) is the admin's home, the officer's dashboard; a councillor's
    "Your meetings", their committees' meetings ahead and the papers to read for them;
    anyone else's the home page."""
    if user.is_staff:
        return reverse("admin:index")
    if hasattr(user, "member"):  # a councillor's login
        return reverse("committee:your-meetings")
    return settings.LOGIN_REDIRECT_URL


class SignInView(LoginView):
    """Django's sign-in page. A page asked for (`next`, which Django checks is on this site)
    comes first; without one, each person lands where their work is (landing_page). Someone
    who owes a two-factor code is sent to enter it first, then on to the same page
    (accounts.middleware.TwoFactorGate)."""

    def get_default_redirect_url(self):
        return landing_page(self.request.user)


@never_cache
@login_required
def verify(request):
    user = request.user
    next_url = _next_url(request, landing_page(user))
    if not two_factor.has_two_factor(user):
        # Their codes were removed (a lost phone) since they signed in: decide again.
        request.session[two_factor.SESSION_KEY] = two_factor.what_is_needed(user)
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.must_wait(user):
            form.add_error("code", two_factor.TOO_MANY_WRONG_CODES)
        elif two_factor.verify(request, form.cleaned_data["code"]):
            return redirect(next_url)
        else:
            form.add_error(
                "code",
                "That code is not right. Enter the newest 6-digit code from your authenticator app, "
                "or one of your backup codes.",
            )
    context = {"form": form, "next": next_url, "contact_email": settings.DEFAULT_FROM_EMAIL}
    return render(request, "accounts/two_factor_verify.html", context)


@never_cache
@login_required
def enrol(request):
    user = request.user
    if two_factor.has_two_factor(user) and not user.is_verified():
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': reverse('two_factor_settings')})}")
    next_url = _next_url(request, reverse("two_factor_settings"))
    device = two_factor.pending_app_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.must_wait(user, [device]):
            form.add_error("code", two_factor.TOO_MANY_WRONG_CODES)
        elif (codes := two_factor.confirm_app(request, device, form.cleaned_data["code"])) is not None:
            request.session[BACKUP_CODES_SESSION_KEY] = codes
            return redirect(f"{reverse('two_factor_backup_codes')}?{urlencode({'next': next_url})}")
        else:
            form.add_error(
                "code",
                "That code is not right. Check that your phone's clock is set automatically, then enter "
                "the newest 6-digit code your authenticator app shows for this account.",
            )
    context = {
        "form": form,
        "next": next_url,
        "qr_code": two_factor.qr_code_svg(device),
        "secret": two_factor.secret_for_typing(device),
        "required": two_factor.is_required(user),
    }
    return render(request, "accounts/two_factor_enrol.html", context)


@never_cache
@login_required
def backup_codes(request):
    """New backup codes, shown once: a reload shows them no more."""
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("two_factor_settings")
    context = {"codes": codes, "next": _next_url(request, reverse("two_factor_settings"))}
    return render(request, "accounts/two_factor_backup_codes.html", context)


@login_required
def settings_page(request):
    user = request.user
    context = {
        "enabled": two_factor.has_two_factor(user),
        "required": two_factor.is_required(user),
        "backup_codes_left": two_factor.backup_codes_left(user),
    }
    return render(request, "accounts/two_factor_settings.html", context)


@login_required
@require_POST
def new_backup_codes(request):
    if not two_factor.has_two_factor(request.user):
        return redirect("two_factor_settings")
    request.session[BACKUP_CODES_SESSION_KEY] = two_factor.new_backup_codes(request.user)
    return redirect("two_factor_backup_codes")


@login_required
@require_POST
def turn_off(request):
    if two_factor.is_required(request.user):
        messages.error(request, "Officers must keep two-factor sign-in on.")
    else:
        two_factor.turn_off(request.user)
        messages.success(request, "Two-factor sign-in is off. Your password alone now signs you in.")
    return redirect("two_factor_settings")

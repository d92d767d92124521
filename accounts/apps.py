from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in: throttling and lockout (django-axes), two-factor sign-in (django-otp)."""

    name = "accounts"
    verbose_name = "Signing in"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import two_factor

        # Decide once, at sign-in, what the person must still do (enter a code, set one up).
        user_logged_in.connect(two_factor.decide_at_sign_in, dispatch_uid="quorum-two-factor")

"""Two-factor sign-in: a time-based code from an authenticator app (TOTP), with backup codes
for a lost phone. Optional for everyone; required for officers (staff) when
QUORUM_TWO_FACTOR_REQUIRED_FOR_OFFICERS is on, as it is in production.

What a signed-in person must still do is decided once, when they sign in, and kept in their
session: "verify" (enter a code), "enrol" (set two-factor up), or "done". The gate
(accounts.middleware.TwoFactorGate) lets them nowhere else until it is done.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

SESSION_KEY = "quorum_two_factor"
VERIFY, ENROL, DONE = "verify", "enrol", "done"
BACKUP_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


def is_required(user) -> bool:
    return bool(user.is_staff and settings.QUORUM_TWO_FACTOR_REQUIRED_FOR_OFFICERS)


def has_two_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def what_is_needed(user) -> str:
    if has_two_factor(user):
        return VERIFY
    if is_required(user):
        return ENROL
    return DONE


def decide_at_sign_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = what_is_needed(user)


def pending_app_device(user) -> TOTPDevice:
    """The authenticator being set up: the same secret until it is confirmed, so that a
    mistyped code or a reload does not make the person scan again."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32, as authenticator apps ask for it, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=4, omitsize=False)


def _clean(code: str) -> str:
    return "".join(code.split()).lower()


@transaction.atomic
def confirm_app(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator being set up with a code it shows. On success it replaces
    any earlier one, new backup codes are made (returned, to be shown once), and this
    sign-in counts as verified."""
    if not device.verify_token(_clean(code)):
        return None
    user = device.user
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_backup_codes(user)
    otp_login(request, device)
    request.session[SESSION_KEY] = DONE
    return codes


@transaction.atomic
def new_backup_codes(user) -> list[str]:
    """Ten single-use codes, replacing any earlier ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(request, code: str) -> bool:
    """A code from the person's authenticator app, or one of their backup codes. Each device
    slows guessing down by itself (django-otp doubles the wait after each wrong code)."""
    device = match_token(request.user, _clean(code))
    if device is None:
        return False
    otp_login(request, device)
    request.session[SESSION_KEY] = DONE
    return True


TOO_MANY_WRONG_CODES = "Too many wrong codes. Wait a minute, then enter the newest code."


def must_wait(user, devices=None) -> bool:
    """True while every device of the person (or every one of `devices`, the authenticator
    being set up) refuses codes after too many wrong ones: django-otp then refuses the right
    code too, which must not be told as a wrong one."""
    devices = list(devices_for_user(user, confirmed=True) if devices is None else devices)
    return bool(devices) and not any(device.verify_is_allowed()[0] for device in devices)


@transaction.atomic
def turn_off(user) -> None:
    for device in devices_for_user(user, confirmed=None):
        device.delete()

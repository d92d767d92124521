"""Two-factor sign-in: officers must set it up where it is required (production), anyone
may; once on, the password alone reaches nothing but the code page, on either sign-in page."""

import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct horse battery staple"


def _code(device: TOTPDevice, *, ahead: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=ahead):06d}"


def _sign_in(client, username, url="/accounts/login/"):
    return client.post(url, {"username": username, "password": PASSWORD, "next": "/admin/"})


def _enrol(client, user) -> list[str]:
    page = client.get(reverse("two_factor_enrol"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'<p class="secret-key"><code>([A-Z2-7 ]+)</code>', page.content.decode()).group(1)
    assert len(secret.replace(" ", "")) == 32  # the key as text, for those who cannot scan
    assert "<svg" in page.content.decode()  # and as a QR code
    response = client.post(reverse("two_factor_enrol"), {"code": _code(device), "next": "/admin/"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("two_factor_backup_codes"))
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())


@pytest.fixture
def required(settings):
    settings.QUORUM_TWO_FACTOR_REQUIRED_FOR_OFFICERS = True


@pytest.mark.parametrize("login_url", ["/accounts/login/", "/admin/login/"])
def test_where_required_an_officer_without_a_device_is_taken_to_set_it_up(client, officer, required, login_url):
    _sign_in(client, "officer", login_url)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_enrol"))
    # Nothing else either: not the admin's pages, not a public page as a signed-in officer.
    assert client.get("/admin/committee/meeting/").status_code == 302
    assert client.get("/").status_code == 302
    assert client.get(reverse("two_factor_verify")).status_code == 302

    codes = _enrol(client, officer)
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200


def test_in_the_demo_an_officer_signs_in_with_the_password_alone(client, officer, settings):
    settings.QUORUM_TWO_FACTOR_REQUIRED_FOR_OFFICERS = False
    _sign_in(client, "officer", "/admin/login/")
    assert client.get("/admin/").status_code == 200


def test_once_on_the_password_alone_reaches_only_the_code_page(client, officer, required):
    _sign_in(client, "officer")
    _enrol(client, officer)
    client.post(reverse("logout"))

    response = _sign_in(client, "officer", "/admin/login/")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('two_factor_verify')}?next=%2Fadmin%2F"
    # The set-up page may not be used to put another authenticator in its place.
    assert client.get(reverse("two_factor_enrol")).status_code == 302

    device = TOTPDevice.objects.get(user=officer, confirmed=True)
    wrong = client.post(reverse("two_factor_verify"), {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert 'value="000000"' in wrong.content.decode()
    time.sleep(1.1)  # django-otp makes each wrong code wait longer: one second after the first
    right = client.post(reverse("two_factor_verify"), {"code": _code(device, ahead=1), "next": "/admin/"})
    assert right.status_code == 302
    assert right["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_backup_code_signs_in_once(client, councillor):
    _sign_in(client, "cllr.on")
    codes = _enrol(client, councillor)
    client.post(reverse("logout"))

    _sign_in(client, "cllr.on")
    assert client.post(reverse("two_factor_verify"), {"code": codes[0].upper(), "next": "/"}).status_code == 302
    client.post(reverse("logout"))

    _sign_in(client, "cllr.on")
    time.sleep(0.1)
    reused = client.post(reverse("two_factor_verify"), {"code": codes[0], "next": "/"})
    assert reused.status_code == 200
    assert "_auth_user_id" in client.session and client.get("/").status_code == 302


def test_two_factor_is_optional_for_councillors(client, councillor, required):
    _sign_in(client, "cllr.on")
    assert client.get("/").status_code == 200
    settings_page = client.get(reverse("two_factor_settings")).content.decode()
    assert "Two-factor sign-in is <strong>off</strong>" in settings_page

    _enrol(client, councillor)
    client.post(reverse("two_factor_turn_off"))
    assert not TOTPDevice.objects.filter(user=councillor).exists()


def test_an_officer_where_required_cannot_turn_it_off(client, officer, required):
    _sign_in(client, "officer")
    _enrol(client, officer)
    response = client.post(reverse("two_factor_turn_off"), follow=True)
    assert "Officers must keep two-factor sign-in on." in response.content.decode()
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).exists()


def test_a_mistyped_set_up_code_keeps_the_same_key(client, councillor):
    _sign_in(client, "cllr.on")
    first = client.get(reverse("two_factor_enrol")).content.decode()
    wrong = client.post(reverse("two_factor_enrol"), {"code": "12345x"}).content.decode()
    key = re.compile(r'<p class="secret-key"><code>([A-Z2-7 ]+)</code>')
    assert key.search(first).group(1) == key.search(wrong).group(1)
    assert "That code is not right" in wrong
    assert 'value="12345x"' in wrong


def test_an_officer_removes_a_lost_phone_and_the_person_signs_in_again(client, councillor, officer):
    _sign_in(client, "cllr.on")
    _enrol(client, councillor)
    client.post(reverse("logout"))

    client.force_login(officer)
    app = TOTPDevice.objects.get(user=councillor)
    backup = StaticDevice.objects.get(user=councillor)
    for url in (
        reverse("admin:otp_totp_totpdevice_delete", args=[app.pk]),
        reverse("admin:otp_static_staticdevice_delete", args=[backup.pk]),
    ):
        assert client.post(url, {"post": "yes"}).status_code == 302
    client.post(reverse("logout"))

    _sign_in(client, "cllr.on")
    assert client.get("/").status_code == 200


def test_setting_up_right_after_a_wrong_code_says_to_wait_not_that_the_right_code_is_wrong(client, councillor):
    """django-otp refuses every code for a moment after a wrong one, the right one too: the
    set-up page says to wait, as the code page does, rather than send the person to check
    their phone's clock over a code that was right."""
    _sign_in(client, "cllr.on")
    client.get(reverse("two_factor_enrol"))
    device = TOTPDevice.objects.get(user=councillor, confirmed=False)
    client.post(reverse("two_factor_enrol"), {"code": "000000"})
    right_too_soon = client.post(reverse("two_factor_enrol"), {"code": _code(device)}).content.decode()
    assert "Too many wrong codes" in right_too_soon
    assert "That code is not right" not in right_too_soon
    time.sleep(1.1)
    response = client.post(reverse("two_factor_enrol"), {"code": _code(device), "next": "/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_backup_codes"))

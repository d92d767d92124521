"""Wrong passwords lock an account out from the address they came from, on both sign-in
pages; the person is told at the form what to do; an officer unlocks them."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

PASSWORD = "correct horse battery staple"
OFFICE = "198.51.100.7"
ATTACKER = "203.0.113.66"


def _sign_in(client, url, username, password, address):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_fifty_wrong_passwords_then_the_right_one_does_not_sign_in(client, officer, url):
    for _ in range(50):
        _sign_in(client, url, "officer", "wrong password", ATTACKER)
    response = _sign_in(client, url, "officer", PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "signing in is locked for 30 minutes" in page
    assert "ask democratic services" in page
    assert 'value="officer"' in page  # what was typed is kept


def test_the_lock_starts_at_the_fifth_wrong_password(client, councillor):
    for _ in range(4):
        assert _sign_in(client, "/accounts/login/", "cllr.on", "wrong", ATTACKER).status_code == 200
    assert _sign_in(client, "/accounts/login/", "cllr.on", "wrong", ATTACKER).status_code == 429


def test_signing_in_clears_the_count_of_wrong_passwords(client, councillor):
    """docs/accounts.md: a councillor who mistypes now and then is never locked out for it."""
    for _ in range(4):
        _sign_in(client, "/accounts/login/", "cllr.on", "wrong", OFFICE)
    assert _sign_in(client, "/accounts/login/", "cllr.on", PASSWORD, OFFICE).status_code == 302
    client.logout()
    for _ in range(4):
        assert _sign_in(client, "/accounts/login/", "cllr.on", "wrong", OFFICE).status_code == 200
    assert _sign_in(client, "/accounts/login/", "cllr.on", PASSWORD, OFFICE).status_code == 302


def test_a_stranger_cannot_lock_a_councillor_out_from_their_own_connection(client, councillor):
    for _ in range(10):
        _sign_in(client, "/accounts/login/", "cllr.on", "wrong", ATTACKER)
    response = _sign_in(client, "/accounts/login/", "cllr.on", PASSWORD, OFFICE)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(councillor.pk)


def test_behind_the_proxy_the_browser_address_counts_not_the_proxy(client, councillor, settings):
    settings.QUORUM_TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"
    for _ in range(10):
        client.post(
            "/accounts/login/",
            {"username": "cllr.on", "password": "wrong"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"{OFFICE}, {ATTACKER}",  # the attacker wrote OFFICE; the proxy wrote ATTACKER
        )
    response = client.post(
        "/accounts/login/",
        {"username": "cllr.on", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=OFFICE,
    )
    assert response.status_code == 302


def test_an_officer_unlocks_a_locked_out_councillor(client, councillor, officer):
    for _ in range(5):
        _sign_in(client, "/accounts/login/", "cllr.on", "wrong", OFFICE)
    assert _sign_in(client, "/accounts/login/", "cllr.on", PASSWORD, OFFICE).status_code == 429

    client.force_login(officer)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "cllr.on" in client.get(changelist, {"locked_out": "yes"}).content.decode()
    attempt = AccessAttempt.objects.get(username="cllr.on")
    response = client.post(
        changelist, {"action": "unlock", "_selected_action": [attempt.pk]}, follow=True, REMOTE_ADDR=OFFICE
    )
    assert "Unlocked: cllr.on" in response.content.decode()
    client.logout()

    response = _sign_in(client, "/accounts/login/", "cllr.on", PASSWORD, OFFICE)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(councillor.pk)


def test_the_lock_lifts_after_the_cool_off(client, councillor, settings):
    for _ in range(5):
        _sign_in(client, "/accounts/login/", "cllr.on", "wrong", OFFICE)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - settings.AXES_COOLOFF_TIME)
    assert _sign_in(client, "/accounts/login/", "cllr.on", PASSWORD, OFFICE).status_code == 302


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_a_username_longer_than_any_is_refused_as_a_wrong_password(client, officer, url):
    # Django's sign-in form checks no length, and django-axes keeps the attempt's username in
    # 255 characters: PostgreSQL refused the longer one with an error page.
    typed = "officer" * 100
    for _ in range(5):
        response = _sign_in(client, url, typed, "wrong password", ATTACKER)
    assert response.status_code == 429
    assert f'value="{typed}"' in response.content.decode()  # what was typed is kept
    assert _sign_in(client, url, "officer", PASSWORD, ATTACKER).status_code == 302  # another account


@pytest.mark.parametrize(
    ("forwarded", "counted_as"),
    [
        ("203.0.113.66:52311", ATTACKER),  # a proxy that writes the port (Azure's application gateway does)
        ("[2001:db8::6]:443", "2001:db8::6"),
        ("unknown", "10.0.0.2"),  # not an address: the connection's own is counted
        ("198.51.100.7, <script>", "10.0.0.2"),
    ],
)
def test_behind_the_proxy_a_forwarded_address_with_a_port_or_none_is_still_a_wrong_password(
    client, councillor, settings, forwarded, counted_as
):
    # What the proxy wrote was stored as it was: PostgreSQL's address column refused anything
    # but an address, and a wrong password gave an error page instead of the form.
    settings.QUORUM_TRUSTED_PROXIES = 1
    response = client.post(
        "/accounts/login/",
        {"username": "cllr.on", "password": "wrong"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert response.status_code == 200
    assert 'value="cllr.on"' in response.content.decode()
    assert AccessAttempt.objects.get().ip_address == counted_as

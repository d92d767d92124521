"""Resetting a password: a refused answer comes back with the message at its field and,
for the email address, what was typed (passwords are never sent back to the browser)."""

import lxml.html
import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

pytestmark = pytest.mark.django_db


def _field(response, name):
    assert response.status_code == 200, response.status_code
    page = lxml.html.fromstring(response.content.decode())
    box = page.xpath(f"//input[@name='{name}']")[0]
    described = box.get("aria-describedby")
    message = page.xpath(f"//*[@id='{described}']")[0].text_content() if described else ""
    return box, message


@pytest.mark.parametrize("typed", ["not an address", "councillor@" + "x" * 250 + ".example.org"])
def test_an_address_refused_comes_back_typed_with_the_message_at_it(client, typed):
    response = client.post(reverse("password_reset"), {"email": typed})

    box, message = _field(response, "email")
    assert box.get("value") == typed
    assert box.get("aria-invalid") == "true"
    assert "email address" in message or "characters" in message


def test_new_passwords_that_differ_are_refused_at_the_second(client, django_user_model):
    user = django_user_model.objects.create_user("cllr.reset", email="cllr.reset@example.org", password="old")
    link = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    form_address = client.get(link, follow=True).redirect_chain[-1][0]

    response = client.post(
        form_address, {"new_password1": "a long new password 2026", "new_password2": "a long new password 2025"}
    )

    box, message = _field(response, "new_password2")
    assert "didn’t match" in message or "didn't match" in message
    assert box.get("value") is None

"""A councillor turns on two-factor sign-in by typing the key (no camera needed), keeps the
backup codes, and from then on signs in with password and code, landing on their own page;
all with the keyboard. Signing in without two-factor lands an officer on the admin's home."""

import time
from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django_otp import devices_for_user
from django_otp.oath import totp
from playwright.sync_api import expect

from .conftest import sign_in
from .data import PASSWORDS

pytestmark = pytest.mark.browser

WHO = "cllr.other"


def _code_for(secret: str, *, step_ahead: int = 0) -> str:
    # What an authenticator app shows for the key as the page wrote it.
    key = b32decode(secret.replace(" ", ""))
    return f"{totp(key, drift=step_ahead):06d}"


@pytest.fixture
def councillor_without_two_factor(stack):
    user = get_user_model().objects.get(username=WHO)
    yield user
    for device in devices_for_user(user, confirmed=None):
        device.delete()  # the other tests sign this councillor in with the password alone


def test_councillor_turns_on_two_factor_and_signs_in_with_a_code(people, councillor_without_two_factor):
    page = people(WHO)
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_text("Two-factor sign-in is off")).to_be_visible()
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    expect(page.get_by_role("img", name="QR code for setting up the authenticator app")).to_be_visible()
    secret = page.locator(".secret-key code").inner_text()

    page.get_by_label("Code from the app").fill("000000" if _code_for(secret) != "000000" else "111111")
    page.get_by_label("Code from the app").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")

    time.sleep(1.1)  # a wrong code makes the next wait a second
    page.get_by_label("Code from the app").fill(_code_for(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    assert page.locator(".backup-codes li").count() == 10
    page.get_by_role("button", name="Sign out").click()

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill(WHO)
    page.get_by_label("Password").fill(PASSWORDS[WHO])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
    page.get_by_label("Code").fill(_code_for(secret, step_ahead=1))
    page.get_by_label("Code").press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    # On to where a councillor's work is: their committees' meetings and papers.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your meetings")


def test_the_demo_logins_need_no_code(people):
    # `make run` serves the demo: two-factor is offered, never required there.
    page = people()
    sign_in(page, "officer")
    expect(page.get_by_role("heading", name="What needs doing")).to_be_visible()  # the officer's dashboard
    page.goto("/admin/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Set up two-factor sign-in")

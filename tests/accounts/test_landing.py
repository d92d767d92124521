"""Signing in without a page to go back to lands each person where their work is: an officer
on the admin's home (the officer's dashboard), a councillor on "Your meetings" (their
committees' meetings ahead and the papers to read for them), anyone else on the home page.
A page asked for (`next`) comes first, if it is on this site (Django's check); two-factor
sign-in still comes in between."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import MemberFactory, MembershipFactory

from .test_two_factor import PASSWORD, _code

pytestmark = pytest.mark.django_db


def _sign_in(client, username, **extra):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD, **extra})


def test_an_officer_lands_on_the_officers_dashboard(client, officer):
    response = _sign_in(client, "officer")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert "What needs doing" in client.get(response["Location"]).content.decode()


def test_an_officer_who_is_a_councillor_lands_on_the_officers_dashboard_too(client, officer, committee):
    """Staff work in the admin; their meetings as a councillor are a link away in its header."""
    MembershipFactory(committee=committee, member=MemberFactory(user=officer))
    response = _sign_in(client, "officer")
    assert response["Location"] == reverse("admin:index")
    dashboard = client.get(response["Location"]).content.decode()
    assert "What needs doing" in dashboard
    assert f'<a href="{reverse("committee:your-meetings")}">Your meetings</a>' in dashboard


def test_a_report_author_lands_on_the_admins_home(client, author):
    assert _sign_in(client, "author")["Location"] == reverse("admin:index")


def test_a_councillor_lands_on_their_meetings(client, councillor):
    response = _sign_in(client, "cllr.on")
    assert response["Location"] == reverse("committee:your-meetings")
    page = client.get(response["Location"]).content.decode()
    assert "<h1>Your meetings</h1>" in page
    assert "Geoff Driver" in page and "Cabinet Committee on Performance Improvement" in page


def test_a_login_that_is_not_a_councillors_lands_on_the_home_page(client, django_user_model):
    django_user_model.objects.create_user("resident", password=PASSWORD)
    assert _sign_in(client, "resident")["Location"] == "/"


@pytest.mark.parametrize("who", ["officer", "cllr.on"])
def test_a_page_asked_for_comes_first(client, officer, councillor, who):
    assert _sign_in(client, who, next="/meetings/")["Location"] == "/meetings/"


@pytest.mark.parametrize(
    "elsewhere", ["https://phish.example.com/admin/", "//phish.example.com/", "javascript:alert(1)"]
)
def test_a_page_on_another_site_is_not_gone_to(client, officer, elsewhere):
    assert _sign_in(client, "officer", next=elsewhere)["Location"] == reverse("admin:index")


def test_with_two_factor_the_code_comes_first_then_the_landing_page(client, councillor):
    device = TOTPDevice.objects.create(user=councillor, name="Phone", confirmed=True)
    response = _sign_in(client, "cllr.on")
    own_page = reverse("committee:your-meetings")
    assert response["Location"] == own_page
    code_page = client.get(own_page)
    assert code_page.status_code == 302
    assert code_page["Location"].startswith(reverse("two_factor_verify"))
    verified = client.post(code_page["Location"], {"code": _code(device)})
    assert verified["Location"] == own_page
    assert client.get(own_page).status_code == 200

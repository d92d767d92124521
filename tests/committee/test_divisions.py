"""Councillors' electoral divisions are records: one per division, shared by its councillors,
named on the councillors' pages and in the API as before."""

from datetime import date

import pytest
from django.db import IntegrityError
from django.urls import reverse

from committee.models import Committee, ElectoralDivision, Member, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def preston_north():
    division = ElectoralDivision.objects.create(name="Preston North", slug="preston-north")
    committee = Committee.objects.create(name="Cabinet Committee on Performance Improvement", slug="cpi")
    for slug, name in (("geoff-driver", "Geoff Driver"), ("a-atkinson", "A Atkinson")):
        member = Member.objects.create(slug=slug, name=name, division=division)
        Membership.objects.create(committee=committee, member=member, start_date=date(2017, 5, 25))
    return division


def test_councillors_list_names_each_councillors_division_in_constant_queries(
    client, preston_north, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        page = client.get(reverse("committee:member-list")).content.decode()
    assert page.count("Preston North") == 2


def test_councillor_page_and_api_name_the_division(client, preston_north):
    assert "Preston North" in client.get(reverse("committee:member-detail", args=["geoff-driver"])).content.decode()
    listed = {m["slug"]: m["electoral_division"] for m in client.get("/api/members/").json()["results"]}
    assert listed == {"a-atkinson": "Preston North", "geoff-driver": "Preston North"}


def test_a_councillor_without_a_division_reads_as_none(client):
    Member.objects.create(slug="jo-example", name="Jo Example")
    assert client.get("/api/members/").json()["results"][0]["electoral_division"] == ""


def test_two_divisions_of_one_name_cannot_exist(preston_north):
    with pytest.raises(IntegrityError):
        ElectoralDivision.objects.create(name="Preston North", slug="preston-north-2")


def test_a_division_with_councillors_cannot_be_deleted(preston_north):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        preston_north.delete()

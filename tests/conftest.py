"""Named users, as house style asks: a democratic services officer, a report author, a
councillor on the committee, a councillor not on it, and the anonymous public."""

import os

import pytest
from django.contrib.auth.models import Group

from committee import services
from tests.factories import CommitteeFactory, MemberFactory, MembershipFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


def _user(django_user_model, username, *, staff=False, group=None):
    user = django_user_model.objects.create_user(
        username=username, password="correct horse battery staple", is_staff=staff
    )
    if group:
        services.roles_sync()
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def committee(db):
    return CommitteeFactory(name="Cabinet Committee on Performance Improvement", slug="ccpi")


@pytest.fixture
def officer(db, django_user_model):
    return _user(django_user_model, "officer", staff=True, group=services.ROLE_DEMOCRATIC_SERVICES)


@pytest.fixture
def author(db, django_user_model):
    return _user(django_user_model, "author", staff=True, group=services.ROLE_REPORT_AUTHOR)


@pytest.fixture
def councillor(db, django_user_model, committee):
    user = _user(django_user_model, "cllr.on")
    MembershipFactory(committee=committee, member=MemberFactory(name="Geoff Driver", honours="CBE", user=user))
    return user


@pytest.fixture
def other_councillor(db, django_user_model):
    user = _user(django_user_model, "cllr.off")
    MembershipFactory(member=MemberFactory(user=user))  # sits on another committee
    return user

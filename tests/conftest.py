"""Named users, as house style asks: a democratic services officer, a report author, a
councillor on the committee, a councillor not on it, and the anonymous public."""

import functools
import os
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from committee import services
from tests import seeded
from tests.factories import CommitteeFactory, MemberFactory, MembershipFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


PASSWORD = "correct horse battery staple"


@functools.cache
def _hashed_password() -> str:
    """PASSWORD as Django stores it, hashed once per run: the production hasher (PBKDF2 at
    Django's iterations) takes half a second a time, and hundreds of tests make these users.
    Signing in with it still checks it with that hasher, at the same cost."""
    return make_password(PASSWORD)


def _user(django_user_model, username, *, staff=False, group=None):
    user = django_user_model.objects.create(username=username, is_staff=staff, password=_hashed_password())
    if group:
        services.roles_sync()
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture(autouse=True)
def _page_cache_only_where_asked(request, settings):
    """Django's test client runs in the test's transaction, which never commits, so the
    database never raises the public content generation (pagecache) during a test: a page
    kept before a change would be served after it. The cache is off in this process except
    for tests marked page_cache (tests/pagecache, on committed data); servers the tests
    start (gunicorn) keep it on."""
    if request.node.get_closest_marker("page_cache") is None:
        settings.QUORUM_PAGE_CACHE_EXCLUDE = ("/",)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, checked for seeds tests/seeded.py would not make again.
    Only a test database: pytest-django makes none for a run of browser tests alone (they ask
    for no `db`; their stack makes it), and the database the settings name may hold anything."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.settings_dict["NAME"] == connection.creation._get_test_db_name():
            seeded.check_every_seed_is_named()
    _db_blocker.append(django_db_blocker)


_db_blocker = []


def _empties_the_database(item) -> bool:
    """A test that commits: pytest-django empties every table after it (a flush)."""
    marker = item.get_closest_marker("django_db")
    transaction = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    return bool(transaction) or bool({"transactional_db", "live_server"} & set(item.fixturenames))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # After the flush, not before: the next test in this process, from any module, finds the
    # council's seeded rows as a new database has them. After the last test there is none,
    # and the test database is already gone: the settings name the other one again.
    if _db_blocker and _empties_the_database(item) and nextitem is not None:
        with _db_blocker[0].unblock():
            seeded.restore()


@pytest.fixture(scope="module")
def demo_for_the_module(django_db_setup, django_db_blocker):
    """The demo, loaded once for a module of tests that read it (tests/module_data.py)."""
    import io

    from django.core.management import call_command

    from tests.module_data import kept_for_the_module

    with kept_for_the_module(django_db_blocker):
        call_command("load_demo", stdout=io.StringIO())
        yield


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


# ---------------------------------------------------------------------------------------
# The pdf marker. `pytest -m "not pdf and not browser"` is the fast loop: no WeasyPrint, no
# Chromium (a laptop without Pango can run it). To keep the marker honest, such a run
# refuses to import WeasyPrint at all, so a test that renders a PDF without the marker
# fails with a message saying so instead of quietly slowing the loop down.

PDF_PACKAGES = ("weasyprint",)
PACK_TESTS = Path(__file__).parent / "pack"


class _NoPdfInThisRun:
    """Import hook: WeasyPrint may not load in a run that deselects the pdf tests."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in PDF_PACKAGES:
            raise ImportError(
                f"{name} imported in a run without the pdf tests: mark the test "
                "@pytest.mark.pdf (or import it inside the test that renders)"
            )
        return None


def _runs_without_pdf(markexpr: str) -> bool:
    """True when the -m expression keeps unmarked tests but drops those marked pdf."""
    if not markexpr:
        return False
    from _pytest.mark.expression import Expression

    expression = Expression.compile(markexpr)

    def has(*markers):
        return lambda name, **kwargs: name in markers

    return expression.evaluate(has()) and not expression.evaluate(has("pdf"))


def pytest_configure(config):
    if _runs_without_pdf(config.option.markexpr):
        import sys

        sys.meta_path.insert(0, _NoPdfInThisRun())


def pytest_ignore_collect(collection_path, config):
    # tests/pack is all pdf tests, and its helpers import WeasyPrint as they load.
    if collection_path == PACK_TESTS and _runs_without_pdf(config.option.markexpr):
        return True
    return None


def pytest_collection_modifyitems(config, items):
    # Every pack test, and every test that starts a real worker (the worker renders), needs
    # WeasyPrint: marked here rather than in each module.
    for item in items:
        if "tests/pack/" in item.nodeid or item.get_closest_marker("worker"):
            item.add_marker(pytest.mark.pdf)

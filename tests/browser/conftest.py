"""Fixtures of the browser suite: one real server, one real worker and one Chromium for the
whole package; a fresh browser context (no cookies) for each person in a test.

The data lives in the test database as committed rows, because the server and the worker
are other processes: the demo is loaded once when the package starts and the database is
emptied again when it ends, so that the rest of the suite starts as it always does.
"""

import contextlib
import io
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import resolve, reverse

from tests import seeded

from .checks import axe_violations, watch_csp
from .data import PASSWORDS, publish_upcoming_meeting, urgent_and_private, wait_for_packs
from .harness import CHROMIUM, CHROMIUM_ARGS, DESKTOP, FIX, IN_CI, LAPTOP, PHONE, missing_tools, start_stack
from .pages import APPS, Visit, admin_visits, app_links, document_visits, key_for, portal_visits

ARTIFACTS = Path(settings.VAR_DIR) / "browser"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Remember each phase's outcome so that fixtures can keep evidence of a failure.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser_tools():
    missing = missing_tools()
    if missing:
        message = "The browser suite needs: " + "; ".join(missing) + ". " + FIX
        if IN_CI:
            pytest.fail(message)  # CI must run these tests, never skip them
        pytest.skip(message)


def _ensure_test_database():
    """pytest-django creates the test database only when a collected test asks for `db`;
    these tests do not (their rows are committed for other processes to see), so make sure
    that the database in use is the test database and never the one the settings name."""
    from django.db import connection
    from django.test.utils import setup_databases

    if connection.settings_dict["NAME"] == connection.creation._get_test_db_name():
        return None
    return setup_databases(verbosity=0, interactive=False, aliases={"default"})


def _end_other_sessions(timeout: float = 10) -> None:
    """Before the test database is dropped, let the stopped server's and worker's
    connections go, then end any still open on it: this process's own included, as the
    ORM calls made while Playwright's event loop runs get a connection of their own that
    `connection.close()` here does not reach."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(f"SELECT count(*) {others} AND backend_type = 'client backend'")  # noqa: S608 - constant
            if cursor.fetchone()[0] == 0:
                return
            cursor.execute(f"SELECT pg_terminate_backend(pid) {others} AND state = 'idle'")  # noqa: S608
            time.sleep(0.2)


def _purge_broker():
    # Messages left by an earlier, interrupted run would only delay this run's builds.
    from config.celery import app

    app.control.purge()


@pytest.fixture(scope="package")
def stack(browser_tools, django_db_setup, django_db_blocker):
    """The demo in the test database, served by gunicorn, with a Celery worker."""
    from django.db import connection
    from django.test.utils import teardown_databases

    from tests.alerts.smtp import LoopbackSmtp

    from .harness import Stack, free_port

    # The server's and the worker's mail (email alerts) goes to a real SMTP server on loopback,
    # whose inbox the alerts journey reads; links in it point at the server under test.
    smtp = LoopbackSmtp().__enter__()
    port = free_port()
    with django_db_blocker.unblock():
        created = _ensure_test_database()
        call_command("flush", interactive=False, verbosity=0)
        seeded.restore()
        _purge_broker()
        call_command("load_demo", stdout=io.StringIO())
        mail = {**smtp.settings(), "QUORUM_SITE_URL": f"http://127.0.0.1:{port}", "QUORUM_ALERTS_PER_SECOND": 0}
        running: Stack = start_stack(
            settings_dict=connection.settings_dict, log_dir=ARTIFACTS, extra_env=mail, port=port
        )
        running.smtp = smtp
        # Playwright's synchronous API runs an event loop in this thread; the ORM calls the
        # tests make between browser steps are still plain synchronous code.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        try:
            yield running
        finally:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            running.stop()
            smtp.__exit__(None, None, None)
            call_command("flush", interactive=False, verbosity=0)
            seeded.restore()
            _end_other_sessions()
            connection.close()
            if created:
                teardown_databases(created, verbosity=0)


@pytest.fixture(scope="package")
def chromium(stack):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def people(request, chromium, stack):
    """Open a browser for a person: `people()` for a member of the public, or
    `people("officer")` signed in with that demo login. Each has its own cookies."""
    contexts = []
    csp_violations: list[str] = []

    def open_for(username: str | None = None, *, viewport=DESKTOP):
        context = chromium.new_context(
            base_url=stack.base_url,
            viewport=viewport,
            locale="en-GB",
            timezone_id="Europe/London",
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        context.csp_violations = watch_csp(context)
        contexts.append(context)
        page = context.new_page()
        if username:
            sign_in(page, username)
        return page

    yield open_for
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for context in contexts:
        for page in context.pages:
            with contextlib.suppress(Exception):  # a closed page, a PDF
                page.evaluate("1")  # let reports still on their way arrive
        csp_violations += context.csp_violations
    for n, context in enumerate(contexts):
        if failed:
            for m, page in enumerate(context.pages):
                name = re.sub(r"[^\w.-]+", "_", request.node.name)
                (ARTIFACTS / "failures").mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "failures" / f"{name}-{n}-{m}.png"), full_page=True)
        context.close()
    if failed:
        print(stack.logs())
    # Anything a journey did that the Content-Security-Policy blocked is broken for real people.
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)


def sign_in(page, username: str, password: str | None = None) -> None:
    """Sign in as a person does: the Sign in link, the form, the button."""
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():  # a phone folds the links behind the menu
        menu.click()
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password or PASSWORDS[username])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if menu.is_visible():
        menu.click()
    # Where their work is (accounts.views.landing_page): the site's pages sign out with
    # "Sign out", the admin's (an officer's dashboard) with Django's "Log out".
    signed_in = page.get_by_role("button", name=re.compile(r"^(Sign out|Log out)$"))
    assert signed_in.is_visible(), f"{username} could not sign in"
    if menu.is_visible():
        menu.click()  # folded again, as the next page will show it


@pytest.fixture(scope="package")
def upcoming(stack):
    """An upcoming meeting of the demo committee with three items (one Part II, with its
    paragraph), a report with a PDF appendix, published; the worker builds its packs."""
    return publish_upcoming_meeting()


@pytest.fixture(scope="package")
def upcoming_packs(upcoming):
    """The upcoming meeting's packs, once the worker has built them."""
    return wait_for_packs(upcoming.meeting_id)


@dataclass
class Seen:
    """One page as the tour saw it."""

    visit: Visit
    status: int
    html: Path | None
    violations: list[dict] = field(default_factory=list)
    phone_violations: list[dict] = field(default_factory=list)  # public pages, 390px wide
    phone_overflow: int = 0  # CSS pixels the page is wider than a phone's screen
    csp_violations: list[str] = field(default_factory=list)


@pytest.fixture(scope="package")
def tour(chromium, stack, upcoming) -> list[Seen]:
    """Every page type, and every report and reported document of the demo, visited once in
    Chromium as the person it is for: the server's HTML saved for the Nu checker, and
    axe-core run on the page as shown at 1,366 px and again at 390 px (public pages)."""
    # So that the meeting page shows its packs. A failed build is the journeys' to report;
    # the page is still checked without them.
    with contextlib.suppress(AssertionError):
        wait_for_packs(upcoming.meeting_id)
    html_dir = ARTIFACTS / "html"
    shutil.rmtree(html_dir, ignore_errors=True)
    html_dir.mkdir(parents=True)
    pages: dict[str | None, object] = {}
    reports: dict[str | None, list[str]] = {}

    def page_for(who):
        if who not in pages:
            context = chromium.new_context(base_url=stack.base_url, viewport=LAPTOP, locale="en-GB")
            context.set_default_timeout(15_000)
            reports[who] = watch_csp(context)
            pages[who] = context.new_page()
            if who:
                sign_in(pages[who], who)
        return pages[who]

    seen: list[Seen] = []

    def visit(v: Visit) -> object:
        page = page_for(v.who)
        already = len(reports[v.who])
        response = page.goto(v.path)
        html = html_dir / f"{v.key}.html"
        html.write_bytes(response.body())
        if v.ready:
            page.wait_for_selector(v.ready)
        # What the page itself did, taken before axe-core runs: to read an @imported
        # stylesheet axe copies it into a <style> element, which the policy rightly blocks.
        page.evaluate("1")  # the page's reports, sent before this answer, have arrived
        found = Seen(visit=v, status=response.status, html=html, csp_violations=reports[v.who][already:])
        found.violations = axe_violations(page)
        if not v.admin:
            # Again as a phone shows it: tables that scroll sideways, text that reflows.
            page.set_viewport_size(PHONE)
            found.phone_violations = axe_violations(page)
            # Wide tables scroll inside their own box; the page itself must not (WCAG 1.4.10).
            found.phone_overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            page.set_viewport_size(LAPTOP)
        page.wait_for_timeout(100)  # axe's own reports arrive now, not during the next page
        seen.append(found)
        return page

    portal = portal_visits(upcoming)
    with urgent_and_private():  # the decisions pages, with a decision and a notice to read
        for v in portal + document_visits(portal) + admin_visits(upcoming):
            visit(v)
    for app in APPS:
        index = reverse(f"{app}:index")
        queue, known = [index], {resolve(index).view_name}
        while queue:
            path = queue.pop(0)
            page = page_for(None)
            kind = page.request.get(path).headers.get("content-type", "")
            if not kind.startswith("text/html"):
                continue
            page = visit(Visit(key_for(path), path))
            for link in app_links(page, app):
                name = resolve(link.split("?")[0]).view_name
                if name not in known:
                    known.add(name)
                    queue.append(link)
    for page in pages.values():
        page.context.close()
    return seen

"""The Content-Security-Policy is on (the server runs the real settings) and breaks no page:
no inline script, no style element, nothing from elsewhere, on any page of the tour."""

import pytest

pytestmark = pytest.mark.browser


def test_no_page_breaks_the_content_security_policy(tour):
    found = [f"{s.visit.key} ({s.visit.path}):\n  " + "\n  ".join(s.csp_violations) for s in tour if s.csp_violations]
    assert not found, "Content-Security-Policy violations:\n" + "\n".join(found)


def test_the_policy_would_report_an_inline_script(people):
    """The check above can fail: a script written into a page is blocked and reported."""
    page = people()
    page.goto("/accessibility/")
    page.evaluate(
        """() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1'; document.body.append(s); }"""
    )
    assert page.evaluate("window.ran") is None
    violations = page.context.csp_violations
    page.evaluate("1")
    assert any("script-src" in v for v in violations), violations
    violations.clear()  # seen and expected: the fixture's own check must not count it

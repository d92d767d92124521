"""Every public page type, every report and reported document of the demo and the API docs
are valid HTML, as the Nu HTML checker (vnu-jar) judges it."""

import pytest

from .checks import describe_vnu, vnu_errors

pytestmark = pytest.mark.browser


def test_public_pages_are_valid_html(tour):
    public = [s for s in tour if not s.visit.admin]
    errors = vnu_errors([s.html for s in public])  # one Java run for all of them
    problems = [
        describe_vnu(f"{s.visit.key} ({s.visit.path})", errors[s.html.resolve()])
        for s in public
        if errors.get(s.html.resolve())
    ]
    assert not problems, "\n\n".join(problems)
    assert not errors.get(None), errors.get(None)  # nothing the checker could not place

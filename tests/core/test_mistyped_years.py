"""Every form that takes a day refuses one typed with a slip in its year (0001 for 2001, 9999
as "no end") at its field, as the admin's change forms do (core.forms.MistypedYearsMixin,
core.dates.mistyped_year_problem). The forms are found by walking those the project
defines, so a new page's form is held to the rule without being listed here; what each
page then answers is tested with the page (tests/send_actions/test_pages.py,
tests/decisions/test_typed_dates.py, tests/committee/test_odd_input.py)."""

from django import forms
from django.contrib import admin
from django.urls import get_resolver

from core.forms import CarefulAdminMixin, MistypedYearsMixin

PROJECT_APPS = {
    "accounts", "alerts", "committee", "core", "decisions", "interests", "moderngov", "performance", "retention",
    "risks", "send_actions",
}  # fmt: skip
# The meetings calendar's month keeps its own range (1900 to 2100), with its own message.
OWN_RANGE = {"committee.portal.forms.CalendarFilterForm"}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _takes_days(form_class) -> bool:
    kinds = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)
    return any(isinstance(field, kinds) for field in form_class.base_fields.values())


def test_every_form_that_takes_a_day_refuses_a_slip_in_its_year():
    assert get_resolver().url_patterns  # every page's views imported, with the forms they use
    # The admin's change forms and inline rows are checked when CarefulAdminMixin builds them
    # (from the form it names, or one made from it).
    careful = set()
    for model_admin in admin.site._registry.values():
        if isinstance(model_admin, CarefulAdminMixin):
            for form in (model_admin.form, *(inline.form for inline in model_admin.inlines)):
                careful |= set(form.__mro__)
    found = {
        f"{form.__module__}.{form.__qualname__}": form
        for form in _subclasses(forms.BaseForm)
        if form.__module__.split(".")[0] in PROJECT_APPS and _takes_days(form)
    }
    assert {"send_actions.forms.ProgressUpdateForm", "committee.portal.forms.SearchForm"} <= set(found)
    unchecked = [
        name
        for name, form in found.items()
        if not issubclass(form, MistypedYearsMixin) and form not in careful and name not in OWN_RANGE
    ]
    assert unchecked == []

"""A page that fails, for the error-report test (tests/operations/test_errors.py) only."""

from django.urls import path


def boom(request):
    raise RuntimeError("sentry-probe: the page failed")


urlpatterns = [path("boom/", boom)]

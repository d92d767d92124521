"""The project's URLs plus one trivial view: the framework's own ceiling (URL resolution,
the whole middleware stack, a response) measured in the same run as the real pages."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("", include("config.urls")),
]

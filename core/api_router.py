"""The API's addresses: config/urls.py registers each endpoint with this router."""

from rest_framework.routers import DefaultRouter
from rest_framework.urlpatterns import format_suffix_patterns

# The one format an address may name by its ending: /api/meetings.json, /api/meetings/2.json.
# Any other ending names no address and is "not found": DRF's router takes any letters or
# digits there, and the API ignores a format it does not write, so /api/meetings/2.00001/
# answered meeting 2.
FORMAT_SUFFIXES = ["json"]


class Router(DefaultRouter):
    include_format_suffixes = False  # added in get_urls, for FORMAT_SUFFIXES only

    def get_urls(self):
        return format_suffix_patterns(super().get_urls(), allowed=FORMAT_SUFFIXES)

"""Site-wide responses that belong to no domain app."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

# What search engines may index: the public pages and papers, the sitemap. Not the officers'
# admin, sign-in, or the packs' build status. (Part II papers are never on a public page;
# every private response also says noindex itself.)
ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /accounts/
Disallow: /packs/meetings/
Allow: /

Sitemap: {sitemap}
"""


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    return HttpResponse(ROBOTS.format(sitemap=sitemap), content_type="text/plain; charset=utf-8")

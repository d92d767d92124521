from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import urls as auth_urls
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from committee.portal import api
from committee.portal.sitemaps import SITEMAPS
from core.api_router import Router
from core.views import robots_txt
from decisions import api as decisions_api
from interests import api as interests_api

# Redoc, the API's documentation page, is served from the project (drf-spectacular-sidecar)
# but styles itself with <style> elements it writes, and runs its search in a worker made
# from a blob: this page alone lets those in. Nothing comes from another origin. It shows
# public data only, and has no form or session use.
REDOC_CSP = csp_update(
    {
        "style-src": ["'unsafe-inline'"],
        "worker-src": ["blob:"],
    }
)


def favicon(request):
    # At request time: in production the static file's hashed name is known only once
    # collectstatic has run, not when the URLs are loaded.
    return HttpResponsePermanentRedirect(static("core/favicon.svg"))


router = Router()
router.register("committees", api.CommitteeViewSet, basename="committee")
router.register("members", api.MemberViewSet, basename="member")
router.register("meetings", api.MeetingViewSet, basename="meeting")
router.register("agenda-items", api.AgendaItemViewSet, basename="agendaitem")
router.register("documents", api.DocumentViewSet, basename="document")
router.register("forward-plan", decisions_api.PlanEntryViewSet, basename="forwardplanentry")
router.register("decisions", decisions_api.DecisionViewSet, basename="decision")
router.register("interests", interests_api.InterestViewSet, basename="interest")
router.register("declarations", interests_api.DeclarationViewSet, basename="declaration")
router.register("withdrawals", api.WithdrawalViewSet, basename="withdrawal")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include(auth_urls)),
    path("api/", include((router.urls, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", REDOC_CSP(SpectacularRedocView.as_view(url_name="api-schema")), name="api-docs"),
    # Browsers and crawlers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    path("favicon.ico", favicon),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("packs/", include("committee.pack.urls")),
    path("risks/", include("risks.urls")),
    path("performance/", include("performance.urls")),
    path("send/", include("send_actions.urls")),
    path("", include("moderngov.service.urls")),
    path("", include("decisions.urls")),
    path("alerts/", include("alerts.urls")),
    path("interests/", include("interests.urls")),
    path("", include("moderngov.old_links")),  # ModernGov's old addresses
    path("", include("committee.portal.urls")),
]

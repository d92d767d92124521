from django.contrib import admin
from django.contrib.auth import urls as auth_urls
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import DefaultRouter

from committee.portal import api
from committee.portal.sitemaps import SITEMAPS
from core.views import robots_txt

router = DefaultRouter()
router.register("committees", api.CommitteeViewSet, basename="committee")
router.register("members", api.MemberViewSet, basename="member")
router.register("meetings", api.MeetingViewSet, basename="meeting")
router.register("agenda-items", api.AgendaItemViewSet, basename="agendaitem")
router.register("documents", api.DocumentViewSet, basename="document")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include(auth_urls)),
    path("api/", include((router.urls, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("packs/", include("committee.pack.urls")),
    path("risks/", include("risks.urls")),
    path("performance/", include("performance.urls")),
    path("send/", include("send_actions.urls")),
    path("", include("committee.portal.urls")),
]

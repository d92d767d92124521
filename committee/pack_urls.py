from django.urls import path

from . import pack_views

app_name = "packs"

urlpatterns = [
    path("<int:pk>/", pack_views.download, name="download"),
    path("meetings/<int:meeting_id>/status.json", pack_views.meeting_status, name="meeting-status"),
    path("meetings/<int:meeting_id>/build/", pack_views.meeting_build, name="meeting-build"),
]

from django.urls import path

from . import views

app_name = "packs"

urlpatterns = [
    path("<int:pk>/", views.download, name="download"),
    path("meetings/<int:meeting_id>/status.json", views.meeting_status, name="meeting-status"),
    path("meetings/<int:meeting_id>/build/", views.meeting_build, name="meeting-build"),
]

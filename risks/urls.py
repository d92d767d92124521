from django.urls import path

from . import views

app_name = "risks"

urlpatterns = [
    path("", views.index, name="index"),
    path("snapshots/<int:pk>/", views.snapshot_detail, name="snapshot-detail"),
    path("snapshots/<int:pk>/entries/<str:reference>/", views.snapshot_entry, name="snapshot-entry"),
]

from django.urls import path

from . import views

app_name = "performance"

urlpatterns = [
    path("", views.index, name="index"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("reports/<int:pk>/export.<str:export_format>", views.report_export, name="report-export"),
    path("drafts/<int:pk>/", views.report_preview, name="report-preview"),
    path("measures/<int:pk>/", views.measure_detail, name="measure-detail"),
    path("enter/", views.entry_choose, name="entry-choose"),
    path("enter/<int:service_area>/<int:period>/", views.entry_grid, name="entry-grid"),
]

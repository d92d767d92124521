from django.urls import path

from . import views

app_name = "committee"

urlpatterns = [
    path("", views.home, name="home"),
    path("committees/<slug:slug>/", views.committee_detail, name="committee-detail"),
    path("councillors/<slug:slug>/", views.member_detail, name="member-detail"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("reports/<int:pk>/", views.report_detail, name="report-detail"),
    path("documents/<int:pk>/", views.appendix_document, name="appendix-document"),
]

from django.urls import path

from . import views

app_name = "send_actions"

urlpatterns = [
    path("", views.index, name="index"),
    path("reported/<int:pk>/", views.snapshot_detail, name="snapshot-detail"),
    path("<slug:slug>/", views.plan_detail, name="plan-detail"),
    path("<slug:slug>/key-tasks.<str:fmt>", views.plan_export, name="plan-export"),
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/tasks/<str:code>/", views.task_detail, name="task-detail"),
    path("<slug:slug>/tasks/<str:code>/updates/", views.task_add_update, name="task-add-update"),
]

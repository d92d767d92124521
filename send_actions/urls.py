from django.urls import path  # noqa: F401

app_name = "send_actions"

urlpatterns: list = []

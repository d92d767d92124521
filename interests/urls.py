from django.urls import path

from . import views

app_name = "interests"

urlpatterns = [
    path("<slug:slug>/", views.register, name="register"),
    path("<slug:slug>/versions/<int:number>/", views.register_version, name="register-version"),
]

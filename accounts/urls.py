from django.urls import path

from . import views

urlpatterns = [
    # Before Django's own sign-in page at the same address (config/urls.py includes both).
    path("login/", views.SignInView.as_view(), name="login"),
    path("two-factor/", views.settings_page, name="two_factor_settings"),
    path("two-factor/set-up/", views.enrol, name="two_factor_enrol"),
    path("two-factor/verify/", views.verify, name="two_factor_verify"),
    path("two-factor/backup-codes/", views.backup_codes, name="two_factor_backup_codes"),
    path("two-factor/backup-codes/new/", views.new_backup_codes, name="two_factor_new_backup_codes"),
    path("two-factor/turn-off/", views.turn_off, name="two_factor_turn_off"),
]

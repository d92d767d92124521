from django.apps import AppConfig
class ModernGovConfig(AppConfig):
    name = "moderngov"
    verbose_name = "ModernGov"

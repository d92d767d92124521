from django.apps import AppConfig


class InterestsConfig(AppConfig):
    name = "interests"
    verbose_name = "Members' interests"

    def ready(self):
        # Declarations are recorded on committee's "Write the minutes" page, which knows
        # nothing of this app but the section registered here.
        from committee import minutes_admin

        from .minutes import DeclarationsSection

        if not any(isinstance(section, DeclarationsSection) for section in minutes_admin.ITEM_SECTIONS):
            minutes_admin.ITEM_SECTIONS.append(DeclarationsSection())

from django.apps import AppConfig


class SendActionsConfig(AppConfig):
    name = "send_actions"
    verbose_name = "SEND written statement of action"

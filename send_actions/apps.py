from django.apps import AppConfig


class SendActionsConfig(AppConfig):
    name = "send_actions"
    verbose_name = "SEND written statement of action"

    def ready(self):
        from committee.appendices import StructuredAppendixKind, register

        from . import selectors

        # A report's appendix can show a frozen snapshot of the plan (the seed's Appendix 'B').
        register(
            StructuredAppendixKind(
                model_label="send_actions.PlanSnapshot",
                name="Action plan",
                template="send_actions/appendix_action_plan.html",
                context=selectors.snapshot_appendix_context,
                label=selectors.snapshot_choice_label,
                related=("plan",),
            )
        )

from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = "Risk and opportunity registers"

    def ready(self):
        from committee.appendices import StructuredAppendixKind, register

        from . import selectors

        # A report's Appendix 'A' shows a snapshot as the seed prints it; the covering
        # report's own table of high scores is a second kind, placed within the report.
        register(
            StructuredAppendixKind(
                model_label="risks.RegisterSnapshot",
                name="Risk register snapshot",
                template="risks/appendix_register_snapshot.html",
                context=selectors.snapshot_appendix_context,
                label=selectors.snapshot_choice_label,
                compared_with=selectors.compared_with,
            )
        )
        register(
            StructuredAppendixKind(
                model_label="risks.SnapshotSummary",
                name="Risk summary table",
                template="risks/appendix_summary_table.html",
                context=selectors.summary_appendix_context,
                label=selectors.summary_choice_label,
                related=("snapshot",),
            )
        )

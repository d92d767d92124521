from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "Performance monitoring"

    def ready(self):
        from committee.appendices import StructuredAppendixKind, register

        from .selectors import appendix_context, choice_label

        register(
            StructuredAppendixKind(
                model_label="performance.PerformanceReportSnapshot",
                name="Performance report",
                template="performance/appendix_report.html",
                context=appendix_context,
                label=choice_label,
            )
        )

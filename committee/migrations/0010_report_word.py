import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import committee.models

TEMPLATE_HEADINGS = (
    ("Executive Summary", "executive_summary", True),
    ("Recommendation", "recommendation", True),
    ("Background and Advice", "background_and_advice", True),
    ("Consultations", "consultations", True),
    ("Implications", "implications", True),
    ("Risk management", "risk_management", True),
    ("List of Background Papers", "background_papers", True),
    ("Reason for inclusion in Part II, if appropriate", "reason_for_part_ii", True),
    ("Corporate Priorities", "leave_out", False),
    ("Recommendations", "recommendation", False),
    ("Background", "background_and_advice", False),
    ("Risk management and legal implications", "risk_management", False),
)


def seed_headings(apps, schema_editor):
    WordHeading = apps.get_model("committee", "WordHeading")
    for order, (heading, target, in_template) in enumerate(TEMPLATE_HEADINGS):
        WordHeading.objects.get_or_create(
            heading=heading, defaults={"target": target, "in_template": in_template, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("committee", "0009_constraint_messages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="WordHeading",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "heading",
                    models.CharField(help_text='As authors write it: "Risk management".', max_length=200, unique=True),
                ),
                (
                    "target",
                    models.CharField(
                        choices=[
                            ("executive_summary", "Executive Summary"),
                            ("recommendation", "Recommendation"),
                            ("background_and_advice", "Background and Advice"),
                            ("consultations", "Consultations"),
                            ("implications", "Implications"),
                            ("risk_management", "Risk management"),
                            ("background_papers", "List of Background Papers (its table)"),
                            ("reason_for_part_ii", "Reason for inclusion in Part II"),
                            ("leave_out", "Leave out (not stored)"),
                        ],
                        max_length=30,
                    ),
                ),
                (
                    "in_template",
                    models.BooleanField(
                        default=True,
                        help_text="Written into the Word template Quorum gives authors (one heading per part).",
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, help_text="Order in the template.")),
            ],
            options={"verbose_name": "Word heading", "ordering": ["order", "heading"]},
        ),
        migrations.CreateModel(
            name="ReportSource",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("file", models.FileField(upload_to=committee.models.report_source_upload_to)),
                ("original_name", models.CharField(max_length=255)),
                ("size", models.PositiveIntegerField(help_text="Bytes.")),
                ("uploaded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="sources", to="committee.report"
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["report", "-uploaded_at"]},
        ),
        migrations.RunPython(seed_headings, migrations.RunPython.noop),
    ]

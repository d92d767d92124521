"""Reasons printed as plain text (Part II, public interest, confidentiality, late
publication, cancellation) that officers typed as HTML are kept as the words they meant: the
pages print them as text, and would otherwise print the tags. Forms now refuse tags there."""

from django.db import migrations

FIELDS = {
    "AgendaItem": ["public_interest_reasons", "confidential_basis"],
    "Appendix": ["public_interest_reasons", "confidential_basis"],
    "Report": ["reason_for_part_ii"],
    "Meeting": ["late_publication_reasons", "status_reason"],
}


def to_text(apps, schema_editor):
    from core.forms import has_tags
    from core.richtext import html_as_text

    for model_name, fields in FIELDS.items():
        model = apps.get_model("committee", model_name)
        for row in model.objects.only("pk", *fields).iterator():
            changed = {f: html_as_text(getattr(row, f)) for f in fields if has_tags(getattr(row, f))}
            if changed:
                model.objects.filter(pk=row.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [("committee", "0010_report_word")]

    operations = [migrations.RunPython(to_text, migrations.RunPython.noop)]

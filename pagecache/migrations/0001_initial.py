from django.db import migrations, models
from django.utils import timezone


def first_generation(apps, schema_editor):
    PublicGeneration = apps.get_model("pagecache", "PublicGeneration")
    # Numbers are at least the microseconds since 1970 (pagecache/generation.py).
    now = timezone.now()
    PublicGeneration.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"number": int(now.timestamp() * 1_000_000), "changed_at": now}
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="PublicGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.BigIntegerField(default=0)),
                ("changed_at", models.DateTimeField()),
            ],
            options={"verbose_name": "public content generation"},
        ),
        migrations.RunPython(first_generation, migrations.RunPython.noop),
    ]

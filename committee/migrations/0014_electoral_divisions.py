# Councillors' electoral divisions become records (ModernGov's web service lists councillors
# by ward, with ids). Each division name typed on a councillor becomes one record; the
# history of each councillor points at the same record.

import django.db.models.deletion
from django.db import migrations, models
from django.utils.text import slugify


def divisions_from_names(apps, schema_editor):
    ElectoralDivision = apps.get_model("committee", "ElectoralDivision")
    made = {}

    def division(name):
        name = name.strip()
        if not name:
            return None
        if name not in made:
            base = slugify(name)[:190] or "division"
            slug, n = base, 1
            while ElectoralDivision.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            made[name] = ElectoralDivision.objects.create(name=name, slug=slug)
        return made[name]

    for model in ("Member", "HistoricalMember"):
        for row in apps.get_model("committee", model).objects.exclude(electoral_division=""):
            row.division = division(row.electoral_division)
            row.save(update_fields=["division"])


def names_from_divisions(apps, schema_editor):
    for model in ("Member", "HistoricalMember"):
        Model = apps.get_model("committee", model)
        names = dict(apps.get_model("committee", "ElectoralDivision").objects.values_list("pk", "name"))
        for row in Model.objects.exclude(division=None):
            row.electoral_division = names.get(row.division_id, "")
            row.save(update_fields=["electoral_division"])


class Migration(migrations.Migration):
    dependencies = [
        ("committee", "0013_report_authors"),
    ]

    operations = [
        migrations.CreateModel(
            name="ElectoralDivision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200, unique=True)),
                ("slug", models.SlugField(max_length=200, unique=True)),
            ],
            options={"ordering": ["name"]},
        ),
        migrations.AddField(
            model_name="historicalmember",
            name="division",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="committee.electoraldivision",
                verbose_name="electoral division",
            ),
        ),
        migrations.AddField(
            model_name="member",
            name="division",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="members",
                to="committee.electoraldivision",
                verbose_name="electoral division",
            ),
        ),
        migrations.RunPython(divisions_from_names, names_from_divisions),
        migrations.RemoveField(model_name="historicalmember", name="electoral_division"),
        migrations.RemoveField(model_name="member", name="electoral_division"),
    ]

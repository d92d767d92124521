from django.db import migrations, models


class Migration(migrations.Migration):
    """Builds queued before this have no record of being sent: the first sweep sends them
    again, which is harmless (only one delivery can claim a build)."""

    dependencies = [
        ("committee", "0006_agendapack_withdrawal"),
    ]

    operations = [
        migrations.AddField(
            model_name="agendapack",
            name="sent_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the build's message last reached the message queue. Empty: it has not (the queue "
                "was unreachable); the sweep sends it.",
                null=True,
            ),
        ),
    ]

"""What an upgrade relies on: tasks already queued by the old code find their task under the
same name in the new workers, and every beat entry names a task the workers know."""

from django.conf import settings


def test_task_names_are_pinned_and_every_beat_entry_has_its_task():
    from config.celery import app

    app.loader.import_default_modules()  # as a worker does: every app's tasks
    app.autodiscover_tasks(["committee.pack"], force=True)
    assert "committee.tasks.build_agenda_pack" in app.tasks
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name

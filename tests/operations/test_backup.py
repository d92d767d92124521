"""A backup of the demo restores into a new database and media folder, and the portal then
serves the same pages, the same pack bytes (SHA-256) and the same history."""

import io
import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from committee.models import AgendaPack
from tests.browser.harness import database_url

pytestmark = [pytest.mark.pdf, pytest.mark.django_db(transaction=True)]


def snapshot(env: dict) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "tests.operations.site_snapshot"],
        env={**env, "ALLOWED_HOSTS": "testserver"}, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def fresh_database():
    """A new, empty database beside the test database (PostgreSQL), or a new SQLite file."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{settings.VAR_DIR / f'restored-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url({**connection.settings_dict, "NAME": name})
    finally:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_of_the_demo_restores_the_same_site(settings, tmp_path, fresh_database):
    from committee.pack.demo import build_demo_packs

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)
    assert {p.status for p in build_demo_packs()} == {"ready"}
    original_env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    before = snapshot(original_env)
    assert before["packs"] and before["history"]["Report"]
    # The public pages (a Part II report, or the next meeting's unpublished agenda, answer 404: the same after).
    assert sum(status == 200 for status, _ in before["pages"].values()) >= 6, before["pages"]

    done = manage(original_env, "backup", "--to", str(tmp_path / "backups"))
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "backups" / os.path.basename(done.stdout.strip())
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["versions"]["migrations"]["committee"]
    assert manifest["media_files"] >= AgendaPack.objects.filter(status="ready").count()
    assert set(manifest["files"]) == {"database.pgdump" if connection.vendor == "postgresql" else "database.sqlite3",
                                      "media.tar"}  # fmt: skip

    restored_env = {**os.environ, "DATABASE_URL": fresh_database, "MEDIA_ROOT": str(tmp_path / "restored-media")}
    done = manage(restored_env, "restore", str(folder))
    assert done.returncode == 0, done.stderr
    after = snapshot(restored_env)
    assert after == before

    # A second restore into the now full database is refused, not merged.
    again = manage(restored_env, "restore", str(folder))
    assert again.returncode != 0 and "not empty" in again.stderr


def test_a_damaged_backup_is_refused_before_anything_is_touched(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.pdf").write_bytes(b"%PDF-1.7 test")
    call_command("backup", to=str(tmp_path / "backups"), stdout=io.StringIO())
    (folder,) = (tmp_path / "backups").iterdir()
    with (folder / "media.tar").open("ab") as f:
        f.write(b"tampered")
    with pytest.raises(CommandError, match="media.tar does not match its checksum"):
        call_command("restore", str(folder))


@pytest.mark.parametrize("manifest", ["{not json", "[]", '{"format": 1}', '{"format": 1, "files": {"media.tar": 1}}'])
def test_a_backup_whose_manifest_cannot_be_read_is_refused_saying_so(settings, tmp_path, manifest):
    """The manifest is not covered by its own checksums: a damaged one is refused with the
    operator's message, not a traceback."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    call_command("backup", to=str(tmp_path / "backups"), stdout=io.StringIO())
    (folder,) = (tmp_path / "backups").iterdir()
    (folder / "manifest.json").write_text(manifest)
    with pytest.raises(CommandError, match="manifest.json cannot be read: the backup is damaged"):
        call_command("restore", str(folder))


def test_with_replace_a_backup_is_restored_over_a_site_that_changed_since(settings, tmp_path, committee):
    """The restore an IT team makes after a bad change or a damaged database: over the live
    database and media folder, which a restore without --replace refuses."""
    from committee.models import Committee

    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.pdf").write_bytes(b"%PDF-1.7 as backed up")
    call_command("backup", to=str(tmp_path / "backups"), stdout=io.StringIO())
    (folder,) = (tmp_path / "backups").iterdir()
    Committee.objects.filter(pk=committee.pk).update(name="Renamed after the backup")
    (tmp_path / "media" / "a.pdf").write_bytes(b"changed after the backup")

    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(folder))
    call_command("restore", str(folder), replace=True, stdout=io.StringIO())

    assert Committee.objects.get(pk=committee.pk).name == committee.name
    assert (tmp_path / "media" / "a.pdf").read_bytes() == b"%PDF-1.7 as backed up"


def test_with_files_in_object_storage_backup_says_to_back_the_bucket_up(settings, tmp_path):
    from config.settings import object_storage

    settings.STORAGES = {**settings.STORAGES, "default": object_storage("quorum-files")}
    with pytest.raises(CommandError, match="back the bucket up with the store's own versioning or replication"):
        call_command("backup", to=str(tmp_path / "backups"), stdout=io.StringIO())
    assert not (tmp_path / "backups").exists(), "nothing half made"

"""Backups that restore: the database and the media folder, with a manifest.

A backup is one folder, `quorum-backup-<UTC time>/`:

- `database.pgdump`: PostgreSQL's custom format (`pg_dump -Fc`), restored by `pg_restore`;
  or `database.sqlite3`: a consistent copy made by SQLite's backup API (the demo);
- `media.tar`: the media folder (uploaded appendices, Word sources, agenda pack versions,
  the pack's cache of rendered papers);
- `manifest.json`: when, the versions (Quorum's migrations, Django, Python, the database
  server and pg_dump), and each file's size and SHA-256, checked before a restore.

History (django-simple-history's tables) is in the database, so it comes back with it.
Files in object storage (AWS_STORAGE_BUCKET_NAME) are not copied: back the bucket up with
the store's own versioning or replication (docs/operations.md)."""

import hashlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

import django
from django.conf import settings
from django.db import connection, connections

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """Something an operator must put right; the message says what."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _engine() -> str:
    engine = connection.settings_dict["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"Backups know PostgreSQL and SQLite, not {engine}.")


def _pg_env() -> dict:
    """libpq's variables for the configured database: the password never on a command line."""
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(db["NAME"]), "PGUSER": db.get("USER") or ""}
    if db.get("HOST"):
        env["PGHOST"] = db["HOST"]
    if db.get("PORT"):
        env["PGPORT"] = str(db["PORT"])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(command: list[str], env: dict) -> str:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).")
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603 - our own fixed arguments
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")
    return done.stdout


def _media_root() -> Path:
    if getattr(settings, "STORAGES", {}).get("default", {}).get("BACKEND", "").endswith("S3Storage"):
        raise BackupError(
            "Files are in object storage (AWS_STORAGE_BUCKET_NAME): back the bucket up with the store's own "
            "versioning or replication; this command copies a media folder on disk."
        )
    return Path(settings.MEDIA_ROOT)


def _versions(engine: str) -> dict:
    from django.db.migrations.recorder import MigrationRecorder

    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    versions = {
        "python": platform.python_version(),
        "django": django.get_version(),
        "migrations": dict(sorted(latest.items())),
    }
    if engine == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            versions["postgresql_server"] = cursor.fetchone()[0]
        versions["pg_dump"] = _run(["pg_dump", "--version"], os.environ.copy()).strip()
    else:
        versions["sqlite"] = sqlite3.sqlite_version
    return versions


def backup(destination: Path) -> Path:
    """Write a backup folder under `destination`; return its path."""
    engine = _engine()
    media = _media_root()
    created = datetime.now(UTC)
    folder = Path(destination) / f"quorum-backup-{created:%Y%m%dT%H%M%SZ}"
    folder.mkdir(parents=True, exist_ok=False)
    try:
        if engine == "postgresql":
            database = folder / "database.pgdump"
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={database}"], _pg_env())
        else:
            database = folder / "database.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(database) as target:
                connection.connection.backup(target)
        archive = folder / "media.tar"
        count = 0
        with tarfile.open(archive, "w") as tar:
            if media.exists():
                for path in sorted(media.rglob("*")):
                    if path.is_file():
                        tar.add(path, arcname=str(path.relative_to(media)))
                        count += 1
        manifest = {
            "format": FORMAT,
            "created_at": created.isoformat(),
            "engine": engine,
            "versions": _versions(engine),
            "files": {
                path.name: {"bytes": path.stat().st_size, "sha256": _sha256(path)} for path in (database, archive)
            },
            "media_files": count,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def read_manifest(folder: Path) -> dict:
    """The manifest, once every file it lists is there with its size and checksum."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} has no {MANIFEST}: it is not a Quorum backup.")
    # The manifest is the one file its own checksums do not cover: read with care.
    damaged = BackupError(f"{MANIFEST} cannot be read: the backup is damaged.")
    try:
        manifest = json.loads(path.read_text())
    except (UnicodeDecodeError, ValueError) as exc:
        raise damaged from exc
    if not isinstance(manifest, dict):
        raise damaged
    if manifest.get("format") != FORMAT:
        raise BackupError(f"This backup's format ({manifest.get('format')}) is not one this version restores.")
    files = manifest.get("files")
    if not isinstance(files, dict) or not files or not {"engine", "created_at", "media_files"} <= manifest.keys():
        raise damaged
    for name, expected in files.items():
        if not isinstance(expected, dict) or not {"bytes", "sha256"} <= expected.keys():
            raise damaged
        file = Path(folder) / name
        if not file.exists():
            raise BackupError(f"{name} is missing from the backup.")
        if file.stat().st_size != expected["bytes"] or _sha256(file) != expected["sha256"]:
            raise BackupError(f"{name} does not match its checksum in the manifest: the backup is damaged.")
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def restore(folder: Path, *, replace: bool = False) -> dict:
    """Restore a backup into the configured database and media folder. Both must be empty
    unless `replace` (then the database's objects are dropped and recreated, and the media
    folder's files overwritten). Returns the manifest."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(f"The backup is of a {manifest['engine']} database; this site uses {engine}.")
    media = _media_root()
    if not replace:
        if not _database_is_empty():
            raise BackupError("The database is not empty: restore into a new database, or give --replace.")
        if media.exists() and any(media.iterdir()):
            raise BackupError(f"The media folder {media} is not empty: use a new one, or give --replace.")

    if engine == "postgresql":
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if replace:
            command += ["--clean", "--if-exists"]
        env = _pg_env()
        command += [f"--dbname={env['PGDATABASE']}", str(folder / "database.pgdump")]
        connections.close_all()
        _run(command, env)
    else:
        name = Path(connection.settings_dict["NAME"])
        connections.close_all()
        with sqlite3.connect(folder / "database.sqlite3") as source, sqlite3.connect(name) as target:
            source.backup(target)

    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "media.tar") as tar:
        # "data": no absolute paths, no links out of the folder, no device files.
        tar.extractall(media, filter="data")
    return manifest

"""The round trip (issue 19): the demo, served by Quorum's own ModernGov web service over
real HTTP (pytest-django's live server), imported by `import_moderngov` into an EMPTY second
PostgreSQL database, gives what a person would compare (tests/moderngov/roundtrip.py):
committees, meetings with their dates and times, the public agenda (numbers, titles, Part II
items as "paragraph not recorded"), attendance, and the PDF appendices with their text. The
same through a folder saved by `save_moderngov`.

The second database is a copy of the freshly migrated, empty test database (CREATE DATABASE
… TEMPLATE, before anything is loaded), so no migration is run again; the import and the
reading of it run in separate processes against it, as a second Quorum would."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from committee import gate
from committee import services as committee_services
from committee.models import Access, AgendaItem, Appendix, Committee, Meeting
from tests.gate_surfaces import pdf_with_text
from tests.moderngov.roundtrip import snapshot

# The second database is made with PostgreSQL's CREATE DATABASE … TEMPLATE; on the embedded
# defaults (SQLite) there is no server to ask, so the round trip runs where CI runs it.
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs a second PostgreSQL database: CI runs it"
)

ROOT = Path(__file__).resolve().parents[2]
MARKER = "ZX-PART-II-ROUNDTRIP-7731"


def _admin(settings_dict):
    conn = psycopg2.connect(
        dbname="postgres",
        user=settings_dict["USER"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        password=settings_dict["PASSWORD"] or None,
    )
    conn.autocommit = True
    return conn


@pytest.fixture(scope="module")
def second_database(django_db_setup, django_db_blocker):
    """An empty Quorum database beside the test one: its DATABASE_URL."""
    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_second"
    with django_db_blocker.unblock():
        connections.close_all()  # the template must have no one connected
        admin = _admin(settings_dict)
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{settings_dict["NAME"]}"')
    port = settings_dict["PORT"] or 5432
    yield f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{port}/{name}", name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def quorum(database_url: str, var_dir: Path, *args: str) -> str:
    """A command of the second Quorum, in its own process."""
    env = {**os.environ, "DATABASE_URL": database_url, "QUORUM_VAR_DIR": str(var_dir)}
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def clear(database_url: str, name: str, settings_dict) -> None:
    """Empty the second database again (every table but Django's own bookkeeping)."""
    conn = psycopg2.connect(
        dbname=name, user=settings_dict["USER"], host=settings_dict["HOST"], port=settings_dict["PORT"] or 5432
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'django_migrations'"
        )
        tables = ", ".join(f'"{t}"' for (t,) in cursor.fetchall())
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    conn.close()


def demo_with_pdfs() -> None:
    """The demo, with a PDF appendix on a public report and one on a Part II report (the
    demo's appendices are structured or text: these are what an officer uploads)."""
    call_command("load_demo", stdout=io.StringIO())
    published = [i for i in AgendaItem.objects.select_related("meeting") if i.meeting.is_published]
    open_item = next(i for i in published if i.access == Access.PUBLIC and hasattr(i, "report"))
    closed = next((i for i in published if i.access != Access.PUBLIC and hasattr(i, "report")), None)
    for item, text, title in [
        (open_item, "Quarterly performance tables for the committee", "Performance tables"),
        (closed, f"Valuation {MARKER}", "Valuer's letter"),
    ]:
        if item is None:
            continue
        taken = set(item.report.appendices.values_list("letter", flat=True))
        letter = next(c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in taken)
        appendix = Appendix(report=item.report, kind=Appendix.Kind.DOCUMENT, letter=letter, order=len(taken))
        appendix.title = title
        appendix.access = item.access
        appendix.exempt_paragraphs = item.exempt_paragraphs
        appendix.public_interest_reasons = getattr(item, "public_interest_reasons", "")
        appendix.document = ContentFile(pdf_with_text(text), name=f"{title}.pdf")
        committee_services.appendix_prepare(appendix=appendix)
        appendix.save()


def compare(before: dict, after: dict) -> None:
    assert after["committees"] == before["committees"]
    assert len(after["meetings"]) == len(before["meetings"])
    for was, now in zip(before["meetings"], after["meetings"], strict=True):
        assert now == was, (was["committee"], was["date"])
    assert after["documents"] == before["documents"]


@pytest.mark.django_db(transaction=True)
def test_the_demo_comes_across_through_the_web_service_and_through_a_saved_folder(
    live_server, second_database, tmp_path, settings
):
    # live_server, not tests/local_http.py: here Quorum's own service is the far end under
    # test, so the Django app itself answers, on this test's database.
    demo_with_pdfs()
    before = json.loads(json.dumps(snapshot()))  # as the other process prints it
    assert before["documents"] and any(item["part II"] for m in before["meetings"] for item in m["items"])
    assert any(m["attended"] for m in before["meetings"])
    database_url, name = second_database
    until = str(timezone.localdate().year + 2)
    years = ["--since", "2000", "--until", until]

    # 1. Straight from Quorum's service, over HTTP, into the empty second database.
    out = quorum(database_url, tmp_path / "second", "manage.py", "import_moderngov", live_server.url, *years,
                 "--rate", "0", "--backoff", "0")  # fmt: skip
    assert "Import finished." in out
    imported = json.loads(quorum(database_url, tmp_path / "second", "-m", "tests.moderngov.roundtrip"))
    compare(before, imported["snapshot"])
    # The Part II items: by title, flagged for an officer to record the paragraph; the Part II
    # PDF's text never crossed.
    assert imported["restricted"] and all(r["paragraph not recorded"] for r in imported["restricted"])
    assert MARKER not in json.dumps(imported)
    # Each record keeps the id the source's service showed (Quorum's own there), so clients
    # and old addresses that used the source's numbers find the same records here.
    kept = imported["kept"]
    assert kept["meeting"] == sorted(Meeting.objects.values_list("pk", flat=True))
    assert kept["committee"] == sorted(Committee.objects.values_list("pk", flat=True))
    assert kept["agenda_item"] == sorted(
        AgendaItem.objects.filter(meeting__in=[m for m in Meeting.objects.all() if m.is_published]).values_list(
            "pk", flat=True
        )
    )
    public_pdfs = Appendix.objects.filter(
        gate.appendix_q(gate.Reader.public()), kind=Appendix.Kind.DOCUMENT, report__agenda_item__access=Access.PUBLIC
    )
    assert kept["document"] == sorted(2 * pk for pk in public_pdfs.values_list("pk", flat=True))
    # A second run changes nothing.
    again = quorum(database_url, tmp_path / "second", "manage.py", "import_moderngov", live_server.url, *years,
                   "--rate", "0", "--backoff", "0")  # fmt: skip
    assert " imported" not in again.split("Skipped:")[0] and " updated" not in again.split("Skipped:")[0], again

    # 2. Saved to a folder, then the folder imported into the emptied second database.
    folder = tmp_path / "saved"
    saved = io.StringIO()
    call_command("save_moderngov", live_server.url, str(folder), *years, "--rate", "0", stdout=saved,
                 stderr=io.StringIO())  # fmt: skip
    assert (folder / "GetCommittees.xml").is_file() and list(folder.glob("GetMeeting_lMeetingId=*.xml"))
    assert list((folder / "documents").iterdir())
    assert MARKER.encode() not in b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())
    clear(database_url, name, connection.settings_dict)
    out = quorum(database_url, tmp_path / "third", "manage.py", "import_moderngov", str(folder), *years)
    assert "Import finished." in out
    from_folder = json.loads(quorum(database_url, tmp_path / "third", "-m", "tests.moderngov.roundtrip"))
    compare(before, from_folder["snapshot"])

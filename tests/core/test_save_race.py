"""Two officers add the same record at the same moment: both forms pass their checks, one
write reaches the database first. The other officer gets the form back with the message,
never an error page."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.db.models.signals import pre_save
from django.test import Client

from committee.models import Appendix, Venue
from tests.committee.pdfs import pdf_bytes
from tests.factories import ReportFactory

from .admin_pages import add_url, form_data


@pytest.mark.django_db(transaction=True)
def test_a_colleagues_record_saved_between_the_checks_and_the_write(django_user_model):
    if connections["default"].vendor == "sqlite":
        # SQLite lets one writer at a time: the colleague's write would wait for this
        # save's transaction, so the race cannot happen there (the laptop demo's database).
        pytest.skip("needs a database that writes concurrently (PostgreSQL): CI runs it")
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("officer"))
    data = form_data(client.get(add_url(Venue)))
    data.update(name=["Committee Room 'B'"], address=["County Hall, Preston"])

    def colleague_saves_first(sender, instance, **kwargs):
        # After this form's checks, before its write: a colleague's save commits.
        pre_save.disconnect(colleague_saves_first, sender=Venue)
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO committee_venue (name, address, accessibility) VALUES (%s, %s, '')",
                    ["Committee Room 'B'", "County Hall, Preston"],
                )
        finally:
            other.close()

    pre_save.connect(colleague_saves_first, sender=Venue)
    try:
        response = client.post(add_url(Venue), data)
    finally:
        pre_save.disconnect(colleague_saves_first, sender=Venue)

    assert response.status_code == 200
    assert "There is already a venue with this name at this address." in response.content.decode()
    assert Venue.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_large_file_chosen_in_a_save_that_lost_the_race_is_kept(django_user_model, settings, tmp_path):
    if connections["default"].vendor == "sqlite":
        pytest.skip("needs a database that writes concurrently (PostgreSQL): CI runs it")
    # A file larger than this is written to a temporary file as it arrives, which the first
    # try's save moved into the storage: the second try found nothing there (an error page).
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.MEDIA_ROOT = tmp_path
    original = pdf_bytes(2) + b"%" * 4096
    report = ReportFactory()
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("officer"))
    data = form_data(client.get(add_url(Appendix)))
    data.update(report=[str(report.pk)], letter=["A"], title=["Traffic survey"], kind=["document"])

    def colleague_saves_first(sender, instance, **kwargs):
        pre_save.disconnect(colleague_saves_first, sender=Appendix)
        theirs = Appendix(report=report, letter="A", title="Their letter", kind="rich_text", body="<p>Dear</p>")
        fields = [field for field in Appendix._meta.concrete_fields if not field.primary_key]
        other = connections.create_connection("default")
        try:
            columns = ", ".join(other.ops.quote_name(field.column) for field in fields)
            values = [field.get_db_prep_save(field.pre_save(theirs, True), other) for field in fields]
            places = ", ".join(["%s"] * len(fields))
            insert = f"INSERT INTO {Appendix._meta.db_table} ({columns}) VALUES ({places})"  # noqa: S608 - its own names
            with other.cursor() as cursor:
                cursor.execute(insert, values)
        finally:
            other.close()

    pre_save.connect(colleague_saves_first, sender=Appendix)
    try:
        upload = SimpleUploadedFile("Traffic survey.pdf", original, content_type="application/pdf")
        response = client.post(add_url(Appendix), {**data, "document": upload})
    finally:
        pre_save.disconnect(colleague_saves_first, sender=Appendix)

    assert response.status_code == 200
    page = response.content.decode()
    assert "This report already has an appendix with this letter." in page
    assert "Kept from your last try: <strong>Traffic survey.pdf</strong>" in page
    token = re.search(r'name="document__held" value="([^"]+)"', page).group(1)

    saved = client.post(add_url(Appendix), {**data, "letter": ["B"], "document__held": [token]})
    assert saved.status_code == 302
    with Appendix.objects.get(letter="B").document.open("rb") as stored:
        assert stored.read() == original

"""Two officers add the same record at the same moment: both forms pass their checks, one
write reaches the database first. The other officer gets the form back with the message,
never an error page."""

import pytest
from django.db import connections
from django.db.models.signals import pre_save
from django.test import Client

from committee.models import Venue

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

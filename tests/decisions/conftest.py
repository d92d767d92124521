import pytest


@pytest.fixture
def logged_in(client, officer):
    """The democratic services officer's browser, signed in to the admin."""
    client.force_login(officer)
    return client

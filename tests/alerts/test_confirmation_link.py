"""A confirmation link works for seven days, as its message says, and then says that it has
lapsed (docs/alerts.md, "Double opt-in")."""

import time

import pytest
from django.core import signing
from django.urls import reverse

from alerts import tokens
from alerts.models import Subscriber, Subscription

pytestmark = pytest.mark.django_db
DAY = 24 * 60 * 60


def _link_sent_days_ago(monkeypatch, subscription: Subscription, days: float) -> str:
    sent = int(time.time() - days * DAY)
    with monkeypatch.context() as patch:
        patch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(sent))
        return reverse("alerts:confirm", args=[tokens.confirm_token(subscription.pk)])


@pytest.fixture
def waiting():
    subscriber = Subscriber.objects.create(email="resident@example.org")
    return Subscription.objects.create(subscriber=subscriber, kind="all")


def test_a_confirmation_link_six_days_old_confirms(client, monkeypatch, waiting):
    link = _link_sent_days_ago(monkeypatch, waiting, 6.9)
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    waiting.refresh_from_db()
    assert waiting.confirmed_at is not None


def test_a_confirmation_link_more_than_seven_days_old_says_so_and_confirms_nothing(client, monkeypatch, waiting):
    link = _link_sent_days_ago(monkeypatch, waiting, 7.1)
    response = client.get(link)
    assert response.status_code == 404
    assert "more than seven days old" in response.content.decode()
    assert "Subscribe again" in response.content.decode()
    assert client.post(link).status_code == 404
    waiting.refresh_from_db()
    assert waiting.confirmed_at is None

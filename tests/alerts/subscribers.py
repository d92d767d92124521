"""Residents whose alerts are already confirmed, made through the services as the form and
the link in the confirmation message make them: for tests about what is sent, not about
signing up."""

from alerts import services
from alerts.models import Subscription


def confirmed_subscription(email: str, kind: str, **fields) -> Subscription:
    """Subscribe, then confirm (as following the confirmation link does). `fields` are
    `services.subscribe`'s others: committee, member, words, frequency."""
    subscription = services.subscribe(email=email, kind=kind, **fields)
    return services.subscription_confirm(subscription=subscription)

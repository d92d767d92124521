"""Signed links: no password, no account. A link names a subscriber or subscriptions and
is signed with the project's secret key; confirmation links lapse, the others must keep
working from an old message (unsubscribing from a year-old email must still work)."""

from django.core import signing

CONFIRM_DAYS = 7
_CONFIRM, _MANAGE, _UNSUBSCRIBE = "alerts.confirm", "alerts.manage", "alerts.unsubscribe"


class BadLink(Exception):
    pass


def _loads(token: str, salt: str, max_age=None, *, read=int):
    """What a link names, read by `read`; a link not signed here, lapsed, or naming something
    `read` cannot read is a bad link."""
    try:
        return read(signing.loads(token, salt=salt, max_age=max_age))
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadLink(str(exc)) from exc


def confirm_token(subscription_id: int) -> str:
    return signing.dumps(subscription_id, salt=_CONFIRM)


def confirm_id(token: str) -> int:
    return _loads(token, _CONFIRM, max_age=CONFIRM_DAYS * 86400)


def manage_token(subscriber_id: int) -> str:
    return signing.dumps(subscriber_id, salt=_MANAGE)


def manage_id(token: str) -> int:
    return _loads(token, _MANAGE)


def unsubscribe_token(*subscription_ids: int) -> str:
    """One alert's link, or a daily digest's, which stops every alert the digest gathers (a
    mail client's "Unsubscribe" on "Your daily alerts" means no more of them)."""
    ids = list(subscription_ids)
    return signing.dumps(ids[0] if len(ids) == 1 else ids, salt=_UNSUBSCRIBE)


def unsubscribe_ids(token: str) -> list[int]:
    """The alerts a link stops: one (every link sent before digests named theirs) or several."""
    return _loads(token, _UNSUBSCRIBE, read=_ids)


def _ids(named) -> list[int]:
    return [int(pk) for pk in named] if isinstance(named, list) else [int(named)]

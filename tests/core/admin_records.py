"""A record of every model registered on the admin site, for the tests that walk the whole
site: the demo's first, or one made here, from the demo's records, for a model the demo has
none of (sign-in attempts, two-factor devices, call-ins...)."""

from datetime import date, timedelta
from decimal import Decimal

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from alerts.models import EventKind, Webhook
from committee.models import AgendaItem, CouncilClosureDay, StandingItem
from decisions.models import CallIn, Decision, PrivateMeetingNotice
from interests.models import Declaration, Dispensation
from performance.models import Measure, ReportingPeriod, Target
from tests.factories import MeetingFactory

SIGN_IN = {
    "ip_address": "192.0.2.10",
    "user_agent": "Firefox",
    "http_accept": "text/html",
    "path_info": "/accounts/login/",
}


def _user():
    return get_user_model().objects.order_by("pk").first()


def _static_device():
    device = StaticDevice.objects.create(user=_user(), name="Backup codes")
    device.token_set.create(token="a1b2c3d4")
    return device


MAKERS = {
    "performance.target": lambda: Target.objects.create(
        measure=Measure.objects.order_by("pk").first(),
        period=ReportingPeriod.objects.order_by("pk").first(),
        value=Decimal("75"),
    ),
    "decisions.callin": lambda: CallIn.objects.create(
        decision=Decision.objects.order_by("pk").first(), requested_on=date(2025, 6, 9), reasons="Not consulted"
    ),
    "decisions.privatemeetingnotice": lambda: PrivateMeetingNotice.objects.create(
        # 28 clear days' notice, given today (a notice is not published before it is recorded).
        meeting=MeetingFactory(starts_at=timezone.now() + timedelta(days=90)),
        items="Property disposal",
        reasons="Commercial terms",
        published_on=timezone.localdate(),
    ),
    "interests.dispensation": lambda: Dispensation.objects.create(
        member=AgendaItem.objects.order_by("pk").first().meeting.committee.memberships.first().member,
        for_what="To vote on the budget",
        ground="b",
        granted_by="Standards Committee",
        granted_on=date(2018, 5, 1),
        valid_from=date(2018, 5, 1),
        valid_to=date(2019, 5, 1),
    ),
    "interests.declaration": lambda: Declaration.objects.create(
        agenda_item=AgendaItem.objects.order_by("pk").first(),
        member=AgendaItem.objects.order_by("pk").first().meeting.committee.memberships.first().member,
        kind="pecuniary",
        nature="Owns shares in the library's contractor",
    ),
    "axes.accesslog": lambda: AccessLog.objects.create(username="cllr.other", **SIGN_IN),
    "axes.accessfailurelog": lambda: AccessFailureLog.objects.create(username="cllr.other", **SIGN_IN),
    "axes.accessattempt": lambda: AccessAttempt.objects.create(
        username="cllr.other", get_data="", post_data="", failures_since_start=2, **SIGN_IN
    ),
    "otp_totp.totpdevice": lambda: TOTPDevice.objects.create(user=_user(), name="Phone"),
    "otp_static.staticdevice": _static_device,
    # The standing items come with a migration, which a test that empties the tables removes.
    "committee.standingitem": lambda: StandingItem.objects.create(
        kind="urgent_business", title="Urgent Business", standing_text="<p>Any urgent business.</p>"
    ),
    "committee.councilclosureday": lambda: CouncilClosureDay.objects.create(
        date=date(2026, 12, 29), reason="Christmas closure"
    ),
    "alerts.webhook": lambda: Webhook.objects.create(
        organisation="Lancashire Post newsroom",
        url="https://news.example.com/hook",
        events=[EventKind.DECISION_PUBLISHED],
    ),
}


def a_record_of(model):
    """The demo's first record of `model`, or one made for it (None where the admin is only
    ever written by a service and the demo has none: pack builds, alerts' logs)."""
    record = model._default_manager.order_by("pk").first()
    if record is None and model._meta.label_lower in MAKERS:
        record = MAKERS[model._meta.label_lower]()
    return record

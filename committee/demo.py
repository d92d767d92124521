"""Load the seed meeting (committee/demo_data/lancashire.toml) into the database.

Idempotent: a committee that is already there is left as it is (an officer may have edited
it), so `make run` can run this every time.
"""

import tomllib
from datetime import date, datetime, time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from . import services
from .deadlines import is_working_day
from .models import (
    Access,
    AgendaItem,
    Appendix,
    Attendance,
    BackgroundPaper,
    Committee,
    CouncilClosureDay,
    ElectoralDivision,
    Meeting,
    Member,
    Membership,
    Minute,
    Minutes,
    Officer,
    Report,
    Venue,
)

DEMO_FILE = Path(__file__).parent / "demo_data" / "lancashire.toml"
# Not from the seed: a labelled Part II item so that the demo shows the gate at work.
ILLUSTRATIVE_FILE = Path(__file__).parent / "demo_data" / "illustrative.toml"
# Not from the seed either: a meeting a few weeks ahead, so that the demo has one to find.
UPCOMING_FILE = Path(__file__).parent / "demo_data" / "upcoming.toml"
COMMITTEE_SLUG = "cabinet-committee-on-performance-improvement"

# Demo logins: printed by `make run`. Never load the demo into a production database.
DEMO_USERS = [
    # username, password, description
    ("officer", "officer-demo-2018", "Democratic services officer (edits and publishes)"),
    (
        "author",
        "author-demo-2018",
        "Report author (edits the reports named on before publication; reads the Part II one)",
    ),
    ("cllr.driver", "driver-demo-2018", "County Councillor Geoff Driver CBE, Chair (reads Part II)"),
    ("cllr.other", "other-demo-2018", "A councillor who does not sit on the committee"),
]


def _local(value: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(value))


def _published_at(day: str) -> datetime:
    return timezone.make_aware(datetime.combine(date.fromisoformat(day), time(12, 0)))


def demo_meeting(key: str) -> Meeting:
    """The demo meeting with the given date key ("2018-06-27"), for other apps' loaders."""
    day = date.fromisoformat(key)
    return Meeting.objects.get(committee__slug=COMMITTEE_SLUG, starts_at__date=day)


def demo_report(title_starts: str) -> Report:
    return Report.objects.get(agenda_item__meeting__committee__slug=COMMITTEE_SLUG, title__startswith=title_starts)


def load(*, stdout=None) -> bool:
    """Load the committee's meetings and papers; return False if they were already there.
    Either way, the committee gets an illustrative upcoming meeting if it has none ahead."""
    loaded = False
    if not Committee.objects.filter(slug=COMMITTEE_SLUG).exists():
        data = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
        with transaction.atomic():
            officers = _load(data)
            _load_illustrative(tomllib.loads(ILLUSTRATIVE_FILE.read_text(encoding="utf-8")), officers)
        loaded = True
    _ensure_upcoming(tomllib.loads(UPCOMING_FILE.read_text(encoding="utf-8")))
    return loaded


def upcoming_day(data: dict, today: date) -> date:
    """The first working day of the given weekday at least `weeks_ahead` weeks after today."""
    weekday = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"].index(data["weekday"])
    day = today + timezone.timedelta(weeks=data["weeks_ahead"])
    day += timezone.timedelta(days=(weekday - day.weekday()) % 7)
    closures = set(CouncilClosureDay.objects.values_list("date", flat=True))
    while not is_working_day(day, closures):
        day += timezone.timedelta(weeks=1)
    return day


@transaction.atomic
def _ensure_upcoming(data: dict) -> Meeting | None:
    committee = Committee.objects.get(slug=COMMITTEE_SLUG)
    if committee.meetings.filter(starts_at__gte=timezone.now()).exists():
        return None
    day = upcoming_day(data, timezone.localdate())
    meeting = Meeting(
        committee=committee,
        starts_at=timezone.make_aware(datetime.combine(day, time.fromisoformat(data["time"]))),
        venue=Venue.objects.get(name=data["venue_name"]),
        signing_officer=Officer.objects.filter(name=data["signing_officer"]).first(),
    )
    services.meeting_save(meeting=meeting)
    for order, i in enumerate(data["items"], start=1):
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=order,
            number=i["number"],
            title=i["title"],
            kind=i["kind"],
            standing_text=i.get("standing_text", ""),
        )
        if "report" in i:
            _load_report(item, i["report"], {})
    # Published as an officer would, in good time: the packs follow from the worker.
    services.meeting_publish_agenda(meeting=meeting, by=None)
    return meeting


def division_named(name: str) -> ElectoralDivision | None:
    """The electoral division of that name, made if new (demo loaders of every app)."""
    if not name:
        return None
    return ElectoralDivision.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]


def _load(data: dict) -> dict[str, Officer]:
    c = data["committee"]
    committee = Committee.objects.create(name=c["name"], slug=c["slug"], kind=c["kind"], purpose=c.get("purpose", ""))
    members = {}
    for m in data["members"]:
        member = Member.objects.create(
            slug=m["key"],
            title=m.get("title", "County Councillor"),
            name=m["name"],
            honours=m.get("honours", ""),
            party=m.get("party", ""),
            division=division_named(m.get("electoral_division", "")),
        )
        Membership.objects.create(
            committee=committee, member=member, role=m.get("role", "member"), start_date=date(2017, 5, 25)
        )
        members[m["key"]] = member
    officers = {
        o["key"]: Officer.objects.create(
            name=o["name"], job_title=o.get("job_title", ""), phone=o.get("phone", ""), email=o.get("email", "")
        )
        for o in data["officers"]
    }
    venues = {v["key"]: Venue.objects.create(name=v["name"], address=v["address"]) for v in data["venues"]}

    meetings: dict[str, Meeting] = {}
    pending_minutes_of: list[tuple[AgendaItem, str]] = []
    pending_confirmed: list[tuple[Minutes, str]] = []
    for m in data["meetings"]:
        meeting = Meeting(
            committee=committee,
            starts_at=_local(m["starts_at"]),
            venue=venues[m["venue"]],
            signing_officer=officers.get(m.get("signing_officer")),
            clerk=officers.get(m.get("clerk")),
        )
        services.meeting_save(meeting=meeting)
        meetings[m["key"]] = meeting
        for order, i in enumerate(m.get("items", []), start=1):
            item = AgendaItem.objects.create(
                meeting=meeting,
                order=order,
                number=i["number"],
                title=i["title"],
                kind=i.get("kind", "other"),
                standing_text=i.get("standing_text", ""),
            )
            if "minutes_of" in i:
                pending_minutes_of.append((item, i["minutes_of"]))
            if "report" in i:
                _load_report(item, i["report"], officers)
        if "minutes" in m:
            mm = m["minutes"]
            minutes = Minutes.objects.create(
                meeting=meeting, officers_in_attendance=mm.get("officers_in_attendance", "")
            )
            for key in mm.get("present", []):
                Attendance.objects.create(
                    meeting=meeting, member=members[key], in_the_chair=(key == mm.get("in_the_chair"))
                )
            for key in mm.get("apologies", []):
                Attendance.objects.create(meeting=meeting, member=members[key], status=Attendance.Status.APOLOGIES)
            for order, i in enumerate(m.get("items", []), start=1):
                item = meeting.items.get(order=order)
                if i.get("minute_text") or i.get("resolution"):
                    Minute.objects.create(
                        minutes=minutes,
                        agenda_item=item,
                        text=i.get("minute_text", ""),
                        resolution=i.get("resolution", ""),
                    )
            if mm.get("confirmed_at"):
                pending_confirmed.append((minutes, mm["confirmed_at"]))
        # The seed's history: agendas published on the day given, minutes once held.
        status = m.get("status", "draft")
        if status != "draft":
            meeting.agenda_published_at = _published_at(m["agenda_published_on"])
            meeting.status = status
            meeting.save()
            Report.objects.filter(agenda_item__meeting=meeting).update(first_published_at=meeting.agenda_published_at)
            if status == Meeting.Status.MINUTES_PUBLISHED:
                Minutes.objects.filter(meeting=meeting).update(
                    published_at=meeting.starts_at + timezone.timedelta(days=14)
                )
    for item, key in pending_minutes_of:
        item.minutes_of = meetings[key]
        item.save(update_fields=["minutes_of"])
    for minutes, key in pending_confirmed:
        minutes.confirmed_at = meetings[key]
        minutes.save(update_fields=["confirmed_at"])
    return officers


def _load_illustrative(data: dict, officers: dict[str, Officer]) -> None:
    meeting = demo_meeting(data["meeting"])
    for order, i in enumerate(data["items"], start=1):
        item = AgendaItem(
            meeting=meeting,
            order=order,
            number=i["number"],
            title=i["title"],
            kind=i["kind"],
            standing_text=i.get("standing_text", ""),
            access=i.get("access", "public"),
            public_interest_reasons=i.get("public_interest_reasons", ""),
        )
        item.paragraph_numbers = i.get("paragraphs", [])
        item.full_clean()
        item.save()
        if "report" in i:
            _load_report(item, i["report"], officers)
    meeting.agenda_published_at = _published_at(data["agenda_published_on"])
    meeting.status = Meeting.Status.AGENDA_PUBLISHED
    meeting.save()
    Report.objects.filter(agenda_item__meeting=meeting).update(first_published_at=meeting.agenda_published_at)


def _load_report(item: AgendaItem, r: dict, officers: dict[str, Officer]) -> Report:
    report = Report.objects.create(
        agenda_item=item,
        title=r["title"],
        report_of=r["report_of"],
        electoral_divisions=r.get("electoral_divisions", "All"),
        contact=officers.get(r.get("contact")),
        **{field: r.get(field, "") for field, _ in Report.SECTIONS},
        reason_for_part_ii=r.get("reason_for_part_ii", "N/A"),
    )
    for p in r.get("background_papers", []):
        BackgroundPaper.objects.create(report=report, **p)
    for order, a in enumerate(r.get("appendices", []), start=1):
        Appendix.objects.create(
            report=report,
            letter=a["letter"],
            title=a["title"],
            kind=Appendix.Kind.RICH_TEXT,
            body=a["body"],
            order=order,
        )
    return report


def create_users() -> list[tuple[str, str, str]]:
    """Demo logins, linked to their roles; returns (username, password, role) to print."""
    User = get_user_model()
    services.roles_sync()
    roles = {
        "officer": (services.ROLE_DEMOCRATIC_SERVICES, True),
        "author": (services.ROLE_REPORT_AUTHOR, True),
    }
    for username, password, _ in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(password)
        group, staff = roles.get(username, (None, False))
        user.is_staff = staff
        user.save()
        if group:
            user.groups.add(Group.objects.get(name=group))
    # The author is named on the demo's Part II report: they read it (and no other Part II
    # paper); its agenda is published, so a correction is democratic services' to make.
    author = User.objects.get(username="author")
    for report in Report.objects.filter(
        agenda_item__meeting__committee__slug=COMMITTEE_SLUG, agenda_item__access=Access.EXEMPT
    ):
        report.authors.add(author)
    driver = Member.objects.filter(slug="geoff-driver", user__isnull=True).first()
    if driver:
        driver.user = User.objects.get(username="cllr.driver")
        driver.save(update_fields=["user"])
    other, _ = Member.objects.get_or_create(
        slug="demo-councillor-not-on-committee",
        defaults={"name": "Jo Example", "title": "County Councillor", "division": division_named("Demo Division")},
    )
    if other.user_id is None:
        other.user = User.objects.get(username="cllr.other")
        other.save(update_fields=["user"])
    return DEMO_USERS

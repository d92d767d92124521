"""Every page type a person can reach, for the accessibility and HTML checks.

The committee portal's pages are named here (one of each kind, picked to show what that
kind can hold: Part II items, minutes, packs, structured tables, an uploaded PDF). The
registers, performance and SEND apps are found the way a person finds them: from each
app's landing page, one page of every kind its links lead to, so that a page those apps
add is checked without this list changing.
"""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from committee import gate
from committee.demo import COMMITTEE_SLUG, demo_meeting, demo_report
from committee.models import Meeting, Member, Report
from core.dates import FinancialQuarter
from performance.models import PerformanceReportSnapshot
from risks.models import RegisterSnapshot
from send_actions.models import PlanSnapshot

# Addresses in the committee namespace that are not web pages (feeds, calendars, files).
NOT_PAGES = {
    "committee:committee-ics",
    "committee:committee-rss",
    "committee:committee-atom",
    "committee:calendar-ics",
    "committee:meeting-ics",
    "committee:papers-rss",
    "committee:papers-atom",
    "committee:appendix-document",
    "committee:appendix-original",
}
APPS = ["risks", "performance", "send_actions"]


@dataclass(frozen=True)
class Visit:
    key: str  # a stable name: the saved HTML file and the report use it
    path: str
    who: str | None = None  # a demo login, or None for the public
    status: int = 200
    admin: bool = False  # the officers' admin: axe only (Django's own markup is not ours to validate)
    ready: str | None = None  # a selector to wait for: a page its script draws (the API docs)

    @property
    def url_name(self) -> str | None:
        try:
            match = resolve(self.path.split("?")[0])
        except Resolver404:
            return None
        return match.view_name


def portal_visits(upcoming) -> list[Visit]:
    seed = demo_meeting("2018-06-27")
    previous = demo_meeting("2018-04-18")
    part_ii_demo = demo_meeting("2018-10-04")
    kpi = demo_report("Quarterly Corporate Performance")
    risk = demo_report("Corporate Risk and Opportunity Register")
    chair = Member.objects.get(user__username="cllr.driver")
    return [
        Visit("home", "/"),
        Visit("committees", reverse("committee:committee-list")),
        Visit("committee", reverse("committee:committee-detail", args=[COMMITTEE_SLUG])),
        Visit("councillors", reverse("committee:member-list")),
        Visit("councillor", chair.get_absolute_url()),
        Visit("calendar-month", reverse("committee:calendar") + "?month=2018-06"),
        Visit("calendar-list", reverse("committee:calendar") + "?month=2018-06&view=list"),
        Visit("meeting-seed", seed.get_absolute_url()),
        Visit("meeting-minutes", previous.get_absolute_url()),
        Visit("meeting-part-ii", part_ii_demo.get_absolute_url()),
        Visit("meeting-upcoming-packs", reverse("committee:meeting-detail", args=[upcoming.meeting_id])),
        Visit("report-kpi-tables", kpi.get_absolute_url()),
        Visit("report-risk-register", risk.get_absolute_url()),
        Visit("report-pdf-appendix", reverse("committee:report-detail", args=[upcoming.public_report_id])),
        Visit(
            "report-part-ii-councillor",
            reverse("committee:report-detail", args=[upcoming.part_ii_report_id]),
            who="cllr.driver",
        ),
        Visit("meeting-councillor", reverse("committee:meeting-detail", args=[upcoming.meeting_id]), who="cllr.driver"),
        # Where signing in lands a councillor: their meetings ahead with the packs (the upcoming
        # meeting's confidential one too), new papers, recent minutes; and with nothing in it.
        Visit("your-meetings", reverse("committee:your-meetings"), who="cllr.driver"),
        Visit("your-meetings-no-committee", reverse("committee:your-meetings"), who="cllr.other"),
        Visit("search", reverse("committee:search")),
        Visit("search-results", reverse("committee:search") + "?q=performance"),
        Visit("search-nothing", reverse("committee:search") + "?q=xylophone"),
        Visit("accessibility", reverse("committee:accessibility")),
        Visit("sign-in", reverse("login")),
        Visit("password-reset", reverse("password_reset")),
        Visit("two-factor-settings", reverse("two_factor_settings"), who="cllr.other"),
        Visit("two-factor-set-up", reverse("two_factor_enrol"), who="cllr.other"),
        Visit("not-found", "/no-such-page/", status=404),
        *decisions_visits(),
    ]


def decisions_visits() -> list[Visit]:
    """The newer public pages of executive decisions, with something on them to read
    (data.urgent_and_private: a special urgency decision ten days old, a private meeting's
    notice): the special urgency decisions, their quarter, the notices of private meetings."""
    quarter = FinancialQuarter.of(timezone.localdate() - timedelta(days=10))
    return [
        Visit("special-urgency", reverse("decisions:special-urgency")),
        Visit("special-urgency-quarter", reverse("decisions:special-urgency-quarter", args=[quarter.slug])),
        Visit("private-meetings", reverse("decisions:private-notices")),
    ]


def document_visits(already: list[Visit]) -> list[Visit]:
    """Every report and reported document of the demo, not one of each kind: each committee
    report the public may read, each Part II report as its committee's chair reads it, and
    each reported performance report, risk register and SEND plan snapshot the public may
    read (asked of the gate, as the pages do); then the Open data API's documentation.
    Papers differ in what their authors wrote (tables, lists, headings), so each is checked."""
    seen = {(v.path, v.who) for v in already}
    public = gate.Reader.public()
    chair = gate.reader_for(Member.objects.get(user__username="cllr.driver").user)
    visits = []
    for report in Report.objects.filter(gate.report_q(chair)).order_by("pk"):
        who = None if Report.objects.filter(gate.report_q(public), pk=report.pk).exists() else "cllr.driver"
        visits.append(Visit(f"document-report-{report.pk}", report.get_absolute_url(), who=who))
    for model in (PerformanceReportSnapshot, RegisterSnapshot, PlanSnapshot):
        for row in gate.structured_readable(public, model).order_by("pk"):
            visits.append(Visit(f"document-{model._meta.model_name}-{row.pk}", row.get_absolute_url()))
    visits.append(Visit("api-docs", reverse("api-docs"), ready="#redoc-container h1"))
    return [v for v in visits if (v.path, v.who) not in seen]


def admin_visits(upcoming) -> list[Visit]:
    draft = Meeting.objects.filter(status=Meeting.Status.DRAFT).order_by("starts_at").first()
    meeting = upcoming.meeting_id
    visits = [
        Visit("admin-index", reverse("admin:index")),
        Visit("admin-meetings", reverse("admin:committee_meeting_changelist")),
        Visit("admin-next-quarter", reverse("admin:performance_reportingperiod_next_quarter")),
        Visit("admin-meeting-add", reverse("admin:committee_meeting_add")),
        Visit("admin-meeting", reverse("admin:committee_meeting_change", args=[meeting])),
        Visit("admin-meeting-reorder", reverse("admin:committee_meeting_reorder", args=[meeting])),
        Visit("admin-standing-items", reverse("admin:committee_standingitem_changelist")),
        Visit("admin-reports", reverse("admin:committee_report_changelist")),
        Visit("admin-report", reverse("admin:committee_report_change", args=[upcoming.public_report_id])),
        # The appendix form, its fields shown for the chosen kind only (appendix-kind.js).
        Visit("admin-appendix-add", reverse("admin:committee_appendix_add")),
    ]
    if draft is not None:
        visits.append(Visit("admin-publish", reverse("admin:committee_meeting_publish", args=[draft.pk])))
    return [Visit(v.key, v.path, who="officer", admin=True) for v in visits]


def app_links(page, app: str) -> list[str]:
    """Links on the page that lead into `app`, one per kind of page (URL name)."""
    hrefs = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.getAttribute('href'))")
    chosen: dict[str, str] = {}
    for href in hrefs:
        if not href.startswith("/"):
            continue
        path = href.split("#")[0]
        try:
            name = resolve(path.split("?")[0]).view_name
        except Resolver404:
            continue
        if name.startswith(f"{app}:") and name not in chosen:
            chosen[name] = path
    return list(chosen.values())


def key_for(path: str) -> str:
    """A file name for a discovered page: /risks/snapshots/1/ is "app-risks-snapshots-1"."""
    return "-".join(["app", *(part for part in Path(path.split("?")[0]).parts if part != "/")])

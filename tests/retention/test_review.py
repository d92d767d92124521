"""Retention (domain rules 10): papers past their period are listed for officers; nothing
within it can be removed; a removal needs the officer's reason; beat's daily review removes
nothing."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from committee.models import BackgroundPaper, Report
from retention import selectors, services
from retention.models import RetentionRemoval
from retention.tasks import review_retention
from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory

pytestmark = pytest.mark.django_db


def meeting_years_ago(committee, years: float, title="Highways Maintenance Update"):
    meeting = MeetingFactory(committee=committee)
    type(meeting).objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(days=round(365.25 * years)))
    meeting.refresh_from_db()
    report = ReportFactory(
        agenda_item=AgendaItemFactory(meeting=meeting, order=1, number="1", title=title), title=title
    )
    BackgroundPaper.objects.create(
        report=report, paper="Highways Asset Plan", date="2019", contact="J Smith, 01772 000000"
    )
    return meeting


def test_the_periods_run_from_the_meeting_day(committee):
    recent = meeting_years_ago(committee, 3)
    middle = meeting_years_ago(committee, 5, title="Five years on")
    old = meeting_years_ago(committee, 7, title="Seven years on")
    due = {(d.meeting.pk, d.kind) for d in selectors.due_for_review()}
    assert due == {
        (middle.pk, RetentionRemoval.Kind.BACKGROUND_PAPERS),
        (old.pk, RetentionRemoval.Kind.BACKGROUND_PAPERS),
        (old.pk, RetentionRemoval.Kind.REPORTS),
    }
    assert recent.pk not in {d.meeting.pk for d in selectors.due_for_review()}
    assert selectors.years_after(timezone.datetime(2020, 2, 29).date(), 6) == timezone.datetime(2026, 2, 28).date()


def test_nothing_within_its_period_can_be_removed(committee, officer):
    meeting = meeting_years_ago(committee, 5)
    with pytest.raises(ValidationError, match="not past their retention period"):
        services.papers_remove(meeting=meeting, kind="reports", by=officer, reason="Tidying up")
    assert Report.objects.filter(agenda_item__meeting=meeting).exists()
    assert not RetentionRemoval.objects.exists()


def test_the_officer_reviews_and_a_removal_needs_a_reason(
    committee, officer, client, django_capture_on_commit_callbacks
):
    meeting = meeting_years_ago(committee, 7)
    client.force_login(officer)
    review = client.get(reverse("admin:retention_review"))
    assert review.status_code == 200
    assert "Highways Maintenance Update" in review.content.decode()
    url = reverse("admin:retention_remove", args=[meeting.pk, "reports"])
    page = client.get(url)
    assert page.status_code == 200 and "Highways Maintenance Update" in page.content.decode()
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 200
    assert "Say why the papers are removed" in refused.content.decode()
    assert Report.objects.filter(agenda_item__meeting=meeting).exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"reason": "Past the six years; the committee's papers schedule says destroy."})
    assert done.status_code == 302
    assert not Report.objects.filter(agenda_item__meeting=meeting).exists()
    assert not Report.history.model.objects.filter(title="Highways Maintenance Update").exists()
    assert not BackgroundPaper.history.model.objects.filter(paper="Highways Asset Plan").exists()
    record = RetentionRemoval.objects.get()
    assert record.removed_by == officer and record.meeting == meeting
    assert "Highways Maintenance Update" in record.removed and "six years" in record.reason
    listing = client.get(reverse("admin:retention_retentionremoval_changelist"))
    assert str(meeting) in listing.content.decode()
    # The meeting page stays, with its agenda.
    assert type(meeting).objects.filter(pk=meeting.pk).exists()


def test_someone_who_cannot_publish_cannot_remove(committee, author, client):
    meeting = meeting_years_ago(committee, 7)
    client.force_login(author)
    assert client.get(reverse("admin:retention_review")).status_code == 403
    assert (
        client.post(reverse("admin:retention_remove", args=[meeting.pk, "reports"]), {"reason": "x"}).status_code == 403
    )
    assert Report.objects.filter(agenda_item__meeting=meeting).exists()


def test_beat_reviews_daily_and_removes_nothing(committee, caplog):
    meeting_years_ago(committee, 7)
    assert settings.CELERY_BEAT_SCHEDULE["review-retention"]["task"] == "retention.tasks.review_retention"
    assert review_retention() == 2
    assert "wait for an officer's review" in caplog.text
    assert Report.objects.exists() and BackgroundPaper.objects.exists()


def test_a_removal_takes_the_history_of_papers_deleted_before_it_too(committee, officer):
    """A paper an officer deleted years ago lives on in its history rows, every word of it
    (a background paper's contact's name and telephone number): a removal at the end of
    retention takes those too, not only the history of the papers still there."""
    meeting = meeting_years_ago(committee, 7)
    report = Report.objects.get(agenda_item__meeting=meeting)
    BackgroundPaper.objects.create(
        report=report, paper="Old survey", date="2018", contact="A Person, 01772 111111"
    ).delete()
    withdrawn = ReportFactory(
        agenda_item=AgendaItemFactory(meeting=meeting, order=2, number="2", title="Withdrawn"), title="Withdrawn paper"
    )
    withdrawn.delete()
    assert BackgroundPaper.history.filter(contact__contains="01772 111111").exists()

    services.papers_remove(meeting=meeting, kind="background_papers", by=officer, reason="End of retention")
    assert not BackgroundPaper.history.filter(report_id=report.pk).exists()

    services.papers_remove(meeting=meeting, kind="reports", by=officer, reason="End of retention")
    assert not Report.history.filter(title="Withdrawn paper").exists()
    assert not Report.history.filter(agenda_item__meeting=meeting).exists()

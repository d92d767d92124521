"""Snapshots for reports: frozen, and readable only through the papers' gate."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse

from committee import services as committee_services
from committee.models import Appendix
from send_actions import selectors, services
from send_actions.models import PlanSnapshot
from tests.factories import MeetingFactory, ReportFactory, exempt

from .plans import task

pytestmark = pytest.mark.django_db


def _attach(snapshot, committee, *, letter="B"):
    meeting = MeetingFactory(committee=committee)
    report = ReportFactory(agenda_item__meeting=meeting)
    appendix = Appendix.objects.create(
        report=report,
        letter=letter,
        title="Written Statement of Action",
        kind=Appendix.Kind.STRUCTURED,
        content_type=ContentType.objects.get_for_model(PlanSnapshot),
        object_id=snapshot.pk,
    )
    return appendix


def _appendix_html(snapshot, medium="web"):
    return render_to_string(
        "send_actions/appendix_action_plan.html",
        {"appendix": None, "medium": medium, **selectors.snapshot_appendix_context(snapshot)},
    )


def test_a_snapshot_is_unchanged_after_an_update(small_plan, officer):
    a1 = task(small_plan, "A1")
    services.progress_update_add(task=a1, as_of=date(2018, 5, 1), status="underway", made_by="Board")
    snapshot = services.plan_snapshot_take(plan=small_plan, label="As reported in June", as_at=date(2018, 6, 27))
    data_before = PlanSnapshot.objects.get(pk=snapshot.pk).data
    html_before = _appendix_html(snapshot)
    assert "Action Underway" in html_before

    # The plan moves on: A1 is complete, its wording and date change, a task is added.
    services.progress_update_add(
        task=a1, as_of=date(2018, 7, 1), status="complete", completed_on=date(2018, 7, 1), made_by="Board"
    )
    a1.description = "Reworded task"
    a1.save()
    services.key_task_change_due_date(task=a1, due_date=date(2019, 1, 1), due_precision="month", reason="Later")

    reloaded = PlanSnapshot.objects.get(pk=snapshot.pk)
    assert reloaded.data == data_before
    assert _appendix_html(reloaded) == html_before
    assert "Reworded task" not in html_before
    # The live plan has moved on.
    live = {t.code: t for t in selectors.plan_tables(small_plan, date(2018, 7, 2)).tasks()}
    assert live["A1"].status_label == "Action Complete"


def test_a_snapshot_reports_progress_as_at_its_date(small_plan):
    a1 = task(small_plan, "A1")
    services.progress_update_add(task=a1, as_of=date(2018, 5, 1), status="underway", made_by="Board")
    services.progress_update_add(
        task=a1, as_of=date(2018, 7, 1), status="complete", completed_on=date(2018, 7, 1), made_by="Board"
    )
    snapshot = services.plan_snapshot_take(plan=small_plan, label="June", as_at=date(2018, 6, 27))
    rows = {t.code: t for t in selectors.snapshot_tables(snapshot).tasks()}
    assert rows["A1"].status_label == "Action Underway"
    assert rows["A1"].url == ""  # a snapshot does not point into the live plan


def test_the_snapshot_page_follows_the_report_gate(
    client, small_plan, committee, officer, councillor, other_councillor
):
    snapshot = services.plan_snapshot_take(plan=small_plan, label="As reported", as_at=date(2018, 6, 27))
    url = reverse("send_actions:snapshot-detail", args=[snapshot.pk])

    # Not attached to any report: officers only.
    assert client.get(url).status_code == 404
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    client.logout()

    appendix = _attach(snapshot, committee)
    # Attached, but the agenda is not published yet: still hidden from the public.
    assert client.get(url).status_code == 404
    committee_services.meeting_publish_agenda(meeting=appendix.report.agenda_item.meeting, by=officer)
    response = client.get(url)
    assert response.status_code == 200
    assert "As reported" in response.content.decode()
    assert "X-Robots-Tag" not in response

    # A Part II appendix: the committee's councillors, not the public or other councillors.
    appendix.access = "exempt"
    appendix.paragraph_numbers = [2]
    appendix.public_interest_reasons = "Could identify a child."
    appendix.save()
    assert client.get(url).status_code == 404
    client.force_login(other_councillor)
    assert client.get(url).status_code == 404
    client.force_login(councillor)
    assert client.get(url).status_code == 200


def test_an_exempt_item_hides_its_snapshot(client, small_plan, committee, officer):
    snapshot = services.plan_snapshot_take(plan=small_plan, label="As reported", as_at=date(2018, 6, 27))
    appendix = _attach(snapshot, committee)
    exempt(appendix.report.agenda_item, 1)
    committee_services.meeting_publish_agenda(meeting=appendix.report.agenda_item.meeting, by=officer)
    assert client.get(reverse("send_actions:snapshot-detail", args=[snapshot.pk])).status_code == 404


def test_the_plan_page_lists_only_reported_snapshots(client, small_plan, committee, officer):
    hidden = services.plan_snapshot_take(plan=small_plan, label="Draft for officers", as_at=date(2018, 6, 1))
    shown = services.plan_snapshot_take(plan=small_plan, label="As reported in June", as_at=date(2018, 6, 27))
    appendix = _attach(shown, committee)
    committee_services.meeting_publish_agenda(meeting=appendix.report.agenda_item.meeting, by=officer)
    page = client.get(small_plan.get_absolute_url()).content.decode()
    assert "As reported in June" in page
    assert "Draft for officers" not in page
    assert hidden.pk != shown.pk


def test_a_snapshot_cannot_be_as_at_a_future_date(small_plan):
    with pytest.raises(ValidationError) as exc:
        services.plan_snapshot_take(plan=small_plan, as_at=date(2999, 1, 1))
    assert "future" in str(exc.value)
    assert not PlanSnapshot.objects.exists()


def test_the_snapshot_page_has_contents_leading_to_each_working_group(client, small_plan, officer):
    """The reported plan is a long page: its contents lead to every part of it, and each link
    lands on a heading of the page."""
    import re

    snapshot = services.plan_snapshot_take(plan=small_plan, label="As reported", as_at=date(2018, 6, 27))
    client.force_login(officer)
    page = client.get(reverse("send_actions:snapshot-detail", args=[snapshot.pk])).content.decode()
    contents = page.split('<nav class="contents"', 1)[1].split("</nav>", 1)[0]
    targets = re.findall(r'href="#([^"]+)"', contents)
    headings = dict(re.findall(r'<h3 id="([^"]+)">([^<]+)</h3>', page))
    assert targets and all(target in headings for target in targets), (targets, headings)
    groups = [title for title in (headings[t] for t in targets) if re.match(r"Working Group \d", title)]
    assert len(groups) == small_plan.working_groups.count()

"""Report authors (Report.authors): they read the reports they are named on, Part II
included, and no other Part II paper (committee.gate); they edit them in the admin until the
agenda is published, and are told why when they may not. Structured appendices are attached
through one committee service, chosen by name."""

import pytest
from django.urls import reverse

from committee import appendices, services
from committee.models import AgendaPack, Appendix
from risks import services as risk_services
from risks.models import Entry, Kind, RegisterSnapshot
from tests.factories import ReportFactory
from tests.gate_surfaces import check_no_leaks, leaks, plant, published_meeting, surfaces
from tests.performance.factories import MeasureFactory, fy, report_with, value

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_item(committee, officer, author):
    item = plant(published_meeting(committee, officer), officer=officer)
    item.report.authors.add(author)
    return item


def test_an_author_reads_their_own_part_ii_report_on_every_surface(client, own_item, author):
    client.force_login(author)
    for surface in surfaces(own_item):
        if surface.name in ("report page", "uploaded PDF", "register snapshot", "register entry"):
            response = client.get(surface.url)
            assert response.status_code == 200, surface.name
            assert leaks(response, own_item), surface.name


def test_an_author_reads_no_other_part_ii_paper(client, committee, officer, author):
    ReportFactory().authors.add(author)  # named on a report: not on this one
    other = plant(published_meeting(committee, officer), officer=officer, title="Depot sale")
    client.force_login(author)
    check_no_leaks(client, surfaces(other), other)


def test_an_author_opens_the_original_upload_of_their_report_only(client, own_item, committee, officer, author):
    other = plant(published_meeting(committee, officer), officer=officer, title="Depot sale")
    client.force_login(author)
    mine = own_item.report.appendices.get(letter="B")
    theirs = other.report.appendices.get(letter="B")
    assert client.get(reverse("committee:appendix-original", args=[mine.pk])).status_code == 200
    assert client.get(reverse("committee:appendix-original", args=[theirs.pk])).status_code == 404


def test_an_author_edits_their_draft_report(client, author):
    report = ReportFactory()
    report.authors.add(author)
    client.force_login(author)
    page = client.get(reverse("admin:committee_report_change", args=[report.pk]))
    assert page.status_code == 200 and b'name="_save"' in page.content


def test_an_author_cannot_open_a_report_they_are_not_named_on(client, author):
    report = ReportFactory(title="Someone else's report")
    client.force_login(author)
    response = client.get(reverse("admin:committee_report_change", args=[report.pk]), follow=True)
    assert response.status_code == 200
    assert "You are not named as an author of this report" in response.content.decode()
    assert "Someone else" not in client.get(reverse("admin:committee_report_changelist")).content.decode()


def test_an_author_cannot_change_a_published_report_and_is_told_why(client, officer, author):
    report = ReportFactory(executive_summary="<p>As published.</p>")
    report.authors.add(author)
    services.meeting_publish_agenda(
        meeting=report.agenda_item.meeting, by=officer, late_reasons="Urgent: the lease expires."
    )
    client.force_login(author)
    url = reverse("admin:committee_report_change", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert "correction needs a democratic services officer" in page.content.decode()
    response = client.post(url, {"title": "Changed", "executive_summary": "<p>Changed.</p>"}, follow=True)
    assert response.status_code == 200 and "correction needs a democratic services officer" in response.content.decode()
    report.refresh_from_db()
    assert report.executive_summary == "<p>As published.</p>"


def test_an_officer_still_edits_a_published_report(client, officer):
    report = ReportFactory()
    services.meeting_publish_agenda(meeting=report.agenda_item.meeting, by=officer, late_reasons="Urgent.")
    client.force_login(officer)
    page = client.get(reverse("admin:committee_report_change", args=[report.pk]))
    assert page.status_code == 200 and b'name="_save"' in page.content


# Structured appendices: one service, chosen by name ------------------------------------------


def _snapshot(officer) -> RegisterSnapshot:
    register = risk_services.register_create(name="Corporate Risk Register", slug="corporate")
    risk_services.entry_save(
        entry=Entry(
            register=register,
            kind=Kind.RISK,
            reference="CR1",
            title="Loss of the data centre",
            owner="Director of Resources",
            inherent_score=20,
            residual_score=16,
        )  # fmt: skip
    )
    return risk_services.snapshot_take(register=register, period_label="Q1 2018/19", by=officer)


def test_attaching_a_kpi_report_fills_its_search_text(committee, officer):
    from performance import services as performance_services

    measure = MeasureFactory(name="Percentage of contacts that led to a referral during the year")
    value(measure, fy(2016), 32, 1)
    value(measure, fy(2017), "32.2", 1)
    committee_report = ReportFactory()
    _, appendix = performance_services.performance_report_present(
        report=report_with([measure]), committee_report=committee_report, by=officer
    )
    appendix.refresh_from_db()
    assert "contacts that led to a referral" in appendix.document_text


def test_attaching_a_snapshot_to_a_published_report_rebuilds_its_packs(
    committee, officer, django_capture_on_commit_callbacks
):
    meeting = published_meeting(committee, officer)
    report = meeting.items.get().report
    AgendaPack.objects.all().delete()  # forget the builds that publishing asked for
    with django_capture_on_commit_callbacks(execute=True):
        risk_services.snapshot_attach(snapshot=_snapshot(officer), report=report, letter="A", by=officer)
    queued = AgendaPack.objects.filter(meeting=meeting, status="queued")
    # The one pack: the meeting has no Part II papers for a confidential one.
    assert set(queued.values_list("kind", flat=True)) == {"public"}


def test_the_appendix_form_names_snapshots_and_attaches_the_one_chosen(client, officer):
    snapshot = _snapshot(officer)
    report = ReportFactory()
    client.force_login(officer)
    page = client.get(reverse("admin:committee_appendix_add")).content.decode()
    label = "Corporate Risk Register: Q1 2018/19, snapshot taken"
    assert label in page and "object_id" not in page and "committee/appendix-kind.js" in page
    data = {
        "report": report.pk,
        "placement": "appendix",
        "order": 1,
        "letter": "A",
        "title": "Corporate Risk Register",
        "kind": "structured",
        "structured_row": appendices.choice_value(snapshot),
        "access": "public",
    }
    response = client.post(reverse("admin:committee_appendix_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    appendix = Appendix.objects.get()
    assert appendix.structured == snapshot and "Corporate Risk Register" in appendix.document_text


def test_structured_data_not_chosen_is_asked_for_at_its_field(client, officer):
    report = ReportFactory()
    client.force_login(officer)
    data = {"report": report.pk, "placement": "appendix", "order": 1, "letter": "A", "title": "Register",
            "kind": "structured", "structured_row": "", "access": "public"}  # fmt: skip
    response = client.post(reverse("admin:committee_appendix_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["structured_row"]

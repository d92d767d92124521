"""The officers' admin: scoring widgets, taking, wording, locking and attaching snapshots."""

import pytest

from committee.models import Appendix
from risks import services
from risks.models import Entry, RegisterSnapshot, RiskType, SnapshotSummary

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, officer):
    client.force_login(officer)
    return client


def _entry_post(register, **overrides):
    data = {
        "register": register.pk,
        "kind": "risk",
        "reference": "CR7",
        "title": "Delivering major projects/schemes on time and within budget",
        "description": "",
        "owner": "Exec Director Growth, Transport and community services",
        "is_open": "on",
        "consequences": "<p>Pressure on capital programme</p>",
        "controls": "",
        "actions": "",
        "inherent_likelihood": "4",
        "inherent_impact": "4",
        "inherent_score": "",
        "residual_likelihood": "3",
        "residual_impact": "4",
        "residual_score": "",
        "direction_note": "Level",
        "committee_summary": "",
    }
    return data | overrides


def test_new_register_starts_with_the_default_bands(logged_in):
    html = logged_in.get("/admin/risks/register/add/").content.decode()
    assert 'value="Low"' in html and 'value="#b10e1e"' in html


def test_bands_that_leave_a_score_out_are_refused(logged_in, register):
    bands = list(register.bands.order_by("min_score"))
    data = {
        "name": register.name,
        "slug": register.slug,
        "description": "",
        "risk_prefix": "CR",
        "opportunity_prefix": "CO",
        "is_active": "on",
        "bands-TOTAL_FORMS": "3",
        "bands-INITIAL_FORMS": "3",
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "1000",
    }
    for n, band in enumerate(bands):
        data |= {
            f"bands-{n}-id": band.pk,
            f"bands-{n}-register": register.pk,
            f"bands-{n}-name": band.name,
            f"bands-{n}-min_score": band.min_score,
            f"bands-{n}-max_score": band.max_score if band.name != "Medium" else 9,
            f"bands-{n}-colour": band.colour,
            f"bands-{n}-text_colour": band.text_colour,
        }
    response = logged_in.post(f"/admin/risks/register/{register.pk}/change/", data)
    assert response.status_code == 200
    assert "A score of 10 falls in no band." in response.content.decode()


def test_entry_form_has_scoring_widgets_and_works_out_the_score(logged_in, register):
    RiskType.objects.create(name="Economic")
    html = logged_in.get("/admin/risks/entry/add/").content.decode()
    assert "risks/scoring.js" in html
    assert 'id="score-result-inherent"' in html and 'id="residual-bands"' in html
    assert "#b10e1e" in html  # the register's bands travel with the widget
    response = logged_in.post("/admin/risks/entry/add/", _entry_post(register))
    assert response.status_code == 302
    entry = Entry.objects.get(reference="CR7")
    assert (entry.inherent_score, entry.residual_score) == (16, 12)
    assert entry.history.first().history_user.username == "officer"
    html = logged_in.get(f"/admin/risks/entry/{entry.pk}/change/").content.decode()
    assert "16 High" in html and "likelihood 3 (Possible) × impact 4 (Major)" in html


def test_entry_form_refuses_a_score_that_is_not_the_product(logged_in, register):
    response = logged_in.post("/admin/risks/entry/add/", _entry_post(register, inherent_score="20"))
    assert response.status_code == 200
    assert "Likelihood 4 x impact 4 is 16, not 20." in response.content.decode()
    assert not Entry.objects.exists()


def test_taking_a_quarterly_snapshot_from_the_register(logged_in, register, entries):
    response = logged_in.post(
        "/admin/risks/register/",
        {"action": "take_snapshot", "_selected_action": [register.pk]},
    )
    take_url = f"/admin/risks/register/{register.pk}/take-snapshot/"
    assert response.status_code == 302 and response["Location"] == take_url
    assert "5 open entries" in logged_in.get(take_url).content.decode()
    response = logged_in.post(take_url, {"period_label": "Q1 2018/19"})
    snapshot = RegisterSnapshot.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/registersnapshot/{snapshot.pk}/change/")
    assert snapshot.entries.count() == 5 and not snapshot.is_locked
    response = logged_in.post(take_url, {"period_label": "Q1 2018/19"})
    assert "already has a Q1 2018/19 snapshot" in response.content.decode()


def _snapshot_post(snapshot, **words):
    entries = list(snapshot.entries.order_by("position"))
    data = {
        "entries-TOTAL_FORMS": str(len(entries)),
        "entries-INITIAL_FORMS": str(len(entries)),
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
    }
    for n, entry in enumerate(entries):
        data |= {
            f"entries-{n}-id": entry.pk,
            f"entries-{n}-snapshot": snapshot.pk,
            f"entries-{n}-direction_note": words.get(entry.reference, entry.direction_note),
            f"entries-{n}-committee_summary": entry.committee_summary,
        }
    return data


def test_officers_word_an_unlocked_snapshot_in_the_admin_then_lock_it(logged_in, register, entries, officer):
    snapshot = services.snapshot_take(register=register, period_label="Q1 2018/19", by=officer)
    url = f"/admin/risks/registersnapshot/{snapshot.pk}/change/"
    html = logged_in.get(url).content.decode()
    assert "Not yet locked" in html and 'name="entries-0-direction_note"' in html
    assert 'name="entries-0-title"' not in html  # texts are as taken
    response = logged_in.post(url, _snapshot_post(snapshot, CR1="This is a new risk"))
    assert response.status_code == 302
    assert snapshot.entries.get(reference="CR1").direction_note == "This is a new risk"

    response = logged_in.post(f"/admin/risks/registersnapshot/{snapshot.pk}/lock/")
    assert response.status_code == 302
    snapshot.refresh_from_db()
    assert snapshot.is_locked

    html = logged_in.get(url).content.decode()
    assert "Locked as reported" in html and 'name="entries-0-direction_note"' not in html
    # A form opened before the lock and saved after it: not applied, and not a bare 403 but
    # the snapshot's page again saying why (core.forms.CarefulAdminMixin).
    response = logged_in.post(url, _snapshot_post(snapshot, CR1="Changed after reporting"), follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "can no longer be changed" in page
    assert "Changed after reporting" in page  # what was typed in its entries, to copy
    assert snapshot.entries.get(reference="CR1").direction_note == "This is a new risk"


def test_snapshots_are_not_added_by_hand_and_locked_ones_not_deleted(logged_in, reported):
    assert logged_in.get("/admin/risks/registersnapshot/add/").status_code == 403
    assert logged_in.get(f"/admin/risks/registersnapshot/{reported.pk}/delete/").status_code == 403
    assert RegisterSnapshot.objects.filter(pk=reported.pk).exists()


def test_attaching_a_snapshot_to_a_report_with_its_summary_table(
    logged_in, register, entries, officer, published_report
):
    snapshot = services.snapshot_take(register=register, period_label="Q1 2018/19", by=officer, lock=True)
    response = logged_in.post(
        f"/admin/risks/registersnapshot/{snapshot.pk}/attach/",
        {"report": published_report.pk, "letter": "A", "title": "", "summary_threshold": "12"},
    )
    assert response.status_code == 302
    lettered = Appendix.objects.get(report=published_report, letter="A")
    assert lettered.structured == snapshot and lettered.title == snapshot.title
    within = Appendix.objects.get(report=published_report, placement="within_report")
    assert within.structured == SnapshotSummary.objects.get(snapshot=snapshot, threshold=12)
    assert "CR10" in lettered.document_text  # indexed for search as the reader sees it


def test_changes_are_kept_in_history_with_who_made_them(logged_in, register, officer):
    from .conftest import make_entry

    entry = make_entry(register, "CR1", score=(20, 16))
    entry.owner = "CMT"
    services.entry_save(entry=entry, by=officer)
    html = logged_in.get(f"/admin/risks/entry/{entry.pk}/history/").content.decode()
    assert "officer" in html and "Owner" in html


def test_every_risks_admin_page_opens(logged_in, reported):
    entry = Entry.objects.get(reference="CR1")
    summary = SnapshotSummary.objects.get()
    urls = [
        "/admin/risks/register/",
        f"/admin/risks/register/{reported.register_id}/change/",
        "/admin/risks/entry/",
        "/admin/risks/entry/?kind__exact=risk",
        f"/admin/risks/entry/{entry.pk}/change/",
        "/admin/risks/entry/import/",
        "/admin/risks/risktype/",
        "/admin/risks/registersnapshot/",
        "/admin/risks/registersnapshot/?locked=yes",
        f"/admin/risks/registersnapshot/{reported.pk}/change/",
        f"/admin/risks/registersnapshot/{reported.pk}/history/",
        f"/admin/risks/registersnapshot/{reported.pk}/attach/",
        "/admin/risks/snapshotsummary/",
        f"/admin/risks/snapshotsummary/{summary.pk}/change/",
    ]
    for url in urls:
        assert logged_in.get(url).status_code == 200, url
    html = logged_in.get(f"/admin/risks/registersnapshot/{reported.pk}/change/").content.decode()
    assert "Appendix &#x27;A&#x27;" in html or "Appendix 'A'" in html  # where it was reported

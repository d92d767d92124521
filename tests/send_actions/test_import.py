"""Bulk status updates from CSV/XLSX: previewed, and all or nothing."""

import io
from datetime import date

import openpyxl
import pytest
import tablib
from django.urls import reverse
from django.utils import timezone

from send_actions.models import KeyTask, ProgressUpdate
from send_actions.resources import ProgressUpdateResource

from .plans import make_plan

pytestmark = pytest.mark.django_db

HEADERS = ["Key task", "Date", "Progress", "Completed on", "Update", "Made by"]


def _dataset(*rows):
    return tablib.Dataset(*rows, headers=HEADERS)


def _statuses(plan):
    return dict(KeyTask.objects.with_status(timezone.localdate()).filter(plan=plan).values_list("code", "status"))


def test_an_import_adds_updates_that_become_the_status(small_plan, officer):
    dataset = _dataset(
        ["A1", "01/06/2018", "Action Underway", "", "Started", "Working Group 1"],
        ["a2", "2018-06-01", "complete", "28/05/2018", "Done", "Working Group 1"],
    )
    result = ProgressUpdateResource(plan=small_plan).import_data(dataset, dry_run=False, user=officer)
    assert not result.has_errors() and not result.has_validation_errors()
    assert _statuses(small_plan) == {"A1": "underway", "A2": "complete"}
    a2 = ProgressUpdate.objects.get(task__code="A2")
    assert (a2.as_of, a2.completed_on, a2.recorded_by) == (date(2018, 6, 1), date(2018, 5, 28), officer)


@pytest.mark.parametrize(
    "bad_row",
    [
        ["Z9", "01/06/2018", "Action Underway", "", "", "Board"],  # no such task
        ["A2", "01/06/2018", "Nearly there", "", "", "Board"],  # not a status
        ["A2", "01/06/2018", "Action Complete", "", "", "Board"],  # complete without its date
        ["A2", "31/02/2018", "Action Underway", "", "", "Board"],  # not a date
        ["A2", "01/06/2018", "Action Underway", "", "", ""],  # who made it
    ],
)
def test_one_bad_row_and_nothing_changes(small_plan, officer, bad_row):
    before = list(ProgressUpdate.objects.values_list("pk", flat=True))
    dataset = _dataset(["A1", "01/06/2018", "Action Underway", "", "Started", "Board"], bad_row)
    result = ProgressUpdateResource(plan=small_plan).import_data(
        dataset, dry_run=False, raise_errors=False, user=officer
    )
    assert result.has_errors() or result.has_validation_errors()
    assert list(ProgressUpdate.objects.values_list("pk", flat=True)) == before
    assert _statuses(small_plan) == {"A1": "planned", "A2": "planned"}


def test_an_update_dated_before_one_earlier_in_the_file_is_refused(small_plan, officer):
    dataset = _dataset(
        ["A1", "01/07/2018", "Action Underway", "", "", "Board"],
        ["A1", "01/06/2018", "Action Planned", "", "", "Board"],
    )
    result = ProgressUpdateResource(plan=small_plan).import_data(dataset, dry_run=False, user=officer)
    assert result.has_validation_errors()
    assert not ProgressUpdate.objects.exists()


def test_codes_are_looked_up_in_the_chosen_plan_only(small_plan, officer):
    make_plan("other-plan", letters="B")
    dataset = _dataset(["B1", "01/06/2018", "Action Underway", "", "", "Board"])
    result = ProgressUpdateResource(plan=small_plan).import_data(dataset, dry_run=False, user=officer)
    assert result.has_validation_errors()
    assert not ProgressUpdate.objects.exists()


def _xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def _format_index(client, fmt_title):
    response = client.get(reverse("admin:send_actions_progressupdate_import"))
    form = response.context["form"]
    return next(value for value, label in form.fields["format"].choices if label == fmt_title)


def test_the_admin_previews_then_imports_an_xlsx_file(client, officer, small_plan):
    client.force_login(officer)
    content = _xlsx(
        [["A1", date(2018, 6, 1), "Action Underway", None, "Started", "Board"],
         ["A2", "01/06/2018", "Action Complete", date(2018, 5, 30), "Done", "Board"]]
    )  # fmt: skip
    fmt = _format_index(client, "xlsx")
    preview = client.post(
        reverse("admin:send_actions_progressupdate_import"),
        {"plan": small_plan.pk, "format": fmt, "import_file": _upload("updates.xlsx", content), "resource": "0"},
    )
    assert preview.status_code == 200
    confirm = preview.context["confirm_form"]
    assert confirm is not None
    assert not ProgressUpdate.objects.exists()  # the preview changes nothing
    done = client.post(reverse("admin:send_actions_progressupdate_process_import"), confirm.initial)
    assert done.status_code == 302
    assert _statuses(small_plan) == {"A1": "underway", "A2": "complete"}


def test_the_admin_preview_shows_a_bad_row_and_offers_no_import(client, officer, small_plan):
    client.force_login(officer)
    csv = (
        "Key task,Date,Progress,Completed on,Update,Made by\n"
        "A1,01/06/2018,Action Underway,,,Board\n"
        "Q7,01/06/2018,Action Underway,,,Board\n"
    )
    fmt = _format_index(client, "csv")
    preview = client.post(
        reverse("admin:send_actions_progressupdate_import"),
        {"plan": small_plan.pk, "format": fmt, "import_file": _upload("updates.csv", csv.encode()), "resource": "0"},
    )
    assert preview.status_code == 200
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
    assert preview.context["result"].has_validation_errors()
    assert "There is no key task &quot;Q7&quot;" in preview.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_only_officers_who_may_add_updates_can_import(client, author, small_plan):
    client.force_login(author)  # a report author: staff, but no rights over the plan
    assert client.get(reverse("admin:send_actions_progressupdate_import")).status_code == 403


def test_the_same_file_imported_again_records_nothing_more(small_plan, officer):
    dataset = _dataset(
        ["A1", "01/06/2018", "Action Underway", "", "Started", "Working Group 1"],
        ["A1", "01/06/2018", "Action Underway", "", "Started", "Working Group 1"],  # given twice
        ["A2", "01/06/2018", "Action Underway", "", "Started", "Working Group 1"],
    )
    first = ProgressUpdateResource(plan=small_plan).import_data(dataset, dry_run=False, user=officer)
    assert (first.totals["new"], first.totals["skip"]) == (2, 1)
    updates = list(ProgressUpdate.objects.values_list("pk", flat=True))
    again = ProgressUpdateResource(plan=small_plan).import_data(dataset, dry_run=False, user=officer)
    assert not again.has_errors() and (again.totals["new"], again.totals["skip"]) == (0, 3)
    assert list(ProgressUpdate.objects.values_list("pk", flat=True)) == updates

    # A later report of the same progress is a new update.
    dataset.append(["A2", "01/07/2018", "Action Underway", "", "Started", "Working Group 1"])
    ProgressUpdateResource(plan=small_plan).import_data(dataset, dry_run=False, user=officer)
    assert ProgressUpdate.objects.count() == len(updates) + 1


def test_the_admin_preview_refuses_a_row_with_a_slip_in_its_year(client, officer, small_plan):
    # 01/06/0018 for 01/06/2018: the forms refuse such a year at the field, and so does the import.
    client.force_login(officer)
    csv = "Key task,Date,Progress,Completed on,Update,Made by\nA1,01/06/2018,Action Complete,01/06/0018,,Board\n"
    fmt = _format_index(client, "csv")
    preview = client.post(
        reverse("admin:send_actions_progressupdate_import"),
        {"plan": small_plan.pk, "format": fmt, "import_file": _upload("updates.csv", csv.encode()), "resource": "0"},
    )
    assert preview.status_code == 200
    assert preview.context["result"].has_validation_errors()
    assert "Check the year: 0018 cannot be right. Type a date from 1800 to 2999." in preview.content.decode()
    assert preview.context.get("confirm_form") is None
    assert not ProgressUpdate.objects.exists()


def test_an_update_recorded_with_a_slip_in_its_year_is_exported_as_it_reads(small_plan, officer):
    # Recorded before the forms refused such a year: the export wrote 01/01/0001 as "01/01/1",
    # which the import then read as no date at all rather than saying what is wrong with it.
    dataset = _dataset(["A1", "01/06/2018", "Action Complete", "28/05/2018", "Done", "Board"])
    ProgressUpdateResource(plan=small_plan).import_data(dataset, dry_run=False, user=officer)
    ProgressUpdate.objects.update(completed_on=date(1, 1, 1))
    exported = ProgressUpdateResource(plan=small_plan).export()
    assert exported.dict[0]["Completed on"] == "01/01/0001"
    again = ProgressUpdateResource(plan=small_plan).import_data(
        exported, dry_run=True, raise_errors=False, user=officer
    )
    assert "Check the year: 0001 cannot be right" in str(again.invalid_rows[0].error_dict)

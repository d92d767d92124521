"""Importing a register from CSV or XLSX: a preview with row-level errors, and a file with
any bad row changes nothing."""

import io

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from risks import services
from risks.models import Entry, RiskType
from risks.resources import EntryResource

from .conftest import make_entry

pytestmark = pytest.mark.django_db

HEADERS = [
    "register",
    "reference",
    "kind",
    "title",
    "types",
    "consequences",
    "controls",
    "actions",
    "owner",
    "inherent_likelihood",
    "inherent_impact",
    "inherent_score",
    "residual_likelihood",
    "residual_impact",
    "residual_score",
    "direction_note",
]

GOOD_ROWS = [
    ["corporate", "CR2", "", "Protect and safeguard children", "Social", "Children are put at risk of harm.",
     "• MASH arrangements strengthened.\n• Serious incident reporting in place.", "• Caseloads mostly in line.",
     "Director of Children's Services", "", "", "25", "", "", "16", "The risk is being managed"],
    ["corporate", "cr12", "Risk", "A rated risk", "Legal/Political", "", "", "", "CMT", "4", "5", "", "3", "4", "",
     ""],
    ["corporate", "CO4", "", "An opportunity", "Economic; Organisational", "", "", "", "CMT", "", "", "12", "", "",
     "16", "Upwards"],
]  # fmt: skip


@pytest.fixture
def known_types(db):
    for name in ("Economic", "Legal", "Organisational", "Political", "Social"):
        RiskType.objects.get_or_create(name=name)


def _dataset(rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=HEADERS)


def _state():
    return sorted(
        Entry.objects.values_list("reference", "title", "inherent_score", "residual_score", "owner", "direction_note")
    )


def test_a_good_file_imports_every_row(register, known_types):
    result = EntryResource().import_data(_dataset(GOOD_ROWS), dry_run=False, raise_errors=False)
    assert not result.has_errors() and not result.has_validation_errors()
    cr2 = Entry.objects.get(reference="CR2")
    assert (cr2.kind, cr2.inherent_score, cr2.residual_score, cr2.residual_likelihood) == ("risk", 25, 16, None)
    assert (
        cr2.controls == "<ul><li>MASH arrangements strengthened.</li><li>Serious incident reporting in place.</li></ul>"
    )
    assert [t.name for t in cr2.risk_types.all()] == ["Social"]
    cr12 = Entry.objects.get(reference="CR12")  # typed "cr12"
    assert (cr12.inherent_score, cr12.residual_score) == (20, 12)  # worked out from likelihood x impact
    assert sorted(t.name for t in cr12.risk_types.all()) == ["Legal", "Political"]
    co4 = Entry.objects.get(reference="CO4")
    assert co4.kind == "opportunity"  # followed its prefix
    assert sorted(t.name for t in co4.risk_types.all()) == ["Economic", "Organisational"]


def test_a_row_for_an_existing_reference_updates_that_entry(register, known_types):
    make_entry(register, "CR2", score=(25, 20), owner="Someone")
    EntryResource().import_data(_dataset(GOOD_ROWS[:1]), dry_run=False, raise_errors=False)
    cr2 = Entry.objects.get(reference="CR2")
    assert (cr2.residual_score, cr2.owner) == (16, "Director of Children's Services")
    assert Entry.objects.count() == 1


@pytest.mark.parametrize(
    "bad, error",
    [
        ({"residual_likelihood": "6", "residual_impact": "2", "residual_score": ""}, "residual_likelihood"),
        ({"inherent_likelihood": "4", "inherent_impact": "", "inherent_score": ""}, "inherent_impact"),
        ({"inherent_score": "7"}, "inherent_score"),
        ({"reference": "CX3"}, "reference"),
        ({"types": "Economic/Astrological"}, "risk_types"),
        ({"kind": "Threat"}, "kind"),
        ({"title": ""}, "title"),
    ],
)
def test_a_file_with_one_bad_row_changes_nothing(register, known_types, bad, error):
    make_entry(register, "CR2", score=(25, 20), owner="Someone")
    before = _state()
    bad_row = dict(zip(HEADERS, GOOD_ROWS[2], strict=True)) | bad
    rows = [*GOOD_ROWS[:2], [bad_row[h] for h in HEADERS]]  # the bad row is the last
    result = EntryResource().import_data(_dataset(rows), dry_run=False, raise_errors=False)
    assert result.has_validation_errors()
    invalid = result.invalid_rows[0]
    assert invalid.number == 3 and error in invalid.error_dict
    assert _state() == before  # CR2 not updated, CR12 not created


def test_an_unknown_register_is_a_row_error_and_changes_nothing(register, known_types):
    rows = [GOOD_ROWS[0], ["nowhere", *GOOD_ROWS[1][1:]]]
    result = EntryResource().import_data(_dataset(rows), dry_run=False, raise_errors=False)
    assert result.has_errors()
    assert "no register with the short name 'nowhere'" in str(result.row_errors()[0][1][0].error)
    assert not Entry.objects.exists()


def test_an_xlsx_file_imports(register, known_types):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in GOOD_ROWS:
        sheet.append([int(v) if v.isdigit() else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    dataset = tablib.Dataset().load(buffer.getvalue(), format="xlsx")
    result = EntryResource().import_data(dataset, dry_run=False, raise_errors=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert sorted(Entry.objects.values_list("reference", flat=True)) == ["CO4", "CR12", "CR2"]


def _csv(rows) -> bytes:
    return _dataset(rows).export("csv").encode()


def test_the_admin_import_previews_row_errors_and_changes_nothing(client, officer, register, known_types):
    client.force_login(officer)
    bad = [*GOOD_ROWS[:2], [*GOOD_ROWS[2][:9], "9", "9", "", "", "", "16", ""]]
    response = client.post(
        "/admin/risks/entry/import/",
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("register.csv", _csv(bad), "text/csv")},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Some rows failed to validate" in html
    assert "Value 9 is not a valid choice." in html  # the row and its field
    assert 'name="import_file_name"' not in html  # no confirm button while a row is bad
    assert not Entry.objects.exists()


def test_the_admin_import_previews_then_imports_a_good_file(client, officer, register, known_types):
    client.force_login(officer)
    response = client.post(
        "/admin/risks/entry/import/",
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("register.csv", _csv(GOOD_ROWS), "text/csv"),
        },
    )
    html = response.content.decode()
    assert 'name="import_file_name"' in html and "Protect and safeguard children" in html
    assert not Entry.objects.exists()  # the preview is a dry run
    form = response.context["confirm_form"]
    response = client.post("/admin/risks/entry/process_import/", {**form.initial, "resource": "0"})
    assert response.status_code == 302
    assert Entry.objects.count() == 3
    assert Entry.objects.get(reference="CR2").history.first().history_user == officer


def test_a_register_exported_and_imported_again_changes_nothing(register, known_types):
    # The seed's CR1: a numbered list and bold headings, which a spreadsheet holds as plain text.
    numbered = "<ol><li>Establishing a strong leadership team</li><li>A sustainable financial strategy</li></ol>"
    bold = "<p><strong>1. Leadership</strong></p><ul><li>No balanced budget from 2021/22</li></ul>"
    make_entry(register, "CR1", description=numbered, consequences=bold, rated=((4, 5), (3, 4)))
    make_entry(register, "CO1", types=("Economic", "Social"))
    before = sorted(Entry.objects.values_list())
    history = Entry.history.count()
    exported = EntryResource().export(Entry.objects.all())

    result = EntryResource().import_data(exported, dry_run=False, raise_errors=False)
    assert result.totals["skip"] == 2 and result.totals["update"] == 0
    assert sorted(Entry.objects.values_list()) == before  # the lists and the bold kept, "updated at" too
    assert Entry.history.count() == history  # no history row for a change nobody made

    # One cell changed in the spreadsheet: that cell alone changes.
    exported[0] = tuple("Leadership (revised)" if name == "title" else value
                        for name, value in zip(exported.headers, exported[0], strict=True))  # fmt: skip
    EntryResource().import_data(exported, dry_run=False, raise_errors=False)
    cr1 = Entry.objects.get(reference="CR1")
    assert (cr1.title, cr1.description, cr1.consequences) == ("Leadership (revised)", numbered, bold)
    assert Entry.history.count() == history + 1


def test_a_file_exported_before_someone_changed_an_entry_does_not_undo_their_change(register, known_types):
    make_entry(register, "CR1", owner="Director of Finance")
    make_entry(register, "CR2")
    exported = EntryResource().export(Entry.objects.order_by("reference"))
    cr1 = Entry.objects.get(reference="CR1")
    cr1.owner = "Chief Executive"  # a colleague's edit in the admin, after the export
    cr1.save()
    # The officer changes the title in the old file and imports it.
    exported[0] = tuple("Revised" if name == "title" else value
                        for name, value in zip(exported.headers, exported[0], strict=True))  # fmt: skip

    result = EntryResource().import_data(exported, dry_run=False, raise_errors=False)

    assert result.has_validation_errors()
    [row] = result.invalid_rows
    assert "Changed in Quorum since this file was exported" in " ".join(row.error.messages)
    assert Entry.objects.get(reference="CR1").owner == "Chief Executive"
    assert Entry.objects.get(reference="CR1").title == "Entry CR1"

    # A file without the version column (made by hand) is taken as it is.
    del exported["version"]
    result = EntryResource().import_data(exported, dry_run=False, raise_errors=False)
    assert not result.has_validation_errors()
    assert Entry.objects.get(reference="CR1").owner == "Director of Finance"


def _with(dataset, row: int, **values):
    dataset[row] = tuple(values.get(name, value) for name, value in zip(dataset.headers, dataset[row], strict=True))


def test_the_same_file_imported_twice_is_taken_the_second_time_as_no_change(register, known_types):
    """The second import of a file finds the entries as the first left them: nothing to
    change, so nothing refused, though the file's versions are of the entries before it
    (and a numbered list, which a cell cannot hold, is kept as stored)."""
    numbered = "<ol><li>One</li><li>Two</li></ol>"
    make_entry(register, "CR1", description=numbered)
    exported = EntryResource().export(Entry.objects.order_by("reference"))
    _with(exported, 0, title="Revised")
    assert not EntryResource().import_data(exported, dry_run=False, raise_errors=False).has_validation_errors()
    history = Entry.history.count()

    again = EntryResource().import_data(exported, dry_run=False, raise_errors=False)

    assert not again.has_validation_errors(), [row.error.messages for row in again.invalid_rows]
    cr1 = Entry.objects.get(reference="CR1")
    assert (cr1.title, cr1.description) == ("Revised", numbered)
    assert Entry.history.count() == history


def test_a_file_exported_before_someone_changed_an_entry_s_types_does_not_undo_them(register, known_types):
    make_entry(register, "CR1", types=("Economic",))
    exported = EntryResource().export(Entry.objects.order_by("reference"))
    cr1 = Entry.objects.get(reference="CR1")
    services.entry_save(entry=cr1, risk_types=[RiskType.objects.get_or_create(name="Social")[0]])  # a colleague

    result = EntryResource().import_data(exported, dry_run=False, raise_errors=False)  # the old file, as it was

    assert result.has_validation_errors()
    assert [t.name for t in Entry.objects.get(reference="CR1").risk_types.all()] == ["Social"]

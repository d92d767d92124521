"""manage.py import_moderngov against a ModernGov site on loopback serving saved answers
with ModernGov's quirks: double-encoded entities, missing optional elements, a restricted
item, rescheduled and cancelled meetings, a PDF document, a meeting it cannot answer."""

import io
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from committee.models import Access, AgendaItem, Appendix, Attendance, Committee, ElectoralDivision, Meeting, Member
from moderngov.models import ImportRun, Kind, ModernGovId
from tests.moderngov.server import moderngov_site

pytestmark = pytest.mark.django_db

MARKER = "ZX-RESTRICTED-5521"


def run_import(source, *extra):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_moderngov", source, "--since", "2018", "--until", "2018", "--rate", "0", "--backoff", "0",
        "--retries", "1", *extra, stdout=out, stderr=err,
    )  # fmt: skip
    return out.getvalue(), err.getvalue()


def history_rows() -> int:
    return sum(model.history.count() for model in (Committee, Member, Meeting, AgendaItem, Appendix, Attendance))


@pytest.fixture
def site(tmp_path):
    with moderngov_site(tmp_path) as site:
        yield site


def test_an_archive_comes_across_as_an_officer_expects(client, site):
    out, err = run_import(site.url)

    # Committees: entities decoded once more; a deleted one left out; an expired one kept, inactive.
    assert set(Committee.objects.values_list("name", "is_active")) == {
        ("Cabinet", True),
        ("Children's Services Scrutiny Committee", True),
        ("Lancashire Enterprise Partnership Board", False),
    }
    assert Committee.objects.get(name="Cabinet").kind == Committee.Kind.CABINET
    assert "council's executive decisions" in Committee.objects.get(name="Cabinet").purpose

    # Wards and councillors, with ModernGov's titles taken off their names.
    assert set(ElectoralDivision.objects.values_list("name", flat=True)) >= {
        "Burnley Central East",
        "Preston St Matthew's",
    }
    driver = Member.objects.get(name="Geoff Driver CBE")
    assert (driver.title, driver.party, driver.division.name, driver.email) == (
        "County Councillor", "Conservative", "Burnley Central East", "geoff.driver@example.gov.uk",
    )  # fmt: skip
    assert Member.objects.get(name="Anne O'Hara").division.name == "Preston St Matthew's"
    assert Member.objects.get(name="Mohammed Iqbal").title == "Councillor"
    assert Member.objects.get(name="Mrs Jean Parker").title == ""  # co-opted, from GetMemberGroup

    # The rescheduled meeting: held, at 10 am London time (BST), its words kept.
    cabinet = Meeting.objects.get(committee__name="Cabinet", starts_at__date="2018-06-27")
    assert cabinet.starts_at == datetime(2018, 6, 27, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    assert cabinet.status == Meeting.Status.HELD and cabinet.agenda_published_at is not None
    assert ModernGovId.objects.get(kind=Kind.MEETING, object_id=cabinet.pk).original == {
        "status": "Confirmed; Rescheduled from 20/06/2018",
        "documents_missing": [9002],  # the restricted letter without an address: asked again next run
    }
    assert (cabinet.venue.name, cabinet.venue.address) == (
        "Committee Room 'B' (The Diamond Jubilee Room)", "County Hall, Preston",
    )  # fmt: skip
    items = {item.number: item for item in cabinet.items.all()}
    assert [(n, items[n].title, items[n].kind) for n in sorted(items)] == [
        ("1", "Apologies for Absence", AgendaItem.Kind.APOLOGIES),
        ("2", "Money Matters - 2018/19 Position, Quarter 1", AgendaItem.Kind.REPORT),
        ("3", "Disposal of Land at Whittle-le-Woods", AgendaItem.Kind.REPORT),
        ("4", "Date of Next Meeting", AgendaItem.Kind.NEXT_MEETING),
    ]
    # Double-encoded HTML comes out as HTML, its ampersand once.
    assert "Finance &amp; Resources" in items["2"].standing_text

    # The restricted item: Part II, its paragraph not recorded, for an officer to complete.
    restricted = items["3"]
    assert (restricted.access, restricted.exempt_paragraphs, restricted.paragraph_not_recorded) == (
        Access.EXEMPT, 0, True,
    )  # fmt: skip
    # Its document had no address ModernGov would give: skipped, with the reason.
    assert "no address" in out

    # The PDF: fetched through its address, checked as an upload, its text extracted.
    appendix = Appendix.objects.get(report__agenda_item=items["2"])
    assert (appendix.letter, appendix.title, appendix.document_pages) == ("A", "Money Matters report", 1)
    assert "revenue budget monitoring" in appendix.document_text
    assert appendix.document_name == "Money Matters report.pdf"

    # Attendance: the chairman in the chair, apologies, a substitute (a member met only here).
    attendance = {a.member.name: a for a in cabinet.attendances.select_related("member")}
    assert attendance["Geoff Driver CBE"].in_the_chair and attendance["Geoff Driver CBE"].status == "present"
    assert attendance["Anne O'Hara"].status == "apologies"
    assert attendance["Sam Holt"].is_substitute and attendance["Sam Holt"].member.division.name == "Chorley North"

    # The cancelled meeting, and the one with no time, no place and an unnumbered item.
    cancelled = Meeting.objects.get(starts_at__date="2018-07-18")
    assert cancelled.status == Meeting.Status.CANCELLED and cancelled.status_reason == "ModernGov status: Cancelled"
    scrutiny = Meeting.objects.get(committee__name="Children's Services Scrutiny Committee")
    assert scrutiny.starts_at == datetime(2018, 10, 29, 0, 0, tzinfo=ZoneInfo("Europe/London"))
    assert scrutiny.venue.name == "Not recorded in ModernGov"
    assert [(i.number, i.title) for i in scrutiny.items.all()] == [
        ("(1)", "Webcasting notice"),
        ("1", "Children Looked After: Sufficiency Strategy"),
    ]
    # The meeting ModernGov could not answer for is skipped, with the reason.
    assert not Meeting.objects.filter(starts_at__date="2018-12-12").exists()
    assert "not answered" in out and "Import finished." in out
    assert "Meetings [" in err and "/s" in err  # the progress bar: counts and rate

    # What the public sees: the Part II item by its title only, flagged; never its text.
    page = client.get(cabinet.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Disposal of Land at Whittle-le-Woods" in html and "Paragraph not recorded" in html
    assert MARKER not in html
    assert "Finance &amp; Resources" in html
    document = client.get(f"/documents/{appendix.pk}/")
    assert document.status_code == 200 and document["Content-Type"] == "application/pdf"


def kept_ids():
    return sorted(
        ModernGovId.objects.values_list("kind", "moderngov_id", "object_id", "fingerprint", "original", "imported_at")
    )


def test_a_second_run_changes_nothing(site):
    run_import(site.url)
    before = (history_rows(), kept_ids())
    site.requests.clear()

    out, _ = run_import(site.url)

    assert (history_rows(), kept_ids()) == before
    # Each meeting is marked with the run that saw it (an interrupted run resumes past it).
    second = ImportRun.objects.latest("pk")
    meetings = ModernGovId.objects.filter(kind=Kind.MEETING)
    assert meetings.exists() and all(row.last_run == second and row.updated_at > second.started_at for row in meetings)
    assert "imported" not in out.replace("Import finished", "") and "updated" not in out
    assert not any(name.startswith("documents/") for name in site.requests)  # no PDF fetched again


def test_a_document_that_did_not_come_across_is_tried_again_on_the_next_run(site):
    pdf = site.folder / "documents" / "s9001" / "Money Matters report.pdf"
    kept_aside = pdf.read_bytes()
    pdf.unlink()  # the site cannot find it today

    out, _ = run_import(site.url)

    assert Appendix.objects.count() == 0
    assert "not found at its address" in out
    pdf.write_bytes(kept_aside)
    site.requests.clear()

    out, _ = run_import(site.url)

    # The meeting is unchanged, yet its missing document is asked for again and comes across.
    appendix = Appendix.objects.get()
    assert appendix.title == "Money Matters report" and appendix.document_text
    meetings = next(line for line in out.splitlines() if line.strip().startswith("meeting:"))
    assert "3 unchanged" in meetings
    assert any(name.startswith("documents/") for name in site.requests)
    site.requests.clear()

    run_import(site.url)  # now that it is here, a third run does not fetch it again

    assert not any(name.startswith("documents/") for name in site.requests)
    assert Appendix.objects.count() == 1


def test_a_change_in_moderngov_is_brought_across(site):
    run_import(site.url)
    path = site.folder / "GetMeeting_lMeetingId=5003.xml"
    path.write_text(path.read_text().replace("Sufficiency Strategy", "Sufficiency Strategy 2018-2021"))

    out, _ = run_import(site.url)

    assert AgendaItem.objects.filter(title="Children Looked After: Sufficiency Strategy 2018-2021").count() == 1
    meetings = next(line for line in out.splitlines() if line.strip().startswith("meeting:"))
    assert "1 updated" in meetings and "2 unchanged" in meetings


def test_an_interrupted_run_continues_where_it_stopped(site):
    site.failing = {"GetMeeting_lMeetingId=5003.xml"}  # the site goes down at the third meeting

    with pytest.raises(CommandError, match="run the same command again"):
        run_import(site.url)

    assert Meeting.objects.count() == 2
    assert ImportRun.objects.get().finished_at is None
    site.failing = set()
    site.requests.clear()

    out, _ = run_import(site.url)

    assert "Resumed" in out
    asked = [name for name in site.requests if name.startswith("GetMeeting_")]
    assert asked == ["GetMeeting_lMeetingId=5003.xml", "GetMeeting_lMeetingId=5004.xml"]
    assert Meeting.objects.count() == 3
    assert ImportRun.objects.get().finished_at is not None


def test_a_folder_of_saved_answers_imports_the_same(tmp_path):
    from tests.moderngov.server import ARCHIVE

    out, _ = run_import(str(ARCHIVE))

    assert Meeting.objects.count() == 3 and Appendix.objects.count() == 1
    assert AgendaItem.objects.filter(paragraph_not_recorded=True).count() == 1


def test_records_made_in_quorum_after_an_import_never_show_a_kept_id(site, committee):
    """Quorum's numbering moves past the kept ids, so a meeting made in Quorum after the
    import has a number no imported meeting shows (the service and the old addresses)."""
    run_import(site.url)
    from tests.factories import MeetingFactory

    made_here = MeetingFactory(committee=committee)
    kept = ModernGovId.objects.filter(kind=Kind.MEETING).values_list("moderngov_id", flat=True)
    assert made_here.pk > max(kept)


def test_importing_and_saving_ask_for_the_same_years_by_default(tmp_path, monkeypatch):
    """One default (services.archive_years): ten years ago to next year, for both commands;
    --since and --until override it in both."""
    from moderngov import services
    from moderngov.management.commands import save_moderngov

    asked = {}

    def imported(*, source, since, until, stream):
        asked["import_moderngov"] = (since, until)
        return None, {"counts": {}, "skipped": {}, "seconds": 0}

    def saved(*, source, folder, years, most_documents, stream):
        asked["save_moderngov"] = (years[0][0].year, years[-1][1].year)
        return {}

    monkeypatch.setattr(services, "archive_import", imported)
    monkeypatch.setattr(save_moderngov, "archive_save", saved)
    call_command("import_moderngov", str(tmp_path), stdout=io.StringIO())
    call_command("save_moderngov", "https://democracy.example.gov.uk", str(tmp_path / "copy"), stdout=io.StringIO())
    this_year = datetime.now(ZoneInfo("Europe/London")).year
    assert asked == {
        "import_moderngov": (this_year - 10, this_year + 1),
        "save_moderngov": (this_year - 10, this_year + 1),
    }

    options = ("--since", "2016", "--until", "2019")
    call_command("import_moderngov", str(tmp_path), *options, stdout=io.StringIO())
    call_command(
        "save_moderngov", "https://democracy.example.gov.uk", str(tmp_path / "copy"), *options, stdout=io.StringIO()
    )
    assert asked == {"import_moderngov": (2016, 2019), "save_moderngov": (2016, 2019)}


@pytest.fixture
def saved(tmp_path):
    """A copy of the saved answers, to damage."""
    import shutil

    from tests.moderngov.server import ARCHIVE

    return Path(shutil.copytree(ARCHIVE, tmp_path / "archive"))


def test_an_answer_that_cannot_be_read_is_named_in_the_summary_or_stops_the_run(saved):
    listing = saved / "GetMeetings_lCommitteeId=101_sFromDate=01-01-2018_sToDate=31-12-2018.xml"
    listing.write_text(listing.read_text().replace("</getmeetings>", ""))

    out, _ = run_import(str(saved))

    assert "1 × meeting list: GetMeetings of committee 101, 2018 unreadable" in out
    assert Meeting.objects.count() == 1  # the other committee's meeting came across
    committees = saved / "GetCommittees.xml"
    committees.write_text(committees.read_text().replace("<committee>", "<committee", 1))
    with pytest.raises(CommandError, match="answer to GetCommittees .* is not XML that Quorum can read"):
        run_import(str(saved))


def test_a_document_whose_address_cannot_be_read_is_named_in_the_summary(saved):
    answer = saved / "GetAttachment_lAttachmentId=9001.xml"
    answer.write_text(answer.read_text()[:-20])

    out, _ = run_import(str(saved))

    assert "document: GetAttachment's answer unreadable" in out
    assert Meeting.objects.count() == 3  # the meetings came across; the document is tried again next run


def test_an_id_larger_than_modern_gov_gives_names_nothing(saved):
    answer = saved / "GetMeeting_lMeetingId=5001.xml"
    huge = "99999999999999999999"
    answer.write_text(
        answer.read_text().replace("<agendaitemid>8001<", f"<agendaitemid>{huge}<").replace('"201"', f'"{huge}"')
    )

    run_import(str(saved))

    assert Meeting.objects.count() == 3
    assert not ModernGovId.objects.filter(kind=Kind.AGENDA_ITEM, moderngov_id__gt=2**31).exists()


def test_an_item_an_officer_added_keeps_its_place_when_modern_gov_adds_one(saved):
    run_import(str(saved))
    meeting = Meeting.objects.get(pk=ModernGovId.objects.get(kind=Kind.MEETING, moderngov_id=5003).object_id)
    last = meeting.items.order_by("order").last()
    added = AgendaItem.objects.create(meeting=meeting, order=last.order + 1, number="X1", title="Added by an officer")
    answer = saved / "GetMeeting_lMeetingId=5003.xml"
    item = "<agendaitem><agendaitemid>8999</agendaitemid><agendaitemnumber>9</agendaitemnumber>"
    item += "<agendaitemtitle>Added in ModernGov</agendaitemtitle><isrestricted>False</isrestricted></agendaitem>"
    answer.write_text(answer.read_text().replace("</agendaitems>", item + "</agendaitems>"))

    run_import(str(saved))

    titles = list(meeting.items.order_by("order").values_list("title", flat=True))
    assert titles[-2:] == ["Added by an officer", "Added in ModernGov"]
    added.refresh_from_db()
    assert (added.order, added.number) == (last.order + 1, "X1")


@pytest.mark.pdf
def test_an_item_modern_gov_now_restricts_withdraws_the_pack_built_here_that_prints_it(
    saved, django_capture_on_commit_callbacks
):
    from committee.models import AgendaPack
    from committee.pack import services as pack_services

    run_import(str(saved))
    meeting = Meeting.objects.get(pk=ModernGovId.objects.get(kind=Kind.MEETING, moderngov_id=5003).object_id)
    pack = pack_services.pack_build(pack_id=pack_services.pack_request(meeting=meeting, kind=AgendaPack.Kind.PUBLIC).pk)
    assert pack.status == AgendaPack.Status.READY and pack.withdrawn_at is None
    answer = saved / "GetMeeting_lMeetingId=5003.xml"
    text = answer.read_text()
    strategy = text.index("Sufficiency Strategy")
    answer.write_text(text[:strategy] + text[strategy:].replace("<isrestricted>False", "<isrestricted>True", 1))

    with django_capture_on_commit_callbacks(execute=True):
        run_import(str(saved))

    item = meeting.items.get(title="Children Looked After: Sufficiency Strategy")
    assert item.access == Access.EXEMPT
    pack.refresh_from_db()
    assert pack.withdrawn_at is not None, "the public still downloads a pack printing a restricted item"
    # and a new version is asked for, as after an officer's change (else the meeting has no pack)
    assert AgendaPack.objects.filter(meeting=meeting, kind=AgendaPack.Kind.PUBLIC, pk__gt=pack.pk).exists()


@pytest.mark.parametrize("day", ["01/01/0001", "05/01/0001"])
def test_a_meeting_dated_with_a_slip_in_its_year_comes_across_and_its_pages_open(saved, client, officer, day):
    # ModernGov keeps what its officers typed: a meeting dated 01/01/0001 stopped the whole
    # import (its publication deadline, five clear working days before, ran off the calendar).
    # It comes across as dated, for an officer to correct, and its pages open.
    answer = saved / "GetMeeting_lMeetingId=5003.xml"
    answer.write_text(answer.read_text().replace("29/10/2018", day))

    out, _ = run_import(str(saved))

    assert "meeting: 3 imported" in out
    meeting = Meeting.objects.get(starts_at__year=1)
    assert meeting.publication_deadline == date.min
    client.force_login(officer)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert client.get(f"/admin/committee/meeting/{meeting.pk}/change/").status_code == 200


@pytest.mark.parametrize(("option", "typed"), [("--since", "0"), ("--until", "20188"), ("--since", "twenty")])
def test_a_year_typed_with_a_slip_is_refused_before_anything_is_asked(tmp_path, option, typed):
    command = "import_moderngov", str(tmp_path)
    with pytest.raises(CommandError, match=f"argument {option}: (Check the year|{typed} is not a year)"):
        call_command(*command, option, typed, stdout=io.StringIO())
    assert not ImportRun.objects.exists()

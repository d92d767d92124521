"""The demo: the seed's WSoA as Appendix 'B' of the performance report, in the report page
and in the pack (rendered by WeasyPrint and read back as text)."""

import io
import re

import pytest
from django.utils.html import escape
from pypdf import PdfReader

from committee import demo as committee_demo
from committee.models import Appendix
from send_actions import demo
from send_actions.models import (
    Action,
    ActionPlan,
    AreaOfConcern,
    KeyTask,
    PlanSnapshot,
    ProgressUpdate,
    WorkingGroup,
)

pytestmark = pytest.mark.django_db

SEED_GROUP_LEADS = {
    1: ("Strategy", "David Graham", "Head of Service - SEND"),
    2: ("Commissioning and Access to Provision", "Hilary Fordham", "Chief Operating Officer - Morecambe Bay CCG"),
    3: ("Engagement", "Sophie Valinakis", "SEND Reforms Manager"),
    4: ("Identifying and Meeting Need", "Janette Hastings", "Integrated Assessment Manager - SEND"),
    5: ("Improving Outcomes", "Steve Belbin", "Principal Advisor for School Improvement- LCC"),
}
SEED_CODES = (
    [f"A{n}" for n in range(1, 7)] + ["B1", "B2"] + [f"C{n}" for n in range(1, 6)] + [f"D{n}" for n in range(1, 5)]
    + ["E1", "E2", "E3", "F1", "F2", "G1", "G2"] + [f"H{n}" for n in range(1, 6)] + ["I1", "I2", "J1", "J2"]
    + [f"K{n}" for n in range(1, 6)] + [f"L{n}" for n in range(1, 10)]
)  # fmt: skip
AREA_TO_ACTION = {1: "A", 2: "B", 8: "C", 3: "D", 7: "E", 9: "F", 11: "G", 4: "H", 12: "I", 5: "J", 6: "K", 10: "L"}


@pytest.fixture
def loaded():
    committee_demo.load()
    assert demo.load() is True
    return ActionPlan.objects.get()


def _seed_tasks(seed_data):
    for group in seed_data["groups"]:
        for action in group["actions"]:
            for task in action["tasks"]:
                yield group["number"], action["letter"], task


def test_the_demo_loads_the_whole_wsoa(loaded, seed_data):
    plan = loaded
    assert (
        plan.full_title == "Lancashire Special Educational Needs and Disability Written Statement of Action (May 2018)"
    )
    assert plan.is_published
    assert [a.number for a in AreaOfConcern.objects.filter(plan=plan)] == list(range(1, 13))
    assert {
        g.number: (g.name, g.lead_name, g.lead_role) for g in WorkingGroup.objects.filter(plan=plan)
    } == SEED_GROUP_LEADS
    assert [a.letter for a in Action.objects.filter(plan=plan)] == list("ABCDEFGHIJKL")
    for area, letter in AREA_TO_ACTION.items():
        assert list(AreaOfConcern.objects.get(plan=plan, number=area).actions.values_list("letter", flat=True)) == [
            letter
        ]
    tasks = {t.code: t for t in KeyTask.objects.filter(plan=plan).select_related("group_action__working_group")}
    assert sorted(tasks, key=lambda c: (c[0], int(c[1:]))) == SEED_CODES
    for group, _letter, seed in _seed_tasks(seed_data):
        t = tasks[seed["code"]]
        assert (t.description, t.due_display, t.expected_outcome) == (
            seed["description"],
            seed["due"],
            seed["expected_outcome"],
        )
        assert t.group_action.working_group.number == group
    # One update per task, dated 1 May 2018, by the SEND Partnership Board, with the seed's status.
    assert ProgressUpdate.objects.count() == 47
    assert set(ProgressUpdate.objects.values_list("as_of", "made_by")) == {
        (demo.SEED_UPDATE_DATE, "SEND Partnership Board")
    }
    statuses = dict(ProgressUpdate.objects.values_list("task__code", "status"))
    assert {code for code, s in statuses.items() if s == "complete"} == {"A4", "E1"}
    assert sum(s == "underway" for s in statuses.values()) == 22
    assert sum(s == "planned" for s in statuses.values()) == 23
    assert list(tasks["C3"].see_also.values_list("code", flat=True)) == ["H2"]
    assert list(tasks["H2"].see_also.values_list("code", flat=True)) == ["C3"]


def test_the_seeds_own_words_are_kept(loaded):
    assert "Stakeholder's" in KeyTask.objects.get(code="A3").description
    assert (
        KeyTask.objects.get(code="A4").expected_outcome
        == "Funding agreed to support increased consistency pan- Lancashire"
    )
    assert "CYP" in KeyTask.objects.get(code="C4").description


def test_the_demo_loads_twice_without_change(loaded):
    counts = (KeyTask.objects.count(), ProgressUpdate.objects.count(), PlanSnapshot.objects.count())
    assert demo.load() is False
    assert counts == (KeyTask.objects.count(), ProgressUpdate.objects.count(), PlanSnapshot.objects.count())


def test_it_is_appendix_b_of_the_performance_report(loaded):
    report = committee_demo.demo_report("Quarterly Corporate Performance Monitoring Report")
    appendices = list(report.appendices.all())
    assert [a.letter for a in appendices] == ["A", "B", "C"]
    b = appendices[1]
    assert (b.kind, b.placement, b.title) == ("structured", "appendix", loaded.full_title)
    snapshot = b.structured
    assert isinstance(snapshot, PlanSnapshot)
    assert snapshot.label == "As reported to the Cabinet Committee on Performance Improvement, 27 June 2018"
    assert snapshot.as_at.isoformat() == "2018-06-27"


def test_the_public_report_page_shows_every_task(client, loaded, seed_data):
    report = committee_demo.demo_report("Quarterly Corporate Performance Monitoring Report")
    page = client.get(report.get_absolute_url()).content.decode()
    appendix = page[page.index('id="appendix-B"') : page.index('id="appendix-C"')]
    assert ">Working Group 1: Strategy</h3>" in appendix
    for _, _, seed in _seed_tasks(seed_data):
        row = appendix[appendix.index(f'<th scope="row">{seed["code"]}</th>') :]
        row = row[: row.index("</tr>")]
        assert escape(seed["description"]) in row
        assert f">{seed['due']}</time>" in row
        assert escape(seed["expected_outcome"]) in row
        assert seed["progress"] in row
    assert "Key tasks to address actions A - C" in appendix
    assert "Area of Concern 8 Action <strong>C:</strong> To improve the outcomes of CYP with SEND" in appendix


@pytest.mark.pdf
def test_the_pack_prints_the_seeds_tables(loaded, seed_data):
    """The pack's print template, through WeasyPrint, read back as text."""
    import weasyprint

    from committee.pack.content import gather

    appendix = Appendix.objects.get(letter="B", report__title__startswith="Quarterly Corporate")
    meeting = appendix.report.agenda_item.meeting
    content = gather(meeting, kind="public", scope="full")
    key = f"item-{appendix.report.agenda_item.number}-appendix-B"
    html = next(part.html for papers in content.papers for part in papers.parts if part.key == key)
    assert '<div class="wide">' in html  # the groups' wide tables go on landscape pages
    assert html.count("<thead>") == 7  # the summary, the key terms and one table per working group
    pdf = weasyprint.HTML(string=html).write_pdf()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Appendix 'B'" in text
    for _, _, seed in _seed_tasks(seed_data):
        assert seed["code"] in text
        assert seed["due"] in text
    for first_words in ("Agree the governance structure for SEND", "LCC will establish a new Lancashire Education"):
        assert first_words in text
    assert text.count("Action Underway") >= 22
    assert "Action Complete" in text and "Action Planned" in text

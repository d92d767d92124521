"""The plan's governance structure: the boards and working groups and who reports to whom,
kept as data, refused in the admin when it would make a loop, shown as a diagram whose text
says who reports to whom (the public page and the pack), and frozen in snapshots."""

from datetime import date

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committee import demo as committee_demo
from committee.models import Appendix
from send_actions import demo, selectors, services
from send_actions.models import ActionPlan, GovernanceBody, WorkingGroup
from tests.core.admin_pages import change_url, form_data, with_values

from .plans import make_plan

pytestmark = pytest.mark.django_db

HWB = "Lancashire Health and Wellbeing Board"
BOARD = "SEND Partnership Board"
JCCCG = "Joint Committee of the CCGs"
CABINET = "Lancashire County Council Cabinet"
TITLE = "Lancashire SEND Governance and Accountability Structure"


def _tree(element) -> list[tuple[str, str, list]]:
    """The diagram read as a screen reader reads the list: each box's name, its "Reports
    to" line, and the boxes nested in it."""
    found = []
    for item in element.xpath("./li"):
        box = item.xpath("./div[@class='org-box']")[0]
        name = box.xpath(".//p[@class='org-name']")[0].text_content().strip()
        reports = box.xpath(".//p[@class='org-reports']")[0].text_content().strip()
        nested = item.xpath("./ul")
        found.append((name, reports, _tree(nested[0]) if nested else []))
    return found


SEED_TREE = [
    (
        HWB,
        "At the top of the structure",
        [
            (
                BOARD,
                f"Reports to: {HWB}",
                [
                    (f"Working Group {n}: {name}", f"Reports to: {BOARD}", [])
                    for n, name in enumerate(
                        [
                            "Strategy",
                            "Commissioning and Access to Provision",
                            "Engagement",
                            "Identifying and Meeting Need",
                            "Improving Outcomes",
                        ],
                        start=1,
                    )
                ],
            )
        ],
    ),
    (JCCCG, "At the top of the structure", []),
    (CABINET, "At the top of the structure", []),
]


def test_the_demo_has_the_seeds_governance_structure(seed_plan):
    bodies = {b.name: b for b in GovernanceBody.objects.filter(plan=seed_plan).select_related("reports_to")}
    assert {name: (b.reports_to.name if b.reports_to else None) for name, b in bodies.items()} == {
        HWB: None,
        BOARD: HWB,
        JCCCG: None,
        CABINET: None,
    }
    assert set(WorkingGroup.objects.filter(plan=seed_plan).values_list("reports_to__name", flat=True)) == {BOARD}
    assert "The SEND Partnership Board is accountable to this board" in bodies[HWB].purpose
    assert "strategic leadership for the WSoA" in bodies[BOARD].purpose
    assert "regular reporting on progress to this committee" in bodies[JCCCG].purpose
    assert seed_plan.governance_structure_title == TITLE
    # The cross reference points where the structure is, not to a page of the printed original.
    assert "(see the governance structure below)" in seed_plan.governance
    assert "page 6" not in seed_plan.governance


def test_the_public_page_draws_the_structure_and_says_who_reports_to_whom(client, seed_plan):
    page = client.get(reverse("send_actions:plan-detail", args=[seed_plan.slug])).content.decode()
    html = lxml.html.fromstring(page)
    section = html.get_element_by_id("governance-structure")
    assert section.xpath("./h3")[0].text_content() == TITLE
    assert section.get("aria-labelledby") == "governance-structure-heading"
    assert _tree(section.xpath("./ul[@class='org-tree']")[0]) == SEED_TREE
    assert "Lead: David Graham (Head of Service - SEND)" in section.text_content()
    # "(see the governance structure below)": the structure does follow the sentence.
    assert page.index("see the governance structure below") < page.index('id="governance-structure"')


def test_a_plan_without_a_governance_structure_shows_no_diagram(client):
    plan = make_plan()
    page = client.get(reverse("send_actions:plan-detail", args=[plan.slug])).content.decode()
    assert 'id="governance-structure"' not in page


def test_a_snapshot_keeps_the_structure_as_it_was_reported(seed_plan):
    snapshot = services.plan_snapshot_take(plan=seed_plan, label="June", as_at=date(2018, 6, 27))
    board = GovernanceBody.objects.get(plan=seed_plan, name=BOARD)
    board.name = "SEND Improvement Board"
    board.reports_to = None
    board.save()
    WorkingGroup.objects.filter(plan=seed_plan, number=5).update(reports_to=None)

    frozen = selectors.snapshot_tables(snapshot)
    assert frozen.governance_structure_title == TITLE
    hwb = frozen.governance_structure[0]
    assert (hwb.name, hwb.children[0].name, hwb.children[0].reports_to) == (HWB, BOARD, HWB)
    assert len(hwb.children[0].children) == 5
    live = selectors.plan_tables(seed_plan, date(2018, 6, 27))
    assert "SEND Improvement Board" in [node.name for node in live.governance_structure]


def test_a_snapshot_taken_before_the_structure_was_kept_still_reads(seed_plan):
    snapshot = services.plan_snapshot_take(plan=seed_plan, label="June", as_at=date(2018, 6, 27))
    data = dict(snapshot.data)
    del data["governance_structure"], data["governance_structure_title"]
    type(snapshot).objects.filter(pk=snapshot.pk).update(data=data)
    snapshot.refresh_from_db()
    assert selectors.snapshot_tables(snapshot).governance_structure == []


def test_a_body_cannot_report_to_itself_or_in_a_loop(seed_plan):
    hwb = GovernanceBody.objects.get(plan=seed_plan, name=HWB)
    hwb.reports_to = hwb
    with pytest.raises(ValidationError, match="cannot report to itself"):
        hwb.full_clean()
    hwb.reports_to = GovernanceBody.objects.get(plan=seed_plan, name=BOARD)
    with pytest.raises(ValidationError, match="loop"):
        hwb.full_clean()
    other = GovernanceBody.objects.create(plan=make_plan(), name="Another plan's board")
    hwb.reports_to = other
    with pytest.raises(ValidationError, match="same plan"):
        hwb.full_clean()


# The admin -----------------------------------------------------------------------------------


def _rows(data: dict) -> dict[str, str]:
    """The governance body rows' index by name, as the form shows them."""
    total = int(data["governance_bodies-TOTAL_FORMS"][0])
    return {data[f"governance_bodies-{i}-name"][0]: str(i) for i in range(total)}


def _post_bodies(client, plan, **reports_to):
    url = change_url(plan)
    data = form_data(client.get(url))
    rows = _rows(data)
    bodies = dict(GovernanceBody.objects.filter(plan=plan).values_list("name", "pk"))
    changes = {
        f"governance_bodies-{rows[name]}-reports_to": str(bodies[above]) if above else ""
        for name, above in reports_to.items()
    }
    return client.post(url, with_values(data, **changes))


def _links(plan) -> dict[str, str | None]:
    return dict(GovernanceBody.objects.filter(plan=plan).values_list("name", "reports_to__name"))


def test_the_admin_refuses_a_body_reporting_to_itself_with_a_message(client, officer, seed_plan):
    client.force_login(officer)
    before = _links(seed_plan)
    response = _post_bodies(client, seed_plan, **{HWB: HWB})
    assert response.status_code == 200
    assert "A body cannot report to itself." in response.content.decode()
    assert _links(seed_plan) == before


def test_the_admin_refuses_a_loop_with_a_message(client, officer, seed_plan):
    client.force_login(officer)
    before = _links(seed_plan)
    # The board reports to the Health and Wellbeing Board; the other way round too is a loop.
    response = _post_bodies(client, seed_plan, **{HWB: BOARD})
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert f"This would make a loop ({HWB} → {BOARD} → {HWB})" in page
    assert _links(seed_plan) == before


def test_the_admin_refuses_a_loop_made_by_two_rows_at_once(client, officer, seed_plan):
    """Neither row makes a loop with what is saved; together they do."""
    client.force_login(officer)
    before = _links(seed_plan)
    response = _post_bodies(client, seed_plan, **{JCCCG: CABINET, CABINET: JCCCG})
    assert response.status_code == 200
    assert "This would make a loop" in response.content.decode()
    assert _links(seed_plan) == before


def test_the_admin_saves_a_change_of_who_reports_to_whom(client, officer, seed_plan):
    client.force_login(officer)
    response = _post_bodies(client, seed_plan, **{JCCCG: HWB})
    assert response.status_code == 302
    assert _links(seed_plan)[JCCCG] == HWB
    # The old top is still the only way up: moving the board under the committee is fine.
    response = _post_bodies(client, seed_plan, **{BOARD: JCCCG})
    assert response.status_code == 302
    assert _links(seed_plan)[BOARD] == JCCCG


def test_the_admin_offers_only_the_plans_own_bodies(client, officer, seed_plan):
    other = make_plan("other")
    GovernanceBody.objects.create(plan=other, name="Another plan's board")
    client.force_login(officer)
    page = client.get(change_url(seed_plan)).content.decode()
    assert HWB in page and "Another plan&#x27;s board" not in page
    group = WorkingGroup.objects.get(plan=seed_plan, number=1)
    page = client.get(change_url(group)).content.decode()
    assert BOARD in page and "Another plan&#x27;s board" not in page


@pytest.mark.pdf
def test_the_pack_prints_the_structure_with_its_words():
    """The real agenda pack of the demo meeting (it passes the PDF/UA checks: see build)."""
    from tests.risks.pack import appendix_pdf_pages

    committee_demo.load()
    assert demo.load() is True
    appendix = Appendix.objects.get(letter="B", report__title__startswith="Quarterly Corporate")
    assert appendix.structured.plan == ActionPlan.objects.get()
    pages = [" ".join(page.split()) for page in appendix_pdf_pages(appendix)]
    text = " ".join(pages)
    assert TITLE in text
    for line in (
        f"{BOARD} ",
        f"Reports to: {HWB}",
        f"Reports to: {BOARD}",
        "Working Group 5: Improving Outcomes",
        "Lead: Steve Belbin",
        JCCCG,
        CABINET,
        "There will be regular reporting on progress to the Cabinet.",
    ):
        assert line in text, line
    assert text.count(f"Reports to: {BOARD}") == 5
    # The sentence that points to the structure comes before it, and the structure before
    # the Working Group Actions, as in the seed.
    assert text.index("(see the governance structure below)") < text.index(TITLE)
    assert text.index(TITLE) < text.index("Working Group Actions")

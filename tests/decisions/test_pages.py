"""The public pages, feeds, API and the decision notice PDF; their query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions import services

from .kit import cabinet_maker, decision, member_maker, plan_entry, published_entry

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


@pytest.fixture
def plan(officer):
    cabinet, highways = cabinet_maker(), member_maker()
    published_entry(cabinet, noticed_on=today(), reference="FP/1", title="Library strategy", by=officer)
    published_entry(
        highways, noticed_on=today(), reference="FP/2", title="A59 bridge repairs",
        due=today() + timedelta(days=70), by=officer,
    )  # fmt: skip
    plan_entry(cabinet, reference="FP/3", title="Draft: not yet noticed")
    return cabinet, highways


def test_the_forward_plan_groups_by_decision_maker_and_month(client, plan):
    page = client.get(reverse("decisions:forward-plan")).content.decode()
    assert "Library strategy" in page and "A59 bridge repairs" in page
    assert "Draft: not yet noticed" not in page
    assert page.index("Cabinet") < page.index("Library strategy")
    assert (today() + timedelta(days=70)).strftime("%B %Y") in page
    assert "Key decision" in page


def test_an_entry_page_and_a_proposed_one_is_not_found(client, plan):
    from decisions.models import ForwardPlanEntry

    noticed, proposed = (ForwardPlanEntry.objects.get(reference=r) for r in ("FP/1", "FP/3"))
    response = client.get(noticed.get_absolute_url())
    assert "Spending or savings of £2,500,000" in response.content.decode()
    assert client.get(proposed.get_absolute_url()).status_code == 404


def test_rss_and_icalendar_list_published_entries_only(client, plan):
    rss = client.get(reverse("decisions:forward-plan-rss")).content.decode()
    ics = client.get(reverse("decisions:forward-plan-ics")).content.decode()
    for feed in (rss, ics):
        assert "Library strategy" in feed and "A59 bridge repairs" in feed
        assert "Draft: not yet noticed" not in feed
    assert "BEGIN:VEVENT" in ics


def test_decisions_list_and_page_show_their_status(client, officer):
    made = decision(member_maker(), decided_on=today(), by=officer)
    hidden = decision(member_maker(role="Leader"), decided_on=today(), title="Not yet published", by=officer)
    services.decision_publish_notice(decision=made, published_on=today(), by=officer)
    listing = client.get(reverse("decisions:decision-list")).content.decode()
    assert "Resurfacing of the A59" in listing and "Within call-in" in listing
    assert "Not yet published" not in listing
    page = client.get(made.get_absolute_url()).content.decode()
    assert "Call-in period ends" in page and "Conflicts of interest and dispensations" in page
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_the_api_lists_published_entries_and_decisions(client, plan, officer):
    made = decision(member_maker(role="Leader"), decided_on=today(), by=officer)
    services.decision_publish_notice(decision=made, published_on=today(), by=officer)
    entries = client.get("/api/forward-plan/").json()["results"]
    assert {e["reference"] for e in entries} == {"FP/1", "FP/2"}
    from decisions.models import ForwardPlanEntry

    assert client.get(f"/api/forward-plan/{ForwardPlanEntry.objects.get(reference='FP/3').pk}/").status_code == 404
    decisions = client.get("/api/decisions/").json()["results"]
    assert [(d["title"], d["status"]) for d in decisions] == [("Resurfacing of the A59", "Within call-in")]


def _decisions(officer, count):
    for n in range(count):
        made = decision(member_maker(role=f"Role {n}"), decided_on=today(), title=f"Decision {n}", by=officer)
        services.decision_publish_notice(decision=made, published_on=today(), by=officer)


@pytest.mark.parametrize("count", [1, 6])
def test_decision_list_queries_are_constant(client, officer, count, django_assert_num_queries):
    _decisions(officer, count)
    # 1 the decisions with their notice, maker, forward plan entry, item and meeting, and
    # whether a call-in holds them.
    with django_assert_num_queries(1):
        response = client.get(reverse("decisions:decision-list"))
    assert response.content.decode().count("Within call-in") == count


@pytest.mark.parametrize("count", [1, 6])
def test_forward_plan_queries_are_constant(client, officer, count, django_assert_num_queries):
    maker = cabinet_maker()
    for n in range(count):
        published_entry(maker, noticed_on=today(), reference=f"FP/{n}", by=officer)
    # 1 the entries with their decision makers.
    with django_assert_num_queries(1):
        client.get(reverse("decisions:forward-plan"))


@pytest.mark.pdf
def test_the_decision_notice_is_a_tagged_pdf(client, officer):
    from tests.gate_surfaces import pdf_text
    from tests.pdfua import problems

    made = decision(member_maker(), decided_on=today(), by=officer)
    services.decision_publish_notice(decision=made, published_on=today(), by=officer)
    response = client.get(reverse("decisions:decision-notice-pdf", args=[made.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert problems(response.content) == []
    text = pdf_text(response.content)
    assert "record of executive decision" in text and "Resurfacing of the A59" in text
    assert "Alternative options considered and rejected" in text


def test_a_decision_states_the_interests_declared_on_its_item(client, officer):
    """The record of a decision taken at a meeting names the conflicts of interest declared on
    its agenda item and their dispensations (SI 2012/2089 regs 12-13), on the page and in the
    notice; a decision with none says so."""
    from interests.models import Declaration, Dispensation
    from tests.factories import AgendaItemFactory, MemberFactory
    from tests.gate_surfaces import pdf_text

    item = AgendaItemFactory(
        title="Resurfacing of the A59",
        meeting__starts_at=timezone.now() - timedelta(days=3),
        meeting__agenda_published_at=timezone.now() - timedelta(days=12),
        meeting__status="agenda_published",
    )
    councillor = MemberFactory(name="A Atkinson")
    dispensation = Dispensation.objects.create(
        member=councillor, granted_by="Standards Committee", for_what="Highways contracts", ground="a",
        granted_on=today() - timedelta(days=31),
        valid_from=today() - timedelta(days=30), valid_to=today() + timedelta(days=300),
    )  # fmt: skip
    Declaration.objects.create(
        agenda_item=item, member=councillor, kind=Declaration.Kind.OTHER_REGISTRABLE,
        nature="Her brother owns a surfacing firm.", dispensation=dispensation,
    )  # fmt: skip
    made = decision(cabinet_maker(), decided_on=timezone.localdate(item.meeting.starts_at), item=item, by=officer)
    services.decision_publish_notice(decision=made, published_on=made.decided_on, by=officer)
    page = client.get(made.get_absolute_url()).content.decode()
    notice = pdf_text(client.get(reverse("decisions:decision-notice-pdf", args=[made.pk])).content)
    for text in (page, " ".join(notice.split())):
        assert "Her brother owns a surfacing firm." in text and "Standards Committee" in text
        assert "No conflicts of interest" not in text

    other = decision(member_maker(), decided_on=today(), title="A standalone decision", by=officer)
    services.decision_publish_notice(decision=other, published_on=today(), by=officer)
    assert "No conflicts of interest or dispensations" in client.get(other.get_absolute_url()).content.decode()

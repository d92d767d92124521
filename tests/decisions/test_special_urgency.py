"""The Leader's quarterly report of special urgency decisions (SI 2012/2089 reg 11(5)): the
selector takes the decisions whose route was special urgency in a quarter of the financial
year; the public page and the PDF read as the public does, so a withheld (Part II)
decision's particulars and exempt reasons stay out; the officer's admin page counts it."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from committee import gate
from decisions import selectors, services
from decisions.clocks import Quarter
from decisions.models import Decision
from tests.gate_surfaces import MARKER, text_of

from .kit import cabinet_maker, decision, published_entry

pytestmark = pytest.mark.django_db

Q1 = Quarter(2026, 1)  # April to June 2026
PUBLIC = gate.Reader.public()


def _urgent(
    maker, officer, *, reference="FP/U1", title="Emergency repairs to the Ribble bridge", decided=date(2026, 5, 10)
):
    entry = published_entry(
        maker, noticed_on=date(2026, 5, 1), reference=reference, title=title, due=decided,
        urgency_agreed_by="Chair of the Scrutiny Committee", urgency_agreed_on=date(2026, 5, 9),
        urgency_reasons="The bridge was closed by flood damage on 8 May.", by=officer,
    )  # fmt: skip
    return _published(decision(maker, decided_on=decided, entry=entry, by=officer), officer)


def _general_exception(maker, officer):
    entry = published_entry(
        maker, noticed_on=date(2026, 5, 1), reference="FP/G1", title="Library van replacement",
        due=date(2026, 5, 10), scrutiny_chair_notified_on=date(2026, 5, 1), exception_notice_on=date(2026, 5, 1),
        exception_reasons="The supplier's offer closes on 12 May.", by=officer,
    )  # fmt: skip
    return _published(decision(maker, decided_on=date(2026, 5, 10), entry=entry, by=officer), officer)


def _published(made, officer):
    services.decision_publish_notice(decision=made, published_on=made.decided_on, by=officer)
    return made


def test_quarters_of_the_financial_year():
    assert (Q1.start, Q1.end, Q1.label, Q1.slug) == (date(2026, 4, 1), date(2026, 6, 30), "Q1 2026/27", "2026-27-q1")
    assert Quarter.of(date(2027, 2, 14)) == Quarter(2026, 4) and Quarter(2026, 4).end == date(2027, 3, 31)
    assert Quarter.from_slug("2026-27-q1") == Q1 and Quarter.from_slug("2026-28-q1") is None
    assert Q1.previous() == Quarter(2025, 4) and Quarter.from_slug("nonsense") is None


def test_a_special_urgency_decision_is_in_its_quarter_and_a_general_exception_one_is_not(officer):
    maker = cabinet_maker()
    urgent, _ = _urgent(maker, officer), _general_exception(maker, officer)

    assert selectors.special_urgency_decisions(PUBLIC, Q1) == [urgent]
    assert selectors.special_urgency_decisions(PUBLIC, Quarter(2026, 2)) == []
    assert selectors.special_urgency_by_quarter(PUBLIC) == [(Q1, [urgent])]


def test_the_public_page_and_the_report_list_it(client, officer):
    _urgent(cabinet_maker(), officer)

    page = client.get(reverse("decisions:special-urgency")).content.decode()
    assert "Q1 2026/27 (April to June 2026)" in page and "Emergency repairs to the Ribble bridge" in page
    assert "The bridge was closed by flood damage on 8 May." in page
    assert reverse("decisions:special-urgency-pdf", args=[Q1.slug]) in page
    assert client.get(reverse("decisions:special-urgency-pdf", args=["2026-99-q7"])).status_code == 404


@pytest.mark.pdf
def test_the_report_is_a_tagged_pdf(client, officer):
    from tests.pdfua import problems

    _urgent(cabinet_maker(), officer)
    response = client.get(reverse("decisions:special-urgency-pdf", args=[Q1.slug]))
    assert response["Content-Type"] == "application/pdf" and problems(response.content) == []
    text = text_of(response)
    assert "Report of the Leader of the Council to the Council for Q1 2026/27" in text
    assert "Emergency repairs to the Ribble bridge" in text and "Chair of the Scrutiny Committee" in text


@pytest.mark.pdf
def test_a_part_ii_decision_reaches_neither_the_page_nor_the_report_but_the_officer_is_told(client, officer):
    maker = cabinet_maker()
    _urgent(maker, officer)
    withheld = _urgent(maker, officer, reference="FP/U2", title=f"Settlement {MARKER}")
    Decision.objects.filter(pk=withheld.pk).update(
        access="exempt", exempt_paragraphs=1 << 2, public_interest_reasons=f"Commercial negotiations {MARKER}."
    )
    for url in (reverse("decisions:special-urgency"), reverse("decisions:special-urgency-pdf", args=[Q1.slug])):
        response = client.get(url)
        assert response.status_code == 200
        text = text_of(response)
        assert "Emergency repairs to the Ribble bridge" in text and MARKER not in text, url

    officers = Client()
    officers.force_login(officer)
    page = officers.get(reverse("admin:decisions_special_urgency_report"), {"quarter": Q1.slug}).content.decode()
    assert "Emergency repairs to the Ribble bridge" in page and MARKER not in page
    assert "1 special urgency decision of this quarter is not public" in page


@pytest.mark.parametrize("count", [1, 5])
def test_the_public_page_queries_are_constant(client, officer, count, django_assert_num_queries):
    maker = cabinet_maker()
    for n in range(count):
        _urgent(maker, officer, reference=f"FP/U{n}", title=f"Urgent decision {n}")
    # 1 the decisions with their notice, maker, forward plan entry, item and meeting.
    with django_assert_num_queries(1):
        response = client.get(reverse("decisions:special-urgency"))
    assert response.content.decode().count("Urgent decision") == count

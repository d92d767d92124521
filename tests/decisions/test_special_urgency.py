"""The Leader's quarterly report of special urgency decisions (SI 2012/2089 reg 11(5)): the
selector takes the decisions whose route was special urgency in a quarter of the financial
year; the public page and the PDF read as the public does, so a withheld (Part II)
decision's particulars and exempt reasons stay out; the officer's admin page counts it."""

from datetime import UTC, date, datetime, timedelta

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
        maker, noticed_on=decided - timedelta(days=9), reference=reference, title=title, due=decided,
        urgency_agreed_by="Chair of the Scrutiny Committee", urgency_agreed_on=decided - timedelta(days=1),
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


# Which quarters have a report: from the first public decision's to today's (Europe/London). --

HELPFUL_404 = "If you typed the web address, check it is correct."


def _at(monkeypatch, moment: str):
    """Today is `moment` (UTC) for the request: timezone.localdate() reads timezone.now()."""
    fixed = datetime.fromisoformat(moment).replace(tzinfo=UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: fixed)


def _quarter_urls(slug: str) -> tuple[str, str]:
    return f"/decisions/special-urgency/{slug}/", f"/decisions/special-urgency/{slug}.pdf"


def _assert_helpful_404(client, url):
    response = client.get(url)
    assert response.status_code == 404, url
    assert HELPFUL_404 in response.content.decode(), url


def test_a_quarter_not_yet_begun_in_london_is_not_found(client, officer, monkeypatch):
    """23:30 on 31 March in London (22:30 UTC, summer time): Q1 2027/28 has not begun."""
    _urgent(cabinet_maker(), officer)
    _at(monkeypatch, "2027-03-31T22:30:00")
    for url in _quarter_urls("2027-28-q1") + _quarter_urls("2030-31-q2"):
        _assert_helpful_404(client, url)
    assert client.get(_quarter_urls("2026-27-q4")[0]).status_code == 200


@pytest.mark.pdf
def test_a_quarter_begun_in_london_but_not_in_utc_has_its_report(client, officer, monkeypatch):
    """00:30 on 1 April in London is still 31 March in UTC: Q1 2027/28 has begun, and its
    report says no special urgency decisions were taken (a nil report, not a 404)."""
    _urgent(cabinet_maker(), officer)
    _at(monkeypatch, "2027-03-31T23:30:00")
    page, report = _quarter_urls("2027-28-q1")
    response = client.get(page)
    assert response.status_code == 200
    assert "No key decisions were taken under special urgency in Q1 2027/28." in response.content.decode()
    response = client.get(report)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "No executive decisions were taken under special urgency in Q1 2027/28." in text_of(response)


def test_a_quarter_before_the_first_public_decision_is_not_found(client, officer):
    _urgent(cabinet_maker(), officer)  # 10 May 2026, the first public decision: Q1 2026/27
    for url in _quarter_urls("2025-26-q4") + _quarter_urls("2018-19-q1"):
        _assert_helpful_404(client, url)
    response = client.get(_quarter_urls("2026-27-q1")[0])
    assert response.status_code == 200 and "Emergency repairs to the Ribble bridge" in response.content.decode()


def test_a_part_ii_decision_does_not_open_earlier_quarters(client, officer):
    """The first public decision decides it: a withheld one of an earlier quarter does not
    make that quarter's report (and so its existence) public."""
    maker = cabinet_maker()
    _urgent(maker, officer)
    withheld = _urgent(maker, officer, reference="FP/U2", title=f"Settlement {MARKER}", decided=date(2026, 3, 10))
    Decision.objects.filter(pk=withheld.pk).update(
        access="exempt", exempt_paragraphs=1 << 2, public_interest_reasons="Commercial negotiations."
    )
    for url in _quarter_urls("2025-26-q4"):
        _assert_helpful_404(client, url)


def test_with_no_public_decision_only_the_current_quarter_has_a_report(client, monkeypatch):
    _at(monkeypatch, "2026-12-06T12:00:00")
    assert client.get(_quarter_urls("2026-27-q3")[0]).status_code == 200
    for url in _quarter_urls("2026-27-q2") + _quarter_urls("2026-27-q4"):
        _assert_helpful_404(client, url)


@pytest.mark.parametrize(
    "slug",
    ["2026-27-q5", "2026-27-q0", "0-01-q1", "0000-01-q1", "02026-27-q1", "2026-28-q1", "abcd-ef-q1", "2026-27-qa",
     "2026-27", "q1-2026-27", "2026-27-Q1", "2026-27-q1-q1"],
)  # fmt: skip
def test_an_address_that_names_no_quarter_is_not_found(client, officer, slug):
    """The old code printed a report for "02026-27-q1" (Q1 2026/27 under a second address);
    it already refused the others, kept here as a guard. An address with other characters
    than ASCII letters, digits, - and _ ("²026-27-q1") is refused by Django's slug converter
    before any of Quorum's code runs: test_a_year_of_other_digits_names_no_quarter is the
    test of from_slug's own refusal."""
    _urgent(cabinet_maker(), officer)
    for url in _quarter_urls(slug):
        _assert_helpful_404(client, url)


def test_quarters_sort_in_time_order():
    assert sorted([Quarter(2026, 1), Quarter(2025, 4), Quarter(2026, 3), Quarter(2025, 1)]) == [
        Quarter(2025, 1), Quarter(2025, 4), Quarter(2026, 1), Quarter(2026, 3)
    ]  # fmt: skip
    assert Quarter(2025, 4) < Quarter(2026, 1)


def test_a_year_of_other_digits_names_no_quarter():
    """The year "²026" is digits to str.isdigit() but not to int(): the old from_slug raised ValueError
    for it (a 500 for a caller that passes a slug the URL converter has not checked)."""
    assert Quarter.from_slug("²026-27-q1") is None
    assert Quarter.from_slug("٢٠٢٦-27-q1") is None  # Arabic-Indic digits, which int() reads
    assert Quarter.from_slug("2026-27-q1") == Quarter(2026, 1)


def test_the_public_page_lists_the_latest_quarter_first(client, officer):
    """A guard: the page lists the quarters latest first (the old code did too)."""
    maker = cabinet_maker()
    _urgent(maker, officer, reference="FP/U1", title="Earlier repairs", decided=date(2026, 3, 10))
    _urgent(maker, officer, reference="FP/U2", title="Later repairs", decided=date(2026, 5, 10))
    page = client.get(reverse("decisions:special-urgency")).content.decode()
    assert (
        page.index("Q1 2026/27")
        < page.index("Later repairs")
        < page.index("Q4 2025/26")
        < page.index("Earlier repairs")
    )

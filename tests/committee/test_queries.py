"""The report page, the search page and the open data API read in a fixed number of queries, whatever the
number of papers: a page that grows a query per appendix or per record is a page that
slows as the archive grows (docs/architecture.md, selectors own the prefetching)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from committee import services
from committee.models import Appendix, BackgroundPaper
from tests.factories import AgendaItemFactory, MeetingFactory, ReportFactory

pytestmark = pytest.mark.django_db

API_LISTS = ["/api/committees/", "/api/members/", "/api/meetings/", "/api/agenda-items/", "/api/documents/"]


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in captured.captured_queries]


def _report_with(committee, officer, papers: int):
    meeting = MeetingFactory(committee=committee)
    report = ReportFactory(agenda_item=AgendaItemFactory(meeting=meeting))
    for n in range(papers):
        Appendix.objects.create(
            report=report,
            letter=chr(ord("A") + n),
            title=f"Appendix {n}",
            kind=Appendix.Kind.RICH_TEXT,
            body="<p>Text</p>",
        )
        BackgroundPaper.objects.create(report=report, paper=f"Background {n}", contact="Democratic Services")
    services.meeting_publish_agenda(meeting=meeting, by=officer)
    return report


def test_the_report_page_reads_in_a_fixed_number_of_queries(client, committee, officer):
    small = _queries(client, _report_with(committee, officer, 1).get_absolute_url())
    large = _queries(client, _report_with(committee, officer, 6).get_absolute_url())
    assert len(large) == len(small), "\n".join(large)
    assert len(small) == EXPECTED_REPORT, "\n".join(small)


@pytest.mark.parametrize("url", API_LISTS)
def test_each_api_list_reads_in_a_fixed_number_of_queries(client, committee, officer, url):
    _report_with(committee, officer, 1)
    small = _queries(client, url)
    for _ in range(4):
        _report_with(committee, officer, 2)
    large = _queries(client, url)
    assert len(large) == len(small), "\n".join(large)


def test_the_search_page_reads_in_a_fixed_number_of_queries(client, committee, officer):
    # The page's results are loaded with their snippets, one query per kind of paper shown,
    # however many there are (up to the page's 20).
    _report_with(committee, officer, 1)
    small = _queries(client, "/search/?q=text")
    for _ in range(3):
        _report_with(committee, officer, 6)
    large = _queries(client, "/search/?q=text")
    assert len(large) == len(small), "\n".join(large)
    assert client.get("/search/?q=text").context["count"] == 19  # the appendices, 1 + 3 x 6


# 1: the report with its item, meeting, committee, venue and contact, through the gate;
# 2: its background papers; 3: the appendices the reader may read (through the gate).
EXPECTED_REPORT = 3

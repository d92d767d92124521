"""Public surfaces read reported reports through the one gate, suppress small counts, and
show status and direction in words; officers' surfaces show the figures."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from performance import services
from tests.factories import exempt
from tests.performance.factories import MeasureFactory, england, fy, presented_report, report_with, value

pytestmark = pytest.mark.django_db


@pytest.fixture
def measures():
    rate = MeasureFactory(
        code="csc-cp-plans", name="Number and rate of children with a child protection plan",
        unit="rate_10k", reports_count=True, polarity="low",
    )  # fmt: skip
    small = MeasureFactory(
        code="adoption-breakdowns", name="Adoption breakdowns", unit="count", polarity="low", decimal_places=0
    )
    value(rate, fy(2016), "57.5", 1, count=1412)
    value(rate, fy(2017), "50.4", 1, count=1243)
    england(rate, fy(2017), "43.3", 1)
    value(small, fy(2016), 6)
    value(small, fy(2017), 3)
    return rate, small


def urls(snapshot):
    return [
        snapshot.get_absolute_url(),
        reverse("performance:report-export", args=[snapshot.pk, "csv"]),
        reverse("performance:report-export", args=[snapshot.pk, "xlsx"]),
    ]


def test_unreported_reports_are_not_public(client, officer, measures):
    snapshot = services.performance_report_freeze(report=report_with(list(measures)))
    for url in urls(snapshot):
        assert client.get(url).status_code == 404
    client.force_login(officer)
    assert client.get(snapshot.get_absolute_url()).status_code == 200


def test_a_report_in_an_unpublished_agenda_is_not_public(client, committee, officer, measures):
    snapshot, _ = presented_report(committee, officer, list(measures), published=False)
    for url in urls(snapshot):
        assert client.get(url).status_code == 404
    assert "Number and rate of children" not in client.get(reverse("performance:index")).content.decode()
    measure_url = reverse("performance:measure-detail", args=[measures[0].pk])
    assert client.get(measure_url).status_code == 404


def test_a_part_ii_report_is_read_only_by_its_committee(
    client, committee, officer, councillor, other_councillor, measures
):
    snapshot, committee_report = presented_report(committee, officer, list(measures))
    exempt(committee_report.agenda_item, 2)
    for url in urls(snapshot):
        assert client.get(url).status_code == 404
    client.force_login(other_councillor)
    assert client.get(snapshot.get_absolute_url()).status_code == 404
    client.force_login(councillor)
    assert client.get(snapshot.get_absolute_url()).status_code == 200


def test_published_report_page_shows_tables_status_direction_and_trend(client, committee, officer, measures):
    snapshot, committee_report = presented_report(committee, officer, list(measures))
    page = client.get(snapshot.get_absolute_url()).content.decode()
    assert "1,412/57.5" in page and "1,243/50.4" in page and "43.3" in page
    assert "<caption>Children&#x27;s Social Care</caption>" in page
    assert '<th scope="col"' in page and '<th scope="row"' in page
    # Direction: 57.5 -> 50.4 where low is good: an improvement, in words beside the arrow.
    assert "Improving" in page
    # A trend chart per measure, as inline SVG with a text alternative.
    assert 'role="img" aria-label="Trend chart: 2016/17 1,412/57.5; 2017/18 1,243/50.4"' in page
    assert committee_report.get_absolute_url() in page  # where it was reported


def test_each_figure_carries_its_column_name_for_a_phone(client, committee, officer, measures):
    """On a phone the rows become blocks and each figure is shown after its column's name
    (data-label): on the report's own page and on the committee report it appendixes."""
    snapshot, committee_report = presented_report(committee, officer, list(measures))
    own_page = client.get(snapshot.get_absolute_url()).content.decode()
    assert '<td data-label="2016/17" >1,412/57.5</td>' in own_page
    assert '<td data-label="2017/18" class="col-latest">1,243/50.4</td>' in own_page
    assert '<td data-label="England Average" >43.3</td>' in own_page
    assert 'data-label="Direction of travel" class="col-direction"' in own_page
    appendix = client.get(committee_report.get_absolute_url()).content.decode()
    assert '<td data-label="2016/17">1,412/57.5</td>' in appendix
    assert '<td class="col-latest" data-label="2017/18">1,243/50.4</td>' in appendix
    assert '<td data-label="England Average">43.3</td>' in appendix


def test_the_report_page_has_contents_and_a_way_back_from_each_section(client, committee, officer, measures):
    snapshot, _ = presented_report(committee, officer, list(measures))
    page = client.get(snapshot.get_absolute_url()).content.decode()
    start = page.index('<nav class="contents"')
    contents = page[start : page.index("</nav>", start)]
    sections = re.findall(r'<section id="(section-\d+)" aria-labelledby="section-\d+-heading">', page)
    assert sections
    for anchor in ["how-to-read", *sections]:
        assert f'href="#{anchor}"' in contents
    assert page.count('<a href="#contents-heading">Back to contents</a>') == len(sections)
    assert '<p class="contents-link"><a href="#contents-heading">Contents</a></p>' in page


def test_small_counts_are_suppressed_on_every_public_surface(client, committee, officer, measures):
    snapshot, committee_report = presented_report(committee, officer, list(measures))
    explanation = "Counts below 5 are shown as"
    for url in (committee_report.get_absolute_url(), snapshot.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "fewer than 5" in page and explanation in page
        assert ">3<" not in page
    csv = client.get(urls(snapshot)[1]).content.decode()
    breakdowns = next(line for line in csv.splitlines() if "adoption-breakdowns" in line)
    assert "fewer than 5" in breakdowns and ",3," not in breakdowns
    book = openpyxl.load_workbook(io.BytesIO(client.get(urls(snapshot)[2]).content))
    values = [cell for row in book.active.iter_rows(values_only=True) for cell in row]
    assert "fewer than 5" in values and 3 not in values
    page = client.get(reverse("performance:measure-detail", args=[measures[1].pk])).content.decode()
    assert "fewer than 5" in page and "<td>3</td>" not in page


def test_officers_admin_shows_small_counts(client, officer, measures):
    client.force_login(officer)
    page = client.get(reverse("admin:performance_value_changelist") + "?q=adoption-breakdowns").content.decode()
    assert '<td class="field-figure">3</td>' in page
    page = client.get(reverse("performance:measure-detail", args=[measures[1].pk])).content.decode()
    assert "<td>3</td>" in page and "Officers' view" in page


def test_the_threshold_is_configurable(client, committee, officer, measures, settings):
    settings.QUORUM_SMALL_NUMBER_THRESHOLD = 2
    snapshot, _ = presented_report(committee, officer, list(measures))
    page = client.get(snapshot.get_absolute_url()).content.decode()
    assert "fewer than" not in page


def test_drafts_and_the_entry_grid_are_for_officers(client, author, officer, measures):
    report = report_with(list(measures))
    preview = reverse("performance:report-preview", args=[report.pk])
    entry = reverse("performance:entry-choose")
    assert client.get(preview).status_code == 302  # to sign in
    client.force_login(author)
    assert client.get(preview).status_code == 403 and client.get(entry).status_code == 403
    client.force_login(officer)
    page = client.get(preview).content.decode()
    assert "Draft: not reported" in page and "1,243/50.4" in page


def test_index_lists_published_reports_and_their_measures(client, committee, officer, measures):
    snapshot, _ = presented_report(committee, officer, list(measures))
    page = client.get(reverse("performance:index")).content.decode()
    assert snapshot.get_absolute_url() in page
    assert reverse("performance:measure-detail", args=[measures[0].pk]) in page
    assert "For officers" not in page

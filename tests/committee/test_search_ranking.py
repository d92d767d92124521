"""On PostgreSQL, common words are ranked over the best candidates found through the
`search_levels` index, not over every match: the results a reader sees (the first page of
20, the first two pages) must be the same, in the same order, as ranking every match with
ts_rank, newest first among equal ranks; page 2 of the search page continues that order.

The archive is the benchmark's own (bench/web/fill.py, a small scale, same seed), filled
once for this module and rolled back at the end."""

import re

import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from bench.web.corpus import COMMON_QUERY, RARE_QUERY
from committee.gate import Reader
from committee.models import Meeting, Report
from committee.portal.search import SOURCE_BY_KIND, SOURCES, _compiled, _stored_vector, search
from tests.factories import ReportFactory, at, exempt
from tests.module_data import kept_for_the_module

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ranking through the search indexes is PostgreSQL's"
)

# The benchmark's two queries, and common words of council papers (in the full archive each
# matches thousands of papers, hundreds of them many times over).
COMMON = [COMMON_QUERY, "budget", "performance", "highways maintenance", "consultation responses", "children"]
QUERIES = [*COMMON, RARE_QUERY]
# The queries that reach a candidate level at this scale (the others have too few rows where the
# words recur: they are ranked over every match, as the rare name is).
THROUGH_CANDIDATES = {COMMON_QUERY, "budget", "highways maintenance", "children"}
SCALE = 0.02  # 100 meetings, 400 reports, 2,000 appendix documents


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    from bench.web.fill import Filler

    with kept_for_the_module(django_db_blocker):
        filler = Filler(scale=SCALE, seed=2026, out=lambda line: None)
        filler.people()
        filler.committees()
        filler.meetings()
        filler.papers()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        yield


def every_match_ranked(query: str, limit: int) -> list[tuple[str, int]]:
    """The ranking before candidates: ts_rank over every readable match of every kind of
    paper, best first, newest first among equal ranks."""
    search_query = SearchQuery(query, search_type="websearch", config="english")
    found = []
    for order, source in enumerate(SOURCES):
        vector = _stored_vector(source.model)
        rows = (
            source.readable(Reader.public())
            .annotate(search_document=vector, rank=SearchRank(vector, search_query))
            .filter(search_document=search_query)
            .values_list("pk", "rank", f"{source.meeting}__starts_at")
        )
        found += [(-rank, -when.timestamp(), order, -pk, source.kind, pk) for pk, rank, when in rows]
    found.sort()
    return [(kind, pk) for *_, kind, pk in found[:limit]]


def ranked_through_candidates(query: str, limit: int) -> tuple[list[tuple[str, int]], bool]:
    with CaptureQueriesContext(connection) as queries:
        results = search(query=query, reader=Reader.public(), limit=limit).results
    used = any('"search_levels" @@' in q["sql"] and "ts_rank" in q["sql"] for q in queries.captured_queries)
    return [(r.kind, r.pk) for r in results], used


@pytest.mark.django_db
@pytest.mark.parametrize("limit", [20, 40], ids=["first page", "two pages"])
@pytest.mark.parametrize("query", QUERIES)
def test_the_results_are_those_of_ranking_every_match(archive, query, limit):
    expected = every_match_ranked(query, limit)
    found, through_candidates = ranked_through_candidates(query, limit)
    assert len(expected) == (limit if query in COMMON else len(expected))
    assert found == expected
    # Else this test would prove nothing about the candidates.
    assert through_candidates == (query in THROUGH_CANDIDATES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("asked", "shown_as", "first"),
    [("1", 1, 0), ("2", 2, 20), ("3", 3, 40), ("99", 5, 80), ("0", 5, 80), ("two", 1, 0)],
    ids=["page 1", "page 2", "page 3", "beyond the last", "below the first", "not a number"],
)
def test_each_page_continues_the_same_ranking(archive, client, asked, shown_as, first):
    """A page ranks only the results up to its end (page 1 the best 20): each page shows the
    results of ranking every match at its place, whatever page is asked for."""
    expected = [_shown(kind, pk) for kind, pk in every_match_ranked(COMMON_QUERY, 100)]
    page = client.get("/search/", {"q": COMMON_QUERY, "page": asked}).content.decode()
    assert "<h2>100 results</h2>" in page
    assert f"Page {shown_as} of 5" in page
    results = page.split('<ol class="results">')[1].split("</ol>")[0]
    links = re.findall(r'<li><a href="([^"#]*)[^"]*">([^<]*)</a>', results)
    assert links == expected[first : first + 20]


@pytest.mark.django_db
@pytest.mark.parametrize("query", QUERIES)
def test_the_count_is_of_every_readable_match_up_to_100(archive, client, query):
    """The count on the page is counted through the candidate levels, without ranking: it is
    the number of matches the reader may read, up to 100."""
    readable = len(every_match_ranked(query, 10**6))
    page = client.get("/search/", {"q": query}).content.decode()
    count = min(readable, 100)
    assert f"<h2>{count} result{'s' if count != 1 else ''}</h2>" in page


@pytest.mark.django_db
def test_the_count_is_right_whether_the_rows_ranked_over_hold_100_or_it_is_counted(archive, client):
    """Where the rows the ranking read hold 100 readable matches, the page says 100 without
    counting again; where they hold fewer (the gate, a rare word), the count query counts on.
    The benchmark's archive has questions of both kinds, and each count is right."""
    counted_again = {}
    for query in QUERIES:
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/search/", {"q": query}).content.decode()
        counted_again[query] = any(q["sql"].startswith("SELECT count(*) FROM (") for q in queries.captured_queries)
        count = min(len(every_match_ranked(query, 10**6)), 100)
        assert f"<h2>{count} result{'s' if count != 1 else ''}</h2>" in page, query
    assert not counted_again[COMMON_QUERY]
    assert any(counted_again.values()), counted_again


@pytest.mark.django_db
def test_papers_tied_at_the_highest_rank_are_listed_newest_first_though_below_the_level():
    """ts_rank of two words stops rising (a float) once they are next to each other often
    enough, so a newer paper saying "school transport" 60 times ties with older ones saying
    it 240 times: among equal ranks the newest comes first, though the older ones alone fill
    the level that holds the page's rows."""
    phrase = "School transport to the schools. " * 60
    older = [_public_report(phrase * 4, at(2019, 1, day)) for day in (1, 2, 3)]
    newer = _public_report(phrase, at(2020, 1, 1))
    expected = every_match_ranked(COMMON_QUERY, 2)
    assert expected == [("Report", newer.pk), ("Report", older[-1].pk)]
    found, through_candidates = ranked_through_candidates(COMMON_QUERY, 2)
    assert found == expected
    assert through_candidates  # the level was asked first


@pytest.mark.django_db
def test_part_ii_papers_at_the_level_are_not_counted_for_the_public(client, officer):
    """The count a page gives without counting again is of the rows the ranking read through
    the gate: 100 Part II papers at the same candidate level as 30 public ones are neither
    shown nor counted for the public (nor is their existence told by the count), and an
    officer, who reads them, is told of 100 at least. Words of their own, so that no other
    paper (the module's archive, if loaded) matches."""
    phrase = "Quillbrook ferries to the Quillbrook landing. " * 10
    for day in range(30):
        _public_report(phrase, at(2019, 1, 1 + day % 28))
    for day in range(100):
        exempt(_public_report(phrase, at(2019, 2, 1 + day % 28)).agenda_item, 3)
    page = client.get("/search/", {"q": "quillbrook ferries"}).content.decode()
    assert "<h2>30 results</h2>" in page
    client.force_login(officer)
    assert "<h2>100 results</h2>" in client.get("/search/", {"q": "quillbrook ferries"}).content.decode()


def _public_report(text: str, starts_at) -> Report:
    report = ReportFactory(executive_summary=f"<p>{text}</p>")
    Meeting.objects.filter(pk=report.agenda_item.meeting_id).update(starts_at=starts_at, agenda_published_at=starts_at)
    return report


def _shown(kind: str, pk: int) -> tuple[str, str]:
    """A result as the page lists it: its link (without the section) and its title."""
    source = SOURCE_BY_KIND[kind]
    row = source.model.objects.get(pk=pk)
    return source.url(row).split("#")[0], escape(source.title(row))


@pytest.mark.django_db
def test_new_words_are_searched_through_the_sql_built_for_earlier_ones(archive):
    """The ranking and counting SQL is built once for each shape of search (who reads, the
    filters, which kinds at a candidate level): the words and their levels are put in its
    place, so a question nobody asked before is not built again, and is answered for its own
    words and levels. "transport school" has the levels of "school transport" (the same
    rows), written in its own words."""
    _compiled.cache_clear()
    search(query=COMMON_QUERY, reader=Reader.public(), limit=20, count_to=100)
    built = _compiled.cache_info().misses
    words = " ".join(reversed(COMMON_QUERY.split()))
    results = search(query=words, reader=Reader.public(), limit=20, count_to=100).results
    assert _compiled.cache_info().misses == built
    assert [(r.kind, r.pk) for r in results] == every_match_ranked(words, 20)

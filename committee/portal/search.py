"""Search across reports (every section), agenda items, minutes and appendices (including
the text of uploaded PDFs).

PostgreSQL: full-text search (websearch syntax, English stemming) with ranking and
highlighted snippets. Common words are ranked over the best candidates found through an
index (`_candidate_levels`), not over every match. SQLite (the laptop demo): every word must appear, newest first, with a
simple excerpt. Either way every source is filtered through the gate in selectors, so a
snippet can only come from text the reader may read. The sources are one table (`SOURCES`).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, Count, Model, Q, QuerySet, TextField, Value, Window
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from committee import gate
from committee.gate import Reader
from committee.models import AgendaItem, Appendix, Minute, Report
from core.richtext import RichTextField, plain_text

MARK_START, MARK_END = "\x02", "\x03"  # never in council text; become <mark> after escaping
FIELD_END = "\x01"  # never in council text: ends the name of the text a snippet comes from
CUT = "\x04"  # never in council text: where the database left text out before or after a snippet
HTML_AROUND = 2000  # characters of a paper's HTML made plain around its first match, for a snippet
MAX_QUERY_LENGTH = 200
# The candidate levels of migration 0018: the `search_levels` column holds "word>L" for every
# word occurring at least L times in the row's text, eight levels to each doubling from 4 to
# 235 (PostgreSQL keeps 255 positions of a word at most). Highest first: the fewest
# candidates. The doublings (128, 64, ..., 4) are asked first, then the levels between the
# first doubling that holds enough rows and the one above.
LEVELS = tuple(sorted({round(4 * 2 ** (step / 8)) for step in range(48)}, reverse=True))
DOUBLINGS = tuple(level for level in LEVELS if level & (level - 1) == 0)
# ts_rank of several words is a float that stops rising here once they are next to each other
# often enough (about 150 close pairs: 40 uses of "school transport"): every such paper ties,
# however often it says them, so a candidate level no longer holds every paper of that rank.
SATURATED = 0.99999
# A query of plain words only (websearch_to_tsquery's text for `school transport` is
# `'school' & 'transport'`): no phrase, "or", "-word" or prefix.
_PLAIN_WORDS = re.compile(r"^'((?:[^']|'')+)'(?: & '((?:[^']|'')+)')*$")


@dataclass(frozen=True)
class SearchResult:
    kind: str
    pk: int
    title: str
    url: str
    snippet: SafeString
    when: datetime
    committee: str
    rank: float


@dataclass(frozen=True)
class Source:
    """One kind of paper that search covers: where its rows are, which texts are searched,
    the path to its meeting, and how a result is titled and linked. Which rows a reader may
    search is the gate's (`readable`)."""

    kind: str
    model: type[Model]
    fields: tuple[str, ...]
    meeting: str  # the path from the row to its Meeting
    gate_q: Callable[[Reader], Q]
    title: Callable[[Model], str]
    url: Callable[[Model], str]
    # The fields `title` and `url` read: with the meeting's start and the committee's name, all
    # a result loads of its row (`shown`). A field read but not listed costs a query a result.
    result_fields: tuple[str, ...]
    only_without_report: bool = False  # an item with a report is found through its report
    # Fields that are sections of the paper's page, each with its own anchor (the field's
    # name): a result links to the first section that matched, not the top of a long page.
    sections: tuple[str, ...] = ()

    @property
    def related(self) -> str:
        return f"{self.meeting}__committee"

    def readable(self, reader: Reader) -> QuerySet:
        qs = self.model._default_manager.filter(self.gate_q(reader))
        if not self.only_without_report:
            return qs
        if connection.vendor == "postgresql":
            return qs.filter(RawSQL(self.searched_rows, [], output_field=BooleanField()))  # noqa: S611 - a table name
        return qs.filter(report__isnull=True)

    @property
    def searched_rows(self) -> str:
        """PostgreSQL: SQL true of the rows this kind is searched in. An item with a report:
        the column the database keeps while a report points at it (migration 0019), which a
        partial index of the items without a report serves; asked as "no report row", every
        matching item was read and looked up in the reports."""
        return f'NOT "{self.model._meta.db_table}"."has_report"' if self.only_without_report else "true"


SOURCES = (
    Source(
        kind="Report",
        model=Report,
        fields=("title", *[name for name, _ in Report.SECTIONS]),
        meeting="agenda_item__meeting",
        gate_q=gate.report_q,
        title=lambda row: row.title,
        url=lambda row: row.get_absolute_url(),
        result_fields=("title",),
        sections=tuple(name for name, _ in Report.SECTIONS),
    ),
    Source(
        kind="Agenda item",
        model=AgendaItem,
        fields=("title", "standing_text"),
        meeting="meeting",
        gate_q=gate.item_q,
        title=lambda row: f"{row.number}. {row.title}",
        url=lambda row: row.get_absolute_url(),
        result_fields=("number", "title"),
        only_without_report=True,
    ),
    Source(
        kind="Minutes",
        model=Minute,
        fields=("text", "resolution"),
        meeting="agenda_item__meeting",
        gate_q=gate.minute_q,
        title=lambda row: f"Minute {row.agenda_item.number}: {row.agenda_item.title}",
        url=lambda row: row.agenda_item.meeting.get_absolute_url() + "#minutes",
        result_fields=("agenda_item__number", "agenda_item__title"),
    ),
    Source(
        kind="Appendix",
        model=Appendix,
        # Structured appendices are searched by the text of their frozen data (document_text).
        fields=("title", "body", "document_text"),
        meeting="report__agenda_item__meeting",
        gate_q=gate.appendix_q,
        title=lambda row: f"{row}, {row.report.title}",
        url=lambda row: row.report.get_absolute_url() + (f"#appendix-{row.letter}" if row.letter else ""),
        result_fields=("letter", "title", "report__title"),
    ),
)
SOURCE_BY_KIND = {source.kind: source for source in SOURCES}


@dataclass(frozen=True)
class Hit:
    """A ranked row on PostgreSQL, not yet loaded: the search page loads only the hits of the
    page it shows (`shown`)."""

    kind: str
    pk: int
    rank: float
    when: datetime


@dataclass(frozen=True)
class Found:
    """The best results of a search, and how many results the reader may read in all (up to
    the number the search was asked to count to). For Django's Paginator it is a sequence of
    `count` results of which the first `len(results)` are known: the pages up to the one
    asked for."""

    results: list[Hit] | list[SearchResult]
    count: int

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):
        return self.results[index]


def search(
    *,
    query: str,
    reader: Reader,
    committee_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 30,
    count_to: int = 0,
) -> Found:
    """The best `limit` results, best first (on PostgreSQL ranked hits, which `shown` turns
    into results for the page; on SQLite the results themselves), and how many results the
    reader may read, counted up to `count_to` (or `limit`, if more).

    PostgreSQL: the query's words, then (plain words) which candidate level of each kind
    holds `limit` rows, and which `count_to`, then one query ranking every kind of paper that
    has a match (each over its candidate level; a kind the gate leaves with too few rows
    there is ranked again a level about half as high, then over every match), then, if there
    are `limit` results and the rows ranked over hold fewer than `count_to`, one query
    counting them the same way, without ranking. SQLite: one query per source."""
    query = _cleaned(query)
    count_to = max(count_to, limit)
    if not query:
        return Found([], 0)
    asked = _Asked(reader, committee_id, date_from, date_to)
    if connection.vendor != "postgresql":
        results: list[SearchResult] = []
        for source in SOURCES:
            qs = asked.readable(source).select_related(source.related)
            results += [_result(source, *found) for found in _fallback(qs, source, query, count_to)]
        results.sort(key=lambda r: (-r.rank, -r.when.timestamp()))
        return Found(results[:limit], len(results[:count_to]))
    levels = _candidate_levels(query, limit, count_to)
    # Each kind's conditions, in turn: its candidate levels, then every match (None).
    ranked = [(order, [*levels[s.kind][0], None]) for order, s in enumerate(SOURCES) if s.kind in levels]
    counted = [(order, [*levels[s.kind][1], None]) for order, s in enumerate(SOURCES) if s.kind in levels]
    hits, ranked_over = _best(asked, query, ranked, limit)
    if len(hits) < limit or count_to == limit:
        return Found(hits, len(hits))  # every readable result is ranked
    if ranked_over >= count_to:
        # The readable rows ranked over are matches (a candidate level is one): there are
        # at least `count_to`, all a count would say. Common words end here, one query fewer.
        return Found(hits, count_to)
    return Found(hits, _count(asked, query, counted, count_to))


# The search's ranking and counting SQL is built by the ORM once for each shape of search
# (who reads, the filters, which kinds at which conditions, how many rows) and kept: building
# four querysets with the gate's joins, their union, and compiling it cost more of a search's
# time than PostgreSQL's running it. What varies within a shape (the query, each kind's
# candidate level) is compiled as a marker and put in its place at each search (`_Asked.run`).
QUERY = "\x00the query\x00"
LEVEL = tuple(f"\x00the level of {source.kind}\x00" for source in SOURCES)


@dataclass(frozen=True)
class _Asked:
    """Who reads a search, and its filters: what its rows are read through (the same for every
    question, so the key of the SQL kept for a shape, `_compiled`)."""

    reader: Reader
    committee_id: int | None
    date_from: date | None
    date_to: date | None

    def readable(self, source: Source) -> QuerySet:
        """A kind's rows the reader may read (the gate), within the search's filters."""
        qs = source.readable(self.reader)
        if self.committee_id is not None:
            qs = qs.filter(**{f"{source.meeting}__committee_id": self.committee_id})
        if self.date_from is not None:
            qs = qs.filter(**{f"{source.meeting}__starts_at__date__gte": self.date_from})
        if self.date_to is not None:
            qs = qs.filter(**{f"{source.meeting}__starts_at__date__lte": self.date_to})
        return qs

    def run(self, query: str, purpose: str, parts: tuple[tuple[int, str | None], ...], rows: int) -> list[tuple]:
        """The rows of `_compiled(purpose, ...)` for each kind (its place in SOURCES) at its
        condition (a level's query, or None for every match), the markers replaced by the
        query and the levels."""
        shape = tuple((order, level is not None) for order, level in parts)
        zone = timezone.get_current_timezone_name()  # the date filters compile in it
        compiled = _compiled(purpose, self, zone, shape, rows)
        if compiled is None:
            return [] if purpose == "rank" else [(0,)]
        sql, params = compiled
        values = {QUERY: query} | {LEVEL[order]: level for order, level in parts}
        with connection.cursor() as cursor:
            cursor.execute(sql, [values.get(param, param) if isinstance(param, str) else param for param in params])
            return cursor.fetchall()


@lru_cache(maxsize=512)
def _compiled(
    purpose: str, asked: _Asked, zone: str, shape: tuple[tuple[int, bool], ...], rows: int
) -> tuple[str, tuple] | None:
    """SQL and its parameters (markers where the query and the levels go) for one shape of
    search, or None where the gate and the filters leave nothing to ask: `purpose` "rank"
    gives each kind's best `rows` as (rank, meeting's start, pk, kind, how many readable rows
    the kind was ranked over), "count" how many rows there are up to `rows`. `shape`: each kind (its place in SOURCES) and whether it is asked
    at a candidate level (a marker: which level is the search's, not the shape's) or over
    every match. `zone`: the time zone the date filters compile in. Keyed by the reader: the
    gate (Source.readable) is a function of the reader alone (tests/committee/test_gate.py
    holds it to that)."""
    built = []
    for order, at_level in shape:
        source = SOURCES[order]
        qs = asked.readable(source)
        condition = _at_level(source.model._meta.db_table, LEVEL[order]) if at_level else _every_match(QUERY)
        if purpose == "rank":
            built.append(_ranked(qs, source, QUERY, order).filter(condition)[:rows])
        else:
            built.append(_matched(qs).filter(condition))
    found = built[0].union(*built[1:], all=True) if len(built) > 1 else built[0]
    try:
        if purpose == "rank":
            return found.query.sql_with_params()  # the columns in `_ranked`'s order
        sql, params = found[:rows].query.sql_with_params()
    except EmptyResultSet:  # a condition that can hold for no row (the ORM asks nothing)
        return None
    return f"SELECT count(*) FROM ({sql}) AS counted", params  # noqa: S608 - SQL built here


def _cleaned(query: str) -> str:
    """A query as it is searched and its matches marked: spaces collapsed, cut to a length."""
    return " ".join(query.split())[:MAX_QUERY_LENGTH]


def _ranked(qs: QuerySet, source: Source, query: str, order: int) -> QuerySet:
    """A kind's rows as (rank, meeting's start, pk, kind, how many rows were ranked), best
    first, newest first among equal ranks (then the latest row), so the order is the same on
    every request and across the candidate levels. Which rows: `_best` filters them (a
    candidate level, or every match). How many: counted over every row ranked, before the
    limit (PostgreSQL reads them all to sort them): the search's count, when it is enough."""
    vector = _stored_vector(qs.model)
    return (
        qs.annotate(
            search_document=vector,
            rank=SearchRank(vector, _websearch(query)),
            kind_order=Value(order),
            ranked_over=Window(Count("*")),
        )
        .order_by("-rank", f"-{source.meeting}__starts_at", "-pk")
        .values_list("rank", f"{source.meeting}__starts_at", "pk", "kind_order", "ranked_over")
    )


def _matched(qs: QuerySet) -> QuerySet:
    """A kind's rows, unranked, unordered: for counting them."""
    return qs.annotate(search_document=_stored_vector(qs.model)).order_by().values_list("pk")


Conditions = list[tuple[int, list[str | None]]]  # each kind (its place in SOURCES), its conditions in turn


def _count(asked: _Asked, query: str, counted: Conditions, count_to: int) -> int:
    """How many rows of every kind there are, up to `count_to`, in one query: each kind through
    its candidate doubling, the kinds counted over every match last, so that PostgreSQL stops
    reading once `count_to` are found. Fewer than that: every kind not yet counted over every
    match is counted again through its next condition (the doubling below, then every match)."""
    tried = dict.fromkeys((order for order, _ in counted), 0)
    while True:
        # The kinds at their last condition (every match) last.
        parts = sorted(
            ((order, conditions[tried[order]]) for order, conditions in counted), key=lambda part: part[1] is None
        )
        [(count,)] = asked.run(query, "count", tuple(parts), count_to)
        lower = [order for order, conditions in counted if tried[order] < len(conditions) - 1]
        if count >= count_to or not lower:
            return count
        for order in lower:
            tried[order] += 1


def _every_match(query: str) -> Q:
    """The @@ match of the query on the row's stored vector, as `_ranked` annotates it (a rank
    above 0 alone is not a match)."""
    return Q(search_document=_websearch(query))


def _websearch(query: str) -> SearchQuery:
    """The query as a reader types it (websearch syntax: quotes, "or", "-word"), English stemming."""
    return SearchQuery(query, search_type="websearch", config="english")


def _best(asked: _Asked, query: str, ranked: Conditions, limit: int) -> tuple[list[Hit], int]:
    """The best `limit` hits of every kind, and how many readable rows they were ranked
    over. Each kind is ranked over its candidate level, all kinds in one query; a kind left
    with fewer than `limit` readable rows there (the gate, the filters) is ranked again at
    its next level, then over every match (the last of its conditions), and a kind whose
    last candidate ranks at the ceiling (`SATURATED`) over every match at once. A candidate
    level is a match already: every word of the query occurs there, L times or more; asking the @@ match as well made PostgreSQL read the whole index of a
    common word (7 ms of 8,000 appendices for "school transport") and each candidate's vector
    once more before ranking it."""
    conditions = dict(ranked)
    tried = dict.fromkeys(conditions, 0)
    rows: dict[int, list[tuple]] = {}
    while tried:
        found = asked.run(query, "rank", tuple((order, conditions[order][at]) for order, at in tried.items()), limit)
        for order in tried:
            rows[order] = [row for row in found if row[3] == order]
        again = {}
        for order, at in tried.items():
            if at == len(conditions[order]) - 1:
                continue  # ranked over every match
            if len(rows[order]) < limit:
                again[order] = at + 1  # too few readable at this level: the next one down
            elif min(row[0] for row in rows[order]) >= SATURATED:
                # The last candidate ties at the highest rank: so may papers below the level,
                # and among equal ranks the newest come first, wherever they are.
                again[order] = len(conditions[order]) - 1
        tried = again
    # Best first, newest first among equal ranks, then the earlier kind, then the latest row.
    hits = sorted(
        (row for found in rows.values() for row in found), key=lambda r: (-r[0], -r[1].timestamp(), r[3], -r[2])
    )
    ranked_over = sum(found[0][4] for found in rows.values() if found)
    return [Hit(SOURCES[order].kind, pk, rank, when) for rank, when, pk, order, _ in hits[:limit]], ranked_over


def _long(source: Source) -> list[str]:
    """The long texts of a paper: all it is searched by but its title."""
    return [name for name in source.fields if name != "title" and "__" not in name]


def _stored_vector(model) -> RawSQL:
    """The row's `search_vector`: a column PostgreSQL computes and stores whenever the row is
    written (GENERATED ... STORED, migration 0004_search_indexes), with a GIN index on it.
    The models do not declare it: it exists on PostgreSQL only."""
    return RawSQL(f'"{model._meta.db_table}"."search_vector"', [], output_field=SearchVectorField())  # noqa: S611 - a table name, no input


def _plain_words(query: str) -> list[str]:
    """The words (lexemes) of a query that is plain words only, else none."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT websearch_to_tsquery('english', %s)::text", [query])
        (text,) = cursor.fetchone()
    if not _PLAIN_WORDS.match(text):
        return []
    return [word.replace("''", "'") for word in re.findall(r"'((?:[^']|'')+)'", text)]


def _candidate_levels(query: str, limit: int, count_to: int) -> dict[str, tuple[list[str], list[str]]]:
    """For each kind of paper with a match at all (the others are absent): the conditions to
    rank its best `limit` rows through and those to count its rows (up to `count_to`)
    through, each keeping only the rows where every word of the query occurs at least L
    times; none for a query that is not plain words.

    Ranking costs each candidate (ts_rank pairs the positions of the words: about 6
    microseconds a row for two common words in the benchmark's appendices, and the gate's
    joins as much again), so it asks for the highest level holding `limit` rows and a quarter more (the
    gate and the filters may leave fewer readable), then, if the gate left too few there, the
    level the count goes through. Counting costs little a row, so it asks only for the
    highest doubling holding `count_to` rows (it holds up to twice as many as it needs, a
    margin for the gate), then the doubling below.

    Why the results are the same as ranking every match: ts_rank of one word grows with how
    often the word occurs, so every row where it occurs L times or more ranks above every row
    where it occurs fewer times; if `limit` readable rows reach level L, the best `limit` are
    among them. For several words ts_rank grows with how often they occur near each other,
    which needs each of them to occur often: a row left out could only rank above the
    candidates if one of the words were rare in it yet next to the others many times.
    tests/committee/test_search_ranking.py compares the two on the benchmark's archive."""
    words = _plain_words(query)
    tables = [source.model._meta.db_table for source in SOURCES]
    asked = {level: _level_query(words, level) for level in LEVELS} if words else {}
    # One round trip for every kind, through the indexes only: whether any row matches, the
    # doubling for the count and the level for the ranking.
    exists = """EXISTS (SELECT FROM "{}" WHERE {} AND "search_vector" @@ websearch_to_tsquery('english', %s))"""
    columns, params = [], []
    for source, table in zip(SOURCES, tables, strict=True):
        columns.append(exists.format(table, source.searched_rows))
        params.append(query)
        if words:
            for sql, values in (
                _highest(table, asked, count_to),
                _highest(table, asked, limit + limit // 4, fine=True),
            ):
                columns.append(sql)
                params += values
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)  # noqa: S608 - table names
        answers = iter(cursor.fetchone())
    found = {}
    for source in SOURCES:
        matched = next(answers)
        doubling, level = (next(answers), next(answers)) if words else (None, None)
        if not matched:
            continue
        # Ranked through its level, then the count's doubling where it is lower (it holds
        # more rows); counted through the doubling, then the one below it.
        rank_at = [level] if level else []
        if doubling and (level is None or doubling < level):
            rank_at.append(doubling)
        count_at = [lower for lower in DOUBLINGS if doubling and lower <= doubling][:2]
        found[source.kind] = ([asked[at] for at in rank_at], [asked[at] for at in count_at])
    return found


def _highest(table: str, asked: dict[int, str], rows: int, *, fine: bool = False) -> tuple[str, list]:
    """SQL: the highest doubling of a table holding `rows` rows, or NULL; `fine`: the highest
    level, found by asking the doublings first, then, highest first, the levels between the
    first doubling holding enough and the one above (at most 13 questions of the index, not
    43). `asked` is the query of each level. Each table's question is one correlated subquery
    over an array of levels (its ordinality keeps them highest first, so LIMIT 1 stops at the
    first holding enough), planned once: a CASE with a subquery for each level had every one
    of them planned at each search (over a hundred, tens of milliseconds), though few run. A
    count stops at `rows`, all it needs to know; counting a common word's rows at the low
    levels is what costs."""
    holds = (
        f'(SELECT count(*) FROM (SELECT FROM "{table}" WHERE "search_levels" @@ asked.query LIMIT %s) AS rows) >= %s'  # noqa: S608 - a table name
    )
    first = "(SELECT level FROM unnest(%s::tsquery[], %s::int[]) WITH ORDINALITY AS asked(query, level, n) WHERE {} ORDER BY n LIMIT 1)"
    doubling = first.format(holds), [[asked[level] for level in DOUBLINGS], list(DOUBLINGS), rows, rows]
    if not fine:
        return doubling
    between = f"asked.level < 2 * {doubling[0]} AND {holds}"
    return first.format(between), [list(asked.values()), list(asked), *doubling[1], rows, rows]


def _at_level(table: str, level_query: str) -> RawSQL:
    """The condition of a candidate level: every word of the query that many times or more."""
    condition = f'"{table}"."search_levels" @@ %s::tsquery'
    return RawSQL(condition, [level_query], output_field=BooleanField())  # noqa: S611 - a table name


def _level_query(words: list[str], level: int) -> str:
    """tsquery text: every word at `level` or more."""
    return " & ".join(_quoted(f"{word}>{level}") for word in words)


def _quoted(lexeme: str) -> str:
    """A lexeme as tsquery text takes it literally."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def shown(items: list, query: str, *, reader: Reader) -> list[SearchResult]:
    """The results of the page shown. On PostgreSQL the hits' rows, read through the gate
    again, one query per kind of paper on the page, each with its snippet: ts_headline (the
    costly part) over the first section that matches only, which is also where the result's
    link opens. On SQLite the search already made the results."""
    if connection.vendor != "postgresql" or not items:
        return items
    query = _cleaned(query)
    rows = {}
    for kind in sorted({hit.kind for hit in items}):
        source = SOURCE_BY_KIND[kind]
        found = (
            source.readable(reader)
            .filter(pk__in=[hit.pk for hit in items if hit.kind == kind])
            .select_related(source.related)
            # Only what the page shows: every column of the reports, items, meetings and
            # committees (45, not 10) cost about 0.6 ms more of the page's CPU. In no order:
            # the hits give it.
            .only(*source.result_fields, f"{source.meeting}__starts_at", f"{source.related}__name")
            .order_by()
            .annotate(found=_first_match(source, query))
        )
        rows |= {(kind, row.pk): row for row in found}
    results = []
    for hit in items:
        row = rows.get((hit.kind, hit.pk))
        if row is None:
            continue  # withdrawn or made Part II since it was ranked
        field, _, snippet = row.found.partition(FIELD_END)
        source = SOURCE_BY_KIND[hit.kind]
        section = field if field in source.sections else ""
        results.append(_result(source, row, _snippet_html(_highlighted(snippet)), hit.rank, section))
    return results


def _first_match(source: Source, query: str) -> RawSQL:
    """The name of the first of a paper's sections (in page order) that matches on its own,
    then FIELD_END, then the HTML around that section's first match, every match marked by
    ts_headline (the stemming is PostgreSQL's; `_highlighted` cuts the excerpt, which costs
    less than ts_headline's choice of fragments). A paper without sections, or that only
    matches as a whole (its title alone, or the words in different sections), gives its whole
    text: one headline, no test of each text, as an appendix's text from a PDF can be a
    megabyte. Only the HTML around the first mark comes back (`_around`), not the whole text.
    Written as SQL: built from Django's expressions, compiling it cost more than running it."""
    table = source.model._meta.db_table
    tsquery = "websearch_to_tsquery('english', %s)"
    options = f"StartSel='{MARK_START}', StopSel='{MARK_END}', HighlightAll=true"
    headline = f"ts_headline('english', {{}}, {tsquery}, %s)"
    whole = " || ' \n ' || ".join(_as_html(source, table, name) for name in source.fields)
    sql, params = "", []
    for name in source.sections:
        text = f"""COALESCE("{table}"."{name}", '')"""
        # An empty section is left out: a query of "-words" only would match it, and the
        # page has no such section to open at.
        sql += f" WHEN {text} <> '' AND to_tsvector('english', {text}) @@ {tsquery} THEN %s || {_around(headline.format(text))}"
        params += [query, name + FIELD_END, query, options]
    sql += f" {'ELSE' if sql else ''} %s || {_around(headline.format(whole))}"
    params += [FIELD_END, query, options]
    sql = f"CASE {sql} END" if source.sections else sql
    return RawSQL(sql, params, output_field=TextField())  # noqa: S611 - field names from SOURCES, the query a parameter


def _around(marked: str) -> str:
    """SQL: the part of a marked text from HTML_AROUND characters before its first mark to
    twice that after, with CUT at either end where text was left out."""
    return f"""(SELECT (CASE WHEN start > 1 THEN '{CUT}' ELSE '' END) || substr(marked, start, {3 * HTML_AROUND})
        || (CASE WHEN start + {3 * HTML_AROUND} <= length(marked) THEN '{CUT}' ELSE '' END)
        FROM (SELECT marked, greatest(strpos(marked, '{MARK_START}') - {HTML_AROUND}, 1) AS start
              FROM (SELECT {marked} AS marked OFFSET 0) AS headline OFFSET 0) AS cut)"""  # noqa: S608 - constants and SQL built here, no input


def _as_html(source: Source, table: str, name: str) -> str:
    """SQL: a text of the row as HTML. A plain text (a title, the text of a PDF) is escaped,
    so that a "<" in it is not taken for the start of a tag when the snippet is made plain."""
    text = f"""COALESCE("{table}"."{name}", '')"""
    if name in _rich(source):
        return text
    return f"replace(replace(replace({text}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"


def _rich(source: Source) -> set[str]:
    """The fields of a source that hold HTML (the others are plain text)."""
    return {name for name in source.fields if isinstance(source.model._meta.get_field(name), RichTextField)}


def _to_section(url: str, section: str) -> str:
    return f"{url}#{section}" if section else url


def _fallback(qs: QuerySet, source: Source, query: str, limit: int):
    words = [w for w in re.split(r"\W+", query) if w]
    for word in words:
        match = Q()
        for name in source.fields:
            match |= Q(**{f"{name}__icontains": word})
        qs = qs.filter(match)
    rows = []
    phrase = " ".join(words).lower()
    rich = _rich(source)  # a plain text (the text of a PDF) is not made plain again: "<" is no tag
    for row in qs.order_by(f"-{source.meeting}__starts_at")[:limit]:
        texts = {name: str(_value(row, name) or "") for name in source.fields}
        texts = {name: plain_text(text) if name in rich else text for name, text in texts.items()}
        text = " ".join(texts.values())
        # The whole phrase ranks above its words scattered through the text.
        rank = 2.0 if phrase in " ".join(re.split(r"\W+", text.lower())) else 1.0
        shown = [phrase] if rank > 1 else words
        # As on PostgreSQL: the excerpt and the link come from the first section (text) that
        # holds the words on its own, else from the whole text.
        field = next((name for name in _long(source) if all(w.lower() in texts[name].lower() for w in shown)), "")
        excerpt = _excerpt(texts[field] if field else text, shown)
        rows.append((row, _snippet_html(excerpt), rank, field if field in source.sections else ""))
    return rows


def _value(row, path: str):
    for part in path.split("__"):
        row = getattr(row, part)
    return row


def _excerpt(text: str, words: list[str]) -> str:
    """SQLite: the plain text around the first of the words, with every one marked."""
    for word in words:
        text = re.sub(f"({re.escape(word)})", f"{MARK_START}\\1{MARK_END}", text, flags=re.IGNORECASE)
    return _window(text)


def _highlighted(html: str) -> str:
    """PostgreSQL: the plain text around the first match of a text in which ts_headline marked
    every match (so stemmed words are marked as the search matched them). Only the HTML near
    the first match came from the database (`_around`) and is made plain: a paper can be long."""
    cut_before, cut_after = html.startswith(CUT), html.endswith(CUT)
    html = html.strip(CUT)
    first = max(html.find(MARK_START), 0)
    low, high = max(first - HTML_AROUND, 0), first + 2 * HTML_AROUND
    close, opening = html.find(">", low), html.find("<", low)
    if html.rfind("<", 0, low) >= html.rfind(">", 0, low) and close != -1 and (opening == -1 or close < opening):
        low = close + 1  # not from inside a tag (cut by the database or here)
    if html.rfind("<", low, high) > html.rfind(">", low, high):
        high = html.rfind("<", low, high)
    return _window(
        plain_text(html[low:high]), cut_before=low > 0 or cut_before, cut_after=high < len(html) or cut_after
    )


def _window(text: str, width: int = 90, *, cut_before: bool = False, cut_after: bool = False) -> str:
    """About three `width`s of characters from `width` before the first marked word, cut
    between words, with an ellipsis where text was left out."""
    text = " ".join(text.split())
    first = max(text.find(MARK_START), 0)
    start, end = max(first - width, 0), first + 2 * width
    if start:
        start = text.find(" ", start, first) + 1 or start
    if end < len(text) and (cut := text.rfind(" ", first, end)) > first:
        end = cut  # after the first marked word, which has no space
    excerpt = text[start:end]
    if excerpt.count(MARK_START) > excerpt.count(MARK_END):
        excerpt += MARK_END  # a marked word cut short
    before = "… " if start or cut_before else ""
    return before + excerpt + (" …" if end < len(text) or cut_after else "")


def _snippet_html(plain: str) -> SafeString:
    """A snippet is plain text with the matches marked."""
    marked = re.sub(f"{MARK_START}([^{MARK_END}]*){MARK_END}", "<mark>\\1</mark>", escape(plain))
    return mark_safe(marked.replace(MARK_START, "").replace(MARK_END, ""))  # noqa: S308 - escaped above


def _result(source: Source, row, snippet: SafeString, rank: float, section: str) -> SearchResult:
    meeting = _value(row, source.meeting)
    return SearchResult(
        source.kind,
        row.pk,
        source.title(row),
        _to_section(source.url(row), section),
        snippet,
        meeting.starts_at,
        meeting.committee.name,
        rank,
    )

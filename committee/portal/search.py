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
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorExact,
    SearchVectorField,
)
from django.db import connection
from django.db.models import BooleanField, Case, CharField, F, Model, Q, QuerySet, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from committee import gate
from committee.gate import Reader
from committee.models import AgendaItem, Appendix, Minute, Report
from core.richtext import plain_text

MARK_START, MARK_END = "\x02", "\x03"  # never in council text; become <mark> after escaping
MAX_QUERY_LENGTH = 200
# The candidate levels of migration 0017: the `search_levels` column holds "word>L" for every
# word occurring at least L times in the row's text. Highest first: the fewest candidates.
LEVELS = (128, 64, 32, 16, 8, 4)
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
    only_without_report: bool = False  # an item with a report is found through its report
    # Fields that are sections of the paper's page, each with its own anchor (the field's
    # name): a result links to the first section that matched, not the top of a long page.
    sections: tuple[str, ...] = ()

    @property
    def related(self) -> str:
        return f"{self.meeting}__committee"

    def readable(self, reader: Reader) -> QuerySet:
        qs = self.model._default_manager.filter(self.gate_q(reader))
        return qs.filter(report__isnull=True) if self.only_without_report else qs


SOURCES = (
    Source(
        kind="Report",
        model=Report,
        fields=("title", *[name for name, _ in Report.SECTIONS]),
        meeting="agenda_item__meeting",
        gate_q=gate.report_q,
        title=lambda row: row.title,
        url=lambda row: row.get_absolute_url(),
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
    ),
)
SOURCE_BY_KIND = {source.kind: source for source in SOURCES}


def search(
    *,
    query: str,
    reader: Reader,
    committee_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 30,
) -> list[SearchResult]:
    """Up to `limit` results, best first. On PostgreSQL: the query's words, then (plain words)
    how many rows each candidate level holds, then per source a ranking over a level (a second,
    lower level if the gate leaves too few, then every match), then one query per kind of
    result kept to load its rows. On SQLite one query per source."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        return []
    postgres = connection.vendor == "postgresql"
    candidates = _candidate_levels(query, limit) if postgres else {}
    results: list[SearchResult] = []
    hits = []
    for order, source in enumerate(SOURCES):
        qs = source.readable(reader)
        if committee_id is not None:
            qs = qs.filter(**{f"{source.meeting}__committee_id": committee_id})
        if date_from is not None:
            qs = qs.filter(**{f"{source.meeting}__starts_at__date__gte": date_from})
        if date_to is not None:
            qs = qs.filter(**{f"{source.meeting}__starts_at__date__lte": date_to})
        if postgres:
            ranked = _postgres(qs, source, query, candidates.get(source.kind, []), limit)
            hits += [(-rank, -when.timestamp(), order, -pk, rank) for rank, when, pk in ranked]
        else:
            rows = _fallback(qs.select_related(source.related), source, query, limit)
            results += [_result(source, *found) for found in rows]
    if postgres:
        # Best first, newest first among equal ranks; only the rows kept are loaded.
        hits = sorted(hits)[:limit]
        return _loaded(hits, reader)
    results.sort(key=lambda r: (-r.rank, -r.when.timestamp()))
    return results[:limit]


def _loaded(hits: list[tuple], reader: Reader) -> list[SearchResult]:
    """The results for the ranked rows, one query per kind of paper (through the gate)."""
    rows = {}
    for order, source in enumerate(SOURCES):
        pks = [-pk for _, _, kind, pk, _ in hits if kind == order]
        if pks:
            found = source.readable(reader).filter(pk__in=pks).select_related(source.related).defer(*_long(source))
            rows |= {(order, row.pk): row for row in found}
    return [
        _result(SOURCES[order], rows[(order, -pk)], mark_safe(""), rank, "")  # snippets: with_snippets
        for _, _, order, pk, rank in hits
        if (order, -pk) in rows  # withdrawn or made Part II between the two queries
    ]


def _long(source: Source) -> list[str]:
    """The long texts: searched in the database, never shown, so never loaded."""
    return [name for name in source.fields if name != "title" and "__" not in name]


def _document(fields: tuple[str, ...]):
    parts = []
    for name in fields:
        parts += [Coalesce(F(name), Value(""), output_field=TextField()), Value(" \n ")]
    return Concat(*parts, output_field=TextField())


def _stored_vector(model) -> RawSQL:
    """The row's `search_vector`: a column PostgreSQL computes and stores whenever the row is
    written (GENERATED ... STORED, migration 0004_search_indexes), with a GIN index on it.
    The models do not declare it: it exists on PostgreSQL only."""
    return RawSQL(f'"{model._meta.db_table}"."search_vector"', [], output_field=SearchVectorField())  # noqa: S611 - a table name, no input


def _postgres(qs: QuerySet, source: Source, query: str, levels: list[RawSQL], limit: int):
    """The best `limit` rows: (rank, meeting's start, pk), best first, newest first among
    equal ranks (then the latest row), so the order is the same on every request and across
    the candidate levels."""
    search_query = SearchQuery(query, search_type="websearch", config="english")
    vector = _stored_vector(qs.model)
    qs = (
        qs.annotate(search_document=vector, rank=SearchRank(vector, search_query))
        .filter(search_document=search_query)  # the @@ match; a rank above 0 alone is not a match
        .order_by("-rank", f"-{source.meeting}__starts_at", "-pk")
        .values_list("rank", f"{source.meeting}__starts_at", "pk")
    )
    for candidates in levels:
        rows = list(qs.filter(candidates)[:limit])
        if len(rows) == limit:  # enough readable rows at this level: the best are among them
            return rows
    return list(qs[:limit])


def _plain_words(query: str) -> list[str]:
    """The words (lexemes) of a query that is plain words only, else none."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT websearch_to_tsquery('english', %s)::text", [query])
        (text,) = cursor.fetchone()
    if not _PLAIN_WORDS.match(text):
        return []
    return [word.replace("''", "'") for word in re.findall(r"'((?:[^']|'')+)'", text)]


def _candidate_levels(query: str, limit: int) -> dict[str, list[RawSQL]]:
    """For each kind of paper, conditions that keep only the rows where every word of the
    query occurs at least L times: for the two highest levels L that the index says have
    `limit` rows at least (the second in case the gate leaves fewer than `limit` readable).

    Why the results are the same as ranking every match: ts_rank of one word grows with how
    often the word occurs, so every row where it occurs L times or more ranks above every row
    where it occurs fewer times; if `limit` readable rows reach level L, the best `limit` are
    among them. For several words ts_rank grows with how often they occur near each other,
    which needs each of them to occur often: a row left out could only rank above the
    candidates if one of the words were rare in it yet next to the others many times.
    tests/committee/test_search_ranking.py compares the two on the benchmark's archive."""
    words = _plain_words(query)
    if not words:
        return {}
    tsqueries = [" & ".join(_quoted(f"{word}>{level}") for word in words) for level in LEVELS]
    tables = [source.model._meta.db_table for source in SOURCES]
    # One round trip for every kind and level, through the indexes only (no row is read).
    count = '(SELECT count(*) FROM "{}" WHERE "search_levels" @@ %s::tsquery)'
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(count.format(table) for table in tables for _ in LEVELS),  # noqa: S608 - table names
            tsqueries * len(tables),
        )
        counts = cursor.fetchone()
    found = {}
    for n, (source, table) in enumerate(zip(SOURCES, tables, strict=True)):
        per_level = counts[n * len(LEVELS) : (n + 1) * len(LEVELS)]
        reached = [tsquery for tsquery, rows in zip(tsqueries, per_level, strict=True) if rows >= limit]
        found[source.kind] = [
            RawSQL(f'"{table}"."search_levels" @@ %s::tsquery', [tsquery], output_field=BooleanField())  # noqa: S611 - a table name
            for tsquery in reached[:2]
        ]
    return found


def _quoted(lexeme: str) -> str:
    """A lexeme as tsquery text takes it literally."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def with_snippets(results: list[SearchResult], query: str, *, reader: Reader) -> list[SearchResult]:
    """Highlighted snippets for the results about to be shown (PostgreSQL's ts_headline is
    costly: only for the page, one query per kind of paper, through the gate again). On
    SQLite the search already made them."""
    if connection.vendor != "postgresql" or not results:
        return results
    search_query = SearchQuery(" ".join(query.split())[:MAX_QUERY_LENGTH], search_type="websearch", config="english")
    snippets: dict[tuple[str, int], SafeString] = {}
    for kind in sorted({r.kind for r in results}):
        source = SOURCE_BY_KIND[kind]
        matched = Case(
            *[
                When(SearchVectorExact(SearchVector(name, config="english"), search_query), then=Value(name))
                for name in source.sections
            ],
            default=Value(""),
            output_field=CharField(),
        )
        rows = (
            source.readable(reader)
            .filter(pk__in=[r.pk for r in results if r.kind == kind])
            .annotate(
                section=matched,
                snippet=SearchHeadline(
                    _document(source.fields),
                    search_query,
                    config="english",
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    max_fragments=2,
                    max_words=30,
                    min_words=12,
                ),
            )
        )
        for pk, text, section in rows.values_list("pk", "snippet", "section"):
            snippets[(kind, pk)] = (_snippet_html(text), section)
    return [
        replace(r, snippet=snippets[key][0], url=_to_section(r.url, snippets[key][1])) if key in snippets else r
        for r in results
        for key in [(r.kind, r.pk)]
    ]


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
    for row in qs.order_by(f"-{source.meeting}__starts_at")[:limit]:
        texts = {name: plain_text(str(_value(row, name) or "")) for name in source.fields}
        text = " ".join(texts.values())
        # The whole phrase ranks above its words scattered through the text.
        rank = 2.0 if phrase in " ".join(re.split(r"\W+", text.lower())) else 1.0
        shown = [phrase] if rank > 1 else words
        section = next((name for name in source.sections if any(w.lower() in texts[name].lower() for w in shown)), "")
        rows.append((row, _snippet_html(_excerpt(text, shown)), rank, section))
    return rows


def _value(row, path: str):
    for part in path.split("__"):
        row = getattr(row, part)
    return row


def _excerpt(text: str, words: list[str], width: int = 90) -> str:
    text = " ".join(text.split())
    lowered = text.lower()
    first = min((lowered.find(w.lower()) for w in words if w.lower() in lowered), default=0)
    start = max(first - width, 0)
    excerpt = text[start : first + width * 2]
    for word in words:
        excerpt = re.sub(f"({re.escape(word)})", f"{MARK_START}\\1{MARK_END}", excerpt, flags=re.IGNORECASE)
    return ("… " if start else "") + excerpt + (" …" if first + width * 2 < len(text) else "")


def _snippet_html(raw: str) -> SafeString:
    """Council text is HTML; a snippet is plain text with the matches marked."""
    plain = escape(plain_text(raw or ""))
    return mark_safe(plain.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S308 - escaped above


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

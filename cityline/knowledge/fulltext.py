"""The one place search speaks a database's own full-text dialect.

`ranked_targets` runs one query shaped the same way on every database; a `Dialect` supplies
what differs: SQLite reads its FTS5 table and ranks with bm25, PostgreSQL matches its `tsvector`
column and ranks with ts_rank. Both index the normalised terms of `SearchDocument` (see
`searchterms`), so they find the same documents; the ranking formula around the vendor's
relevance is the same on both and is described in `ranking.knowledge_search`.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

# How much a word counts by where it is: the title part (title, topic, a service type's name
# and keywords) over the body part.
TITLE_WEIGHT = 4.0
BODY_WEIGHT = 1.0


@dataclass(frozen=True)
class WordMatch:
    """What one typed word may match: the indexed words beginning with `start` (the word itself
    when there is no start), and `near`, the indexed words one typo away."""

    word: str
    start: str | None
    near: tuple[str, ...]


@dataclass(frozen=True)
class RankedTarget:
    article_id: int | None
    service_type_id: int | None
    score: float


@dataclass(frozen=True)
class Dialect:
    source: str  # the FROM clause, naming the search document `d`
    match: str  # the WHERE condition a document must meet; one parameter, the query
    relevance: str  # higher is better; takes the query as its parameter, if any
    relevance_takes_query: bool
    contains: str  # whether `d` matches the parameter query
    quote: str  # a word, as the dialect's query language writes it
    prefix: str  # the start of words
    either: str  # the OR operator
    title_quote: str  # a word, in the title part only
    title_prefix: str  # the start of words, in the title part only
    title_group: str  # alternatives, in the title part only


SQLITE = Dialect(
    source=(
        "knowledge_search_fts JOIN knowledge_searchdocument d ON d.id = knowledge_search_fts.rowid"
    ),
    match="knowledge_search_fts MATCH %s",
    relevance=f"-bm25(knowledge_search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})",
    relevance_takes_query=False,
    contains="d.id IN (SELECT rowid FROM knowledge_search_fts WHERE knowledge_search_fts MATCH %s)",
    quote='"{}"',
    prefix='"{}"*',
    either=" OR ",
    title_quote='"{}"',
    title_prefix='"{}"*',
    title_group="title_terms : ({})",
)

POSTGRESQL = Dialect(
    source="knowledge_searchdocument d",
    match="d.vector @@ to_tsquery('simple', %s)",
    # Weights for labels D, C, B, A: the title part is A, the body part D. Normalisation 1
    # divides by 1 + ln(the document's length), so a short document saying the same counts
    # more, as bm25 has it.
    relevance=(
        f"ts_rank('{{{BODY_WEIGHT / TITLE_WEIGHT}, 0, 0, 1}}', d.vector, "
        "to_tsquery('simple', %s), 1)"
    ),
    relevance_takes_query=True,
    contains="d.vector @@ to_tsquery('simple', %s)",
    quote="'{}'",
    prefix="'{}':*",
    either=" | ",
    title_quote="'{}':A",
    title_prefix="'{}':*A",
    title_group="{}",
)


def dialect() -> Dialect:
    return {"sqlite": SQLITE, "postgresql": POSTGRESQL}[connection.vendor]


def _real(value: float) -> str:
    # PostgreSQL reads a decimal literal as numeric, whose arithmetic costs many times floating
    # point's on every matched document; the qualities and weights stay floating point.
    return f"CAST({value} AS DOUBLE PRECISION)"


def _exactly(dialect: Dialect, match: WordMatch) -> str:
    return dialect.quote.format(match.word)


def _nearly(dialect: Dialect, match: WordMatch, *, in_title: bool = False) -> str:
    quote, prefix = (
        (dialect.title_quote, dialect.title_prefix) if in_title else (dialect.quote, dialect.prefix)
    )
    # Each alternative once: bm25 and ts_rank count every alternative a document matches.
    alternatives = [prefix.format(match.start) if match.start else quote.format(match.word)]
    alternatives += [quote.format(word) for word in match.near]
    group = dialect.either.join(alternatives)
    return dialect.title_group.format(group) if in_title else group


def ranked_targets(
    *,
    matches: Sequence[WordMatch],
    language: str | None,
    now: datetime,
    exact_quality: float,
    near_quality: float,
    body_quality: float,
    relevance_weight: float,
    popularity_weight: float,
    limit: int,
) -> list[RankedTarget]:
    """The best `limit` articles and service types for the typed words, best first, scored as
    `ranking.knowledge_search` describes. An article scores its best document among the
    reader's language and its source language (among all of its documents when `language` is
    None). Ties go articles first, then the older row."""
    sql = dialect()
    everything = sql.either.join(f"({_nearly(sql, match)})" for match in matches)
    words = range(len(matches))
    qualities, quality_params = [], []
    for number, match in enumerate(matches):
        qualities.append(
            f"CASE WHEN NOT {sql.contains} THEN 0 "
            f"ELSE (CASE WHEN {sql.contains} THEN 1 ELSE {_real(body_quality)} END) "
            f"* (CASE WHEN {sql.contains} THEN {_real(exact_quality)} "
            f"ELSE {_real(near_quality)} END) "
            f"END AS q{number}"
        )
        quality_params += [
            _nearly(sql, match),
            _nearly(sql, match, in_title=True),
            _exactly(sql, match),
        ]
    # A typed word weighs 1 / ln(e + the number of documents it is found in).
    weights = ", ".join(
        f"1 / LN({_real(math.e)} + COUNT(CASE WHEN q{n} > 0 THEN 1 END)) AS w{n}" for n in words
    )
    coverage = (
        f"({' + '.join(f'q{n} * w{n}' for n in words)}) / ({' + '.join(f'w{n}' for n in words)})"
    )
    # Materialised, so the text rank is computed where the full-text match is made. The best
    # rank and the words' weights are one row, computed once, not once per matched document.
    # An article is checked for expiry only if it has expired, not joined to every document.
    readable = (
        "TRUE"
        if language is None
        else "(d.service_type_id IS NOT NULL OR d.language = %s OR d.is_source_language)"
    )
    query = f"""
        WITH matched AS MATERIALIZED (
            SELECT d.article_id, d.service_type_id, d.popularity,
                {sql.relevance} AS relevance, {", ".join(qualities)}
            FROM {sql.source}
            WHERE {sql.match}
                AND {readable}
                AND NOT EXISTS (
                    SELECT 1 FROM knowledge_knowledgearticle a
                    WHERE a.id = d.article_id AND a.expire_at <= %s
                )
        ), totals AS (
            SELECT MAX(relevance) AS best, {weights} FROM matched
        ), covered AS (
            SELECT article_id, service_type_id, popularity,
                COALESCE(relevance / NULLIF(best, 0), 1) AS relevance, {coverage} AS coverage
            FROM matched, totals
        )
        SELECT article_id, service_type_id,
            MAX(coverage * coverage * (1 - %s + %s * relevance) * (1 + %s * popularity))
        FROM covered
        GROUP BY article_id, service_type_id
        ORDER BY 3 DESC, article_id IS NULL, COALESCE(article_id, service_type_id)
        LIMIT %s
    """
    params = [
        *([everything] if sql.relevance_takes_query else []),
        *quality_params,
        everything,
        *([] if language is None else [language]),
        connection.ops.adapt_datetimefield_value(now),
        relevance_weight,
        relevance_weight,
        popularity_weight,
        limit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return [RankedTarget(*row) for row in cursor.fetchall()]

"""Ranking the knowledge base's answers to a reader's question: which published articles and
public service types answer it, and in which order (ADR 5). The database's full-text index finds
and scores the documents (`fulltext`); this module decides what a typed word may match and turns
the ranked documents into results."""

from dataclasses import dataclass

from django.db.models import Q

from cityline.core import clock
from cityline.knowledge.fulltext import RankedTarget, WordMatch, ranked_targets
from cityline.knowledge.models import SearchDocument, SearchSpelling
from cityline.knowledge.searchterms import (
    edit_distance,
    spellings,
    tokenise,
    typo_allowance,
    word_start,
)


@dataclass(frozen=True)
class SearchResult:
    kind: str  # "article" or "service_type"
    key: str  # the article's slug or the service type's code
    title: str
    score: float


# How well a document answers one typed word: with the word itself, or only with a near word
# (the typed word as the start of an indexed word, or an indexed word one typo away); in its
# title part, or only in its body part.
EXACT_QUALITY, NEAR_QUALITY = 1.0, 0.8
BODY_QUALITY = 0.8
# How far the database's text rank moves a score: the query's best match keeps all of it, a
# match with no rank at all would keep 1 - RELEVANCE_WEIGHT.
RELEVANCE_WEIGHT = 0.25
# How far readers' feedback lifts an article: a popularity of 1 would add half its score.
POPULARITY_WEIGHT = 0.5
_MAX_QUERY_TERMS = 10


def _word_matches(tokens: list[str]) -> list[WordMatch]:
    """What each typed word may match: itself or the words it starts (`word_start`), and, when
    the index does not know the word, the vocabulary's words one typo away, found through their
    spellings in one query."""
    keys = {token: spellings(token) for token in tokens}
    found: dict[str, set[str]] = {}
    for spelling, word in SearchSpelling.objects.filter(
        spelling__in=set().union(*keys.values())
    ).values_list("spelling", "word"):
        found.setdefault(spelling, set()).add(word)
    matches = []
    for token in tokens:
        near = []
        # A word the index knows is taken as meant: "dead" does not also look for "lead".
        if token not in found.get(token, ()):
            allowance = typo_allowance(token)
            candidates = set().union(*(found.get(key, set()) for key in keys[token]))
            near = sorted(
                word for word in candidates if edit_distance(token, word, allowance) <= allowance
            )
        start = word_start(token)
        if start:
            near = [word for word in near if not word.startswith(start)]
        matches.append(WordMatch(word=token, start=start, near=tuple(near)))
    return matches


def knowledge_search(*, query: str, language: str, limit: int = 10) -> list[SearchResult]:
    """Published articles and public service types that answer `query`, best first.

    Words match exactly, as the start of an indexed word, or despite a typo; a service type is
    found by its keywords and synonyms too. Articles are matched in the reader's language and in
    their source language, and titled as `article_get_public` would show them.

    The database's full-text index finds and ranks the documents (`fulltext`); a result scores

        coverage**2 * (1 - RELEVANCE_WEIGHT + RELEVANCE_WEIGHT * relevance)
                    * (1 + POPULARITY_WEIGHT * popularity)

    - relevance: the database's text rank (bm25 on SQLite, ts_rank on PostgreSQL, a word in the
      title part counting four times one in the body part), over the best rank among the
      query's matches, so from 0 to 1 on either database;
    - coverage: how much of the question the document answers, from 0 to 1: the weighted mean,
      over the typed words, of how well the document answers each: 0 if not at all, else
      EXACT_QUALITY (the word itself is in it) or NEAR_QUALITY (only a word it starts or one typo
      away), times 1 if found in the title part or BODY_QUALITY if only in the body part;
      each typed word weighs 1 / ln(e + the number of documents it is found in), so the rare,
      telling words of a question count more than the common ones;
    - popularity: the readers' feedback (`indexing.search_popularity`), 0 for service types.
    """
    tokens = tokenise(query)[:_MAX_QUERY_TERMS]
    if not tokens:
        return []
    ranked = ranked_targets(
        matches=_word_matches(tokens),
        language=language,
        now=clock.now(),
        exact_quality=EXACT_QUALITY,
        near_quality=NEAR_QUALITY,
        body_quality=BODY_QUALITY,
        relevance_weight=RELEVANCE_WEIGHT,
        popularity_weight=POPULARITY_WEIGHT,
        limit=limit,
    )
    return _search_results(ranked, language=language)


def _search_results(ranked: list[RankedTarget], *, language: str) -> list[SearchResult]:
    """The ranked targets with their keys and titles: an article's in the reader's language if it
    is published in it, else in its source language."""
    article_ids = [target.article_id for target in ranked if target.article_id]
    type_ids = [target.service_type_id for target in ranked if target.service_type_id]
    titles: dict[tuple[str, int | None], tuple[str, str]] = {}
    for article_id, type_id, document_language, title, slug, code in SearchDocument.objects.filter(
        Q(article_id__in=article_ids, language=language)
        | Q(article_id__in=article_ids, is_source_language=True)
        | Q(service_type_id__in=type_ids)
    ).values_list(
        "article_id", "service_type_id", "language", "title", "article__slug", "service_type__code"
    ):
        if article_id is None:
            titles[("service_type", type_id)] = (code, title)
        elif document_language == language or ("article", article_id) not in titles:
            titles[("article", article_id)] = (slug, title)
    results = []
    for target in ranked:
        kind, pk = (
            ("article", target.article_id)
            if target.article_id
            else ("service_type", target.service_type_id)
        )
        # A document reindexed away since it was ranked is left out.
        if (kind, pk) in titles:
            key, title = titles[(kind, pk)]
            results.append(SearchResult(kind=kind, key=key, title=title, score=target.score))
    return results

"""Ranking the knowledge base's answers to a reader's question: which published articles and
public service types answer it, and in which order (ADR 5). The database's full-text index finds
and scores the documents (`fulltext`); this module decides what a typed word may match and turns
the ranked documents into results."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from cityline.catalog.matching import service_types_led_to
from cityline.catalog.translation import catalog_languages, text_in
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
    # An article's: the codes of the service types it leads to ('Report this').
    service_types: tuple[str, ...] = ()
    # The language of `title` (and of the answer behind it): the reader's where it is written in
    # it, else another, which the pages name ("In English").
    language: str = ""


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
# An answer linked to a service type the words lead to (`matching.service_types_led_to`) scores
# LEAD_WEIGHT times how surely they lead there, when they lead there at least LEAD_FLOOR surely:
# as a result that answers most of the question would.
LEAD_WEIGHT, LEAD_FLOOR = 0.8, 0.35
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


def knowledge_search(
    *, query: str, language: str, limit: int = 10, through_service_types: bool = True
) -> list[SearchResult]:
    """Published articles and public service types that answer `query`, best first.

    Words match exactly, as the start of an indexed word, or despite a typo; a service type is
    found by its keywords and synonyms too, and by its name and description in any language, and
    is titled in the reader's language where it is translated. Articles are matched in the
    reader's language and in their source language, and titled as `article_get_public` would
    show them; when those find nothing, in every language (an English reader's words may be in an
    answer's Spanish translation only), titled in the reader's language where the answer is
    written in it, else in its source language, else in the language it was found in.

    With `through_service_types`, the answers linked to the public service types the words lead
    to (by the catalog's words or the classifier of the city's history, see
    `matching.service_types_led_to`) are found too, even when they share no word with the query:
    "lamp post dark at night" finds the street-light answer. Such an answer scores
    LEAD_WEIGHT * how surely the words lead to its type, or its own score if that is higher.

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
    matches = _word_matches(tokens)
    any_language = False
    ranked = _ranked(matches, language=language, any_language=False, limit=limit)
    if not ranked:
        any_language = True
        ranked = _ranked(matches, language=language, any_language=True, limit=limit)
    led = (
        {
            code: sure
            for code, sure in service_types_led_to(text=query).items()
            if sure >= LEAD_FLOOR
        }
        if through_service_types
        else {}
    )
    return _search_results(
        ranked, language=language, any_language=any_language, led=led, now=clock.now(), limit=limit
    )


def _ranked(
    matches: list[WordMatch], *, language: str, any_language: bool, limit: int
) -> list[RankedTarget]:
    return ranked_targets(
        matches=matches,
        language=None if any_language else language,
        now=clock.now(),
        exact_quality=EXACT_QUALITY,
        near_quality=NEAR_QUALITY,
        body_quality=BODY_QUALITY,
        relevance_weight=RELEVANCE_WEIGHT,
        popularity_weight=POPULARITY_WEIGHT,
        limit=limit,
    )


def _documents(
    ranked: list[RankedTarget],
    *,
    language: str,
    any_language: bool,
    led: dict[str, float],
    now: datetime,
) -> Q:
    """The documents that title the ranked targets, and those of the unexpired articles linked
    to the service types in `led`, in the reader's language or their source language (in any
    language, with `any_language`)."""
    article_ids = [target.article_id for target in ranked if target.article_id]
    type_ids = [target.service_type_id for target in ranked if target.service_type_id]
    readable = Q() if any_language else Q(language=language) | Q(is_source_language=True)
    documents = Q(article_id__in=article_ids) & readable | Q(service_type_id__in=type_ids)
    if led:
        unexpired = Q(article__expire_at__isnull=True) | Q(article__expire_at__gt=now)
        documents |= Q(article__service_types__code__in=list(led)) & readable & unexpired
    return documents


def _search_results(
    ranked: list[RankedTarget],
    *,
    language: str,
    any_language: bool,
    led: dict[str, float],
    now: datetime,
    limit: int,
) -> list[SearchResult]:
    """The ranked targets with their keys and titles (an article's in the reader's language if
    it is published in it, else in its source language; a type's name in the reader's language
    if translated, else in the city's) and the types each article leads to, joined by the
    answers the `led` types lead to, best first; all read in one query."""
    languages = catalog_languages()
    documents = SearchDocument.objects.filter(
        _documents(ranked, language=language, any_language=any_language, led=led, now=now)
    )
    titles: dict[tuple[str, int], tuple[str, str, str]] = {}
    # How fit each article's title so far is: 2 in the reader's language, 1 in the source's.
    fits: dict[int, int] = {}
    leads: dict[int, set[str]] = {}
    for (
        article_id,
        type_id,
        document_language,
        is_source,
        title,
        slug,
        code,
        linked,
        *names,
    ) in documents.values_list(
        "article_id",
        "service_type_id",
        "language",
        "is_source_language",
        "title",
        "article__slug",
        "service_type__code",
        "article__service_types__code",
        *(f"service_type__name_{name_language}" for name_language in languages),
    ).order_by("id"):
        if article_id is None:
            name, name_language = text_in(dict(zip(languages, names, strict=True)), language)
            titles[("service_type", type_id)] = (code, name or title, name_language)
            continue
        fit = 2 if document_language == language else int(is_source)
        if fits.get(article_id, -1) < fit:
            fits[article_id] = fit
            titles[("article", article_id)] = (slug, title, document_language)
        if linked:
            leads.setdefault(article_id, set()).add(linked)
    scores: dict[tuple[str, int], float] = {}
    for target in ranked:
        if target.article_id:
            scores[("article", target.article_id)] = target.score
        elif target.service_type_id:
            scores[("service_type", target.service_type_id)] = target.score
    for article_id, linked_codes in leads.items():
        sure = max((led.get(code, 0.0) for code in linked_codes), default=0.0)
        if sure:
            found = ("article", article_id)
            scores[found] = max(scores.get(found, 0.0), LEAD_WEIGHT * sure)
    results = []
    # A document reindexed away since it was ranked is left out.
    for (kind, pk), score in sorted(scores.items(), key=lambda item: -item[1]):
        if (kind, pk) in titles:
            key, title, title_language = titles[(kind, pk)]
            codes = tuple(sorted(leads.get(pk, ()))) if kind == "article" else ()
            results.append(
                SearchResult(
                    kind=kind,
                    key=key,
                    title=title,
                    score=score,
                    service_types=codes,
                    language=title_language,
                )
            )
    return results[:limit]

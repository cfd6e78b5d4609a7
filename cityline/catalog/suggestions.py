"""From a resident's own words to the service types they probably mean, best first
(docs/suggestions.md).

Three sources are combined by the scoring rule in `matching`:

- the catalog's words: each type's name, keywords and synonyms, matched by character n-grams
  (`matching`) and by the search index's words, typos allowed (`knowledge_search`'s service-type
  results);
- the knowledge base: the published answers the words find, and the types each leads to;
- the classifier learned from the city's own request history (`classifier`), when one is trained.

Residents (the public audience) are offered active, self-service types only; staff are offered
staff-only types too.
"""

from dataclasses import dataclass

from cityline.catalog.matching import (
    Audience,
    Evidence,
    catalog_types,
    evidence_sources,
    service_type_evidence,
    suggestion_score,
)
from cityline.catalog.models import ServiceGroup
from cityline.catalog.translation import text_in
from cityline.knowledge.ranking import SearchResult, knowledge_search

# How many of the knowledge base's best results are read for the types they lead to.
_KNOWLEDGE_RESULTS = 10
# A type scoring less than this is not suggested.
MIN_SCORE = 0.02


@dataclass(frozen=True)
class SuggestedArticle:
    slug: str
    title: str


@dataclass(frozen=True)
class Suggestion:
    code: str
    name: str
    group: str
    score: float
    sources: tuple[str, ...]  # "classifier", "catalog", "knowledge": those that led here
    article: SuggestedArticle | None  # the knowledge answer that led here, if one did


def _knowledge_evidence(
    results: list[SearchResult], allowed: set[str]
) -> tuple[dict[str, float], dict[str, float], dict[str, SuggestedArticle]]:
    """From the search's results: the types it found by their own words and those its answers
    lead to, each with its result's score (at most 1: a score is mostly how much of the question
    the result answers), and the best answer leading to each type."""
    words: dict[str, float] = {}
    answers: dict[str, float] = {}
    articles: dict[str, SuggestedArticle] = {}
    for result in results:
        share = min(1.0, result.score)
        if result.kind == "service_type" and result.key in allowed:
            words[result.key] = max(words.get(result.key, 0.0), share)
        for code in result.service_types:
            if code in allowed and share > answers.get(code, 0.0):
                answers[code] = share
                articles[code] = SuggestedArticle(slug=result.key, title=result.title)
    return words, answers, articles


def service_type_suggest(
    *,
    text: str,
    language: str,
    limit: int = 5,
    audience: Audience = Audience.PUBLIC,
    use_classifier: bool = True,
) -> list[Suggestion]:
    """The types `text` probably asks for, best first, at most `limit`; `use_classifier=False`
    leaves the learned model out (to measure what it adds)."""
    types = catalog_types(audience=audience)
    if not text.strip() or not types:
        return []
    evidence = service_type_evidence(text=text, audience=audience, use_classifier=use_classifier)
    results = knowledge_search(
        query=text, language=language, limit=_KNOWLEDGE_RESULTS, through_service_types=False
    )
    words, answers, articles = _knowledge_evidence(results, set(types))
    scored = []
    for code in set(evidence) | set(words) | set(answers):
        found = evidence.get(code, Evidence())
        combined = Evidence(
            catalog=max(found.catalog, words.get(code, 0.0)),
            knowledge=answers.get(code, 0.0),
            classifier=found.classifier,
        )
        score = suggestion_score(combined)
        if score >= MIN_SCORE:
            scored.append((score, code, combined))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [
        Suggestion(
            code=code,
            name=text_in(types[code].names, language)[0],
            group=text_in(types[code].groups, language)[0],
            score=round(score, 4),
            sources=evidence_sources(combined),
            article=articles.get(code) if combined.knowledge else None,
        )
        for score, code, combined in scored[:limit]
    ]


@dataclass(frozen=True)
class CatalogGroup:
    name: str
    description: str
    service_types: tuple[tuple[str, str], ...]  # (code, name)


def service_type_catalog_by_group(*, audience: Audience = Audience.PUBLIC) -> list[CatalogGroup]:
    """The catalog `audience` may browse, group by group, by name; types without a group last,
    under an empty name."""
    descriptions = dict(ServiceGroup.objects.values_list("name", "description"))
    groups: dict[str, list[tuple[str, str]]] = {}
    for service_type in sorted(catalog_types(audience=audience).values(), key=lambda t: t.name):
        groups.setdefault(service_type.group, []).append((service_type.code, service_type.name))
    return [
        CatalogGroup(
            name=name, description=descriptions.get(name, ""), service_types=tuple(members)
        )
        for name, members in sorted(groups.items(), key=lambda item: (not item[0], item[0]))
    ]

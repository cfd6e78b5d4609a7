"""Which service types a resident's words lead to, from the catalog itself and from the classifier
the city's history trained (`classifier`); `suggestions` adds the knowledge base's answers.

The catalog's words are each type's name, keywords and synonyms. A term matches as far as its
character n-grams are found in the text, each weighted by how rare it is across the catalog's
terms, so "lampost" still finds "lamp post" and a term's rare n-grams count for more than the ones
every term shares.
"""

import enum
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from cityline.catalog.classifier import classifier_scores, text_normalise
from cityline.catalog.models import ServiceType, ServiceTypeKeyword
from cityline.catalog.selectors import service_type_list_public
from cityline.core.memo import SharedMemo


class Audience(enum.StrEnum):
    """Who is asking: residents see public types only; staff see staff-only types too."""

    PUBLIC = "public"
    STAFF = "staff"


# A term whose weighted n-grams are found in the text to less than this share does not match;
# above it, its evidence rises from 0 to 1.
TERM_FLOOR = 0.55


@dataclass(frozen=True)
class CatalogType:
    id: int
    code: str
    name: str
    group: str


@dataclass
class _CatalogWords:
    types: list[CatalogType]
    vectorizer: TfidfVectorizer
    weights: np.ndarray  # terms x n-grams, each row the term's n-grams' idf
    totals: np.ndarray  # each term's total weight
    term_types: np.ndarray  # the index in `types` of each term's type

    def evidence(self, text: str) -> dict[str, float]:
        """Each matching type's evidence from 0 to 1: its best term's, above `TERM_FLOOR`."""
        found = (self.vectorizer.transform([text]) > 0).astype(np.float64)
        shares = np.asarray((self.weights @ found.T).todense()).ravel() / self.totals
        evidence: dict[str, float] = {}
        for term in np.flatnonzero(shares > TERM_FLOOR):
            code = self.types[self.term_types[term]].code
            value = float((shares[term] - TERM_FLOOR) / (1 - TERM_FLOOR))
            evidence[code] = max(evidence.get(code, 0.0), value)
        return evidence


def _catalog_words_load(audience: Audience) -> _CatalogWords | None:
    types = (
        service_type_list_public()
        if audience == Audience.PUBLIC
        else ServiceType.objects.filter(is_active=True).select_related("group")
    )
    rows = list(types.prefetch_related(None).values_list("id", "code", "name", "group__name"))
    if not rows:
        return None
    index = {type_id: i for i, (type_id, *_) in enumerate(rows)}
    terms = [(index[type_id], name) for type_id, _, name, _ in rows]
    terms += [
        (index[type_id], term)
        for type_id, term in ServiceTypeKeyword.objects.filter(
            service_type_id__in=list(index)
        ).values_list("service_type_id", "term")
    ]
    vectorizer = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 4),
        preprocessor=text_normalise,
        binary=True,
        norm=None,
    )
    weights = vectorizer.fit_transform([term for _, term in terms]).tocsr()
    return _CatalogWords(
        types=[
            CatalogType(id=type_id, code=code, name=name, group=group or "")
            for type_id, code, name, group in rows
        ],
        vectorizer=vectorizer,
        weights=weights,
        totals=np.asarray(weights.sum(axis=1)).ravel(),
        term_types=np.array([i for i, _ in terms]),
    )


# Rebuilt in every worker when a type, a keyword or a group changes anywhere (signals in `apps`).
_catalog_words: SharedMemo[Audience, _CatalogWords] = SharedMemo(
    name="catalog-words", loader=_catalog_words_load
)
catalog_words_forget = _catalog_words.forget


def catalog_types(*, audience: Audience) -> dict[str, CatalogType]:
    """The types `audience` may be offered, by code."""
    words = _catalog_words.get(audience)
    return {t.code: t for t in words.types} if words else {}


@dataclass(frozen=True)
class Evidence:
    """How far each source leads to one type, each from 0 to 1."""

    catalog: float = 0.0
    knowledge: float = 0.0
    classifier: float = 0.0


# The scoring rule (docs/suggestions.md): a type scores the weighted sum of its evidence. The
# classifier has read thousands of residents' own descriptions and weighs most; the catalog's
# words are exact but few; an answer that leads to a type is good evidence when the words found it.
CATALOG_WEIGHT = 0.35
KNOWLEDGE_WEIGHT = 0.25
CLASSIFIER_WEIGHT = 0.40
# Below this probability the classifier is not counted among a type's sources.
CLASSIFIER_FLOOR = 0.05


def suggestion_score(evidence: Evidence) -> float:
    return (
        CATALOG_WEIGHT * evidence.catalog
        + KNOWLEDGE_WEIGHT * evidence.knowledge
        + CLASSIFIER_WEIGHT * evidence.classifier
    )


def evidence_sources(evidence: Evidence) -> tuple[str, ...]:
    """The sources that lead to the type, strongest rule first."""
    return tuple(
        source
        for source, present in (
            ("classifier", evidence.classifier >= CLASSIFIER_FLOOR),
            ("catalog", evidence.catalog > 0),
            ("knowledge", evidence.knowledge > 0),
        )
        if present
    )


def service_type_evidence(
    *, text: str, audience: Audience, use_classifier: bool = True
) -> dict[str, Evidence]:
    """What the catalog's words and the classifier say of each type `audience` may be offered
    (types neither source leads to are left out)."""
    words = _catalog_words.get(audience)
    if words is None:
        return {}
    allowed = {t.code for t in words.types}
    catalog = words.evidence(text)
    learned = classifier_scores(text=text) if use_classifier else {}
    return {
        code: Evidence(catalog=catalog.get(code, 0.0), classifier=learned.get(code, 0.0))
        for code in allowed
        if code in catalog or learned.get(code, 0.0) >= CLASSIFIER_FLOOR
    }


def service_types_led_to(*, text: str, audience: Audience = Audience.PUBLIC) -> dict[str, float]:
    """How surely the words lead to each type, from 0 to 1, before any knowledge is consulted:
    the stronger of the catalog's words and the classifier. What the help search follows to the
    answers linked to those types."""
    return {
        code: max(evidence.catalog, evidence.classifier)
        for code, evidence in service_type_evidence(text=text, audience=audience).items()
    }

"""Which service types a resident's words lead to, from the catalog itself and from the classifier
the city's history trained (`classifier`); `suggestions` adds the knowledge base's answers.

The catalog's words are each type's name in every language, keywords and synonyms (residents
write them in any language: "bache", "نفايات"). A term matches as far as its
character n-grams are found in the text, each weighted by how rare it is across the catalog's
terms, so "lampost" still finds "lamp post" and a term's rare n-grams count for more than the ones
every term shares.

Words are matched by their stems too, against all of a type's text: its names and keywords, and
at a lower weight its description, in every language. Snowball's stemmer of each catalog language
brings a word's forms together ("blocking", "blocked"; "bloquearon", "bloqueada"; "حفرة",
"حفره"), so a resident's sentence finds the type whose text uses another form of its words.
"""

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import snowballstemmer
from django.utils.translation import get_language

from cityline.catalog.classifier import classifier_scores, text_normalise
from cityline.catalog.models import ServiceType, ServiceTypeKeyword
from cityline.catalog.selectors import service_type_list_public
from cityline.catalog.translation import catalog_languages, text_in
from cityline.core.memo import SharedMemo
from cityline.knowledge.searchterms import STOPWORDS

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer


class Audience(enum.StrEnum):
    """Who is asking: residents see public types only; staff see staff-only types too."""

    PUBLIC = "public"
    STAFF = "staff"


# A term whose weighted n-grams are found in the text to less than this share does not match;
# above it, its evidence rises from 0 to 1.
TERM_FLOOR = 0.55
# A type's description tells what the type is for in whole sentences, less surely than the words
# chosen for it: each of its words counts for this share of a name's or keyword's.
DESCRIPTION_SHARE = 0.5
# A stem in more than this share of the types' texts tells none of them apart (the small words of
# a language without a list of them below).
STEM_MAX_SHARE = 0.3

# Snowball's stemmers by the language codes a catalog may be written in.
_SNOWBALL = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}
_WORD = re.compile(r"[^\W\d_]{2,}")
# Arabic's small words, beside the search's English and Spanish ones; folded as the text will be.
_ARABIC_SMALL_WORDS = "في من على إلى أو عن مع هذا هذه ذلك التي الذي هو هي أنا عم كل بعد قبل حتى عند"
_ARABIC_STOPWORDS = frozenset(text_normalise(word) for word in _ARABIC_SMALL_WORDS.split())


def word_stems(text: str) -> list[str]:
    """The stems of the words of `text`, by the stemmer of every catalog language: a resident
    may write in any of them, and a word of one is left alone, or nearly, by another's."""
    # Line by line: a type's text is its names, keywords and descriptions one a line, and
    # `text_normalise` keeps the start of what it is given.
    words = [
        word
        for line in text.splitlines()
        for word in _WORD.findall(text_normalise(line))
        if word not in STOPWORDS and word not in _ARABIC_STOPWORDS
    ]
    # Made afresh for each text (microseconds): a stemmer holds the word it is working on, so
    # threads must not share one.
    stemmers = [
        snowballstemmer.stemmer(_SNOWBALL[code])
        for code in catalog_languages()
        if code in _SNOWBALL
    ]
    return [stem for word in words for stem in {s.stemWord(word) for s in stemmers} or {word}]


@dataclass(frozen=True)
class CatalogType:
    """A type as suggestions offer it. Kept by every worker for every reader, so it holds its
    name and group in each language and shows them in the active one."""

    id: int
    code: str
    names: Mapping[str, str | None]
    groups: Mapping[str, str | None]

    @property
    def name(self) -> str:
        return text_in(self.names, get_language())[0]

    @property
    def group(self) -> str:
        return text_in(self.groups, get_language())[0]


@dataclass
class _CatalogWords:
    types: list[CatalogType]
    vectorizer: "TfidfVectorizer"
    weights: np.ndarray  # terms x n-grams, each row the term's n-grams' idf
    totals: np.ndarray  # each term's total weight
    term_types: np.ndarray  # the index in `types` of each term's type
    stems: "TfidfVectorizer"
    type_stems: np.ndarray  # types x stems, each row the type's text's, of unit length

    def evidence(self, text: str) -> dict[str, float]:
        """Each matching type's evidence from 0 to 1: the stronger of its best term's, above
        `TERM_FLOOR`, and the similarity of the text's stems to its text's."""
        found = (self.vectorizer.transform([text]) > 0).astype(np.float64)
        shares = np.asarray((self.weights @ found.T).todense()).ravel() / self.totals
        evidence: dict[str, float] = {}
        for term in np.flatnonzero(shares > TERM_FLOOR):
            code = self.types[self.term_types[term]].code
            value = float((shares[term] - TERM_FLOOR) / (1 - TERM_FLOOR))
            evidence[code] = max(evidence.get(code, 0.0), value)
        # Both sides are of unit length: the product is their cosine similarity, from 0 to 1.
        similarity = (self.type_stems @ self.stems.transform([text]).T).toarray().ravel()
        for index in np.flatnonzero(similarity):
            code = self.types[index].code
            evidence[code] = max(evidence.get(code, 0.0), float(similarity[index]))
        return evidence


def _type_text(words: Iterable[str], description: Iterable[str]) -> str:
    """A type's text as one document: its names and keywords repeated so that its description's
    words count for `DESCRIPTION_SHARE` of theirs."""
    repeats = round(1 / DESCRIPTION_SHARE)
    return "\n".join([*words] * repeats + [*description])


def _catalog_words_load(audience: Audience) -> _CatalogWords | None:
    types = (
        service_type_list_public()
        if audience == Audience.PUBLIC
        else ServiceType.objects.filter(is_active=True).select_related("group")
    )
    languages = catalog_languages()
    rows = list(
        types.prefetch_related(None).values_list(
            "id",
            "code",
            *(f"name_{language}" for language in languages),
            *(f"group__name_{language}" for language in languages),
            *(f"description_{language}" for language in languages),
        )
    )
    if not rows:
        return None
    catalog_types = [
        CatalogType(
            id=row[0],
            code=row[1],
            names=dict(zip(languages, row[2 : 2 + len(languages)], strict=True)),
            groups=dict(
                zip(languages, row[2 + len(languages) : 2 + 2 * len(languages)], strict=True)
            ),
        )
        for row in rows
    ]
    index = {t.id: i for i, t in enumerate(catalog_types)}
    terms = [
        (index[t.id], name)
        for t in catalog_types
        for name in dict.fromkeys(name for name in t.names.values() if name)
    ]
    terms += [
        (index[type_id], term)
        for type_id, term in ServiceTypeKeyword.objects.filter(
            service_type_id__in=list(index)
        ).values_list("service_type_id", "term")
    ]
    words: list[list[str]] = [[] for _ in catalog_types]
    for type_index, term in terms:
        words[type_index].append(term)
    descriptions = [[text for text in row[2 + 2 * len(languages) :] if text] for row in rows]
    # Imported here, as in the classifier: scikit-learn takes most of a second to import, which
    # only the first suggestion of a process should pay.
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 4),
        preprocessor=text_normalise,
        binary=True,
        norm=None,
    )
    weights = vectorizer.fit_transform([term for _, term in terms]).tocsr()
    stems = TfidfVectorizer(
        analyzer=word_stems,
        sublinear_tf=True,
        # With a handful of types every stem is in more than the share of them.
        max_df=STEM_MAX_SHARE if len(catalog_types) >= 1 / STEM_MAX_SHARE else 1.0,
    )
    type_texts = [
        _type_text(chosen, described) for chosen, described in zip(words, descriptions, strict=True)
    ]
    type_stems = stems.fit_transform(type_texts).tocsr()
    return _CatalogWords(
        types=catalog_types,
        vectorizer=vectorizer,
        weights=weights,
        totals=np.asarray(weights.sum(axis=1)).ravel(),
        term_types=np.array([i for i, _ in terms]),
        stems=stems,
        type_stems=type_stems,
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

"""Turning text into search terms, the same way for what is indexed and what residents type.

Terms are lower-case, without accents, singular by a light rule, and without the small words
that carry no meaning. The database's full-text index holds these terms, not the raw text, so
words are cut and folded the same way on every database. A typed word matches an indexed word
exactly, as its start (for words still being typed) or one edit away (for misspellings), found
through the spellings of the vocabulary.
"""

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+")

_ENGLISH_STOPWORDS = (
    "a an and are at be by can do does for from how i in is it me my of on or our the their "
    "there this to was what when where who why will with you your"
)
_SPANISH_STOPWORDS = "como con de del el en es la las los mi para por que se su un una y"
STOPWORDS = frozenset(_ENGLISH_STOPWORDS.split()) | frozenset(_SPANISH_STOPWORDS.split())

MAX_TERM_LENGTH = 64
# Words shorter than this must be typed right (or as the start of a word).
MIN_TYPO_LENGTH = 4
# A typed word this long may also end differently: "removal" finds "removed" and "remove".
MIN_ENDING_LENGTH = 7


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenise(text: str) -> list[str]:
    """The search terms in `text`, in order, without repeats."""
    terms: dict[str, None] = {}
    for word in _WORD.findall(_fold(text)):
        if word in STOPWORDS or len(word) < 2:
            continue
        terms[_singular(word)[:MAX_TERM_LENGTH]] = None
    return list(terms)


def edit_distance(first: str, second: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count once), or `limit + 1` once it is
    certain to exceed `limit`."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(second) + 1))
    for i, char in enumerate(first, start=1):
        current = [i] + [0] * len(second)
        for j, other in enumerate(second, start=1):
            cost = 0 if char == other else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char == second[j - 2] and first[i - 2] == other:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]


def typo_allowance(term: str) -> int:
    """How many edits a query word may be from an indexed word and still match it."""
    return 0 if len(term) < MIN_TYPO_LENGTH else 1


def spellings(word: str) -> set[str]:
    """The word and, from four letters on, each way of leaving one letter out of it.

    Two words are at most one edit apart only if their spellings meet: a letter missing from one
    is the other itself, a changed letter leaves out the same place in both, and two swapped
    neighbours leave out the same letter of each.
    """
    if len(word) < MIN_TYPO_LENGTH:
        return {word}
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def word_start(word: str) -> str | None:
    """What indexed words may begin with and still match a typed word: the word itself from
    three letters on (a word still being typed), and from seven letters on the word without its
    last two letters (another ending of the same word); shorter words only match themselves."""
    if len(word) < 3:
        return None
    return word if len(word) < MIN_ENDING_LENGTH else word[:-2]

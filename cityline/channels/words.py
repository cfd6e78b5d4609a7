"""Reading residents' messages: the language they wrote in and the tracking numbers they name."""

import re

from django.conf import settings

from cityline.servicerequests.tracking import ALPHABET

_ARABIC = re.compile(r"[\u0600-\u06FF]")
# Short, frequent words that tell Spanish from English in a few lines of a resident's message.
_SPANISH = frozenset(
    [
        "el",
        "la",
        "los",
        "las",
        "un",
        "una",
        "de",
        "del",
        "que",
        "en",
        "es",
        "por",
        "para",
        "con",
        "hay",
        "no",
        "mi",
        "calle",
        "esta",
        "está",
        "muy",
        "gracias",
        "hola",
        "favor",
        "basura",
        "bache",
        "luz",
        "semáforo",
        "árbol",
        "agua",
        "frente",
        "casa",
        "desde",
        "hace",
        "días",
    ]
)
_ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "is",
        "in",
        "on",
        "for",
        "with",
        "there",
        "not",
        "my",
        "street",
        "this",
        "very",
        "thanks",
        "hello",
        "please",
        "trash",
        "pothole",
        "light",
        "tree",
        "water",
        "front",
        "house",
        "since",
        "days",
        "at",
        "it",
    ]
)
_WORD = re.compile(r"[^\W\d_]+")


def language_guess(text: str) -> str:
    """ "ar", "es" or "en": Arabic script is Arabic; otherwise the more frequent of Spanish and
    English small words (English on a tie, the city's first language)."""
    if _ARABIC.search(text):
        return "ar"
    words = [word.lower() for word in _WORD.findall(text)]
    spanish = sum(word in _SPANISH for word in words) + sum(c in "ñáéíóú¿¡" for c in text.lower())
    english = sum(word in _ENGLISH for word in words)
    return "es" if spanish > english else "en"


def tracking_number_find(text: str) -> str | None:
    """The first tracking number in `text`, written as issued (`311-ABCD-1234`), any case."""
    letters = re.escape(ALPHABET)
    prefix = re.escape(settings.CITYLINE_TRACKING_PREFIX)
    found = re.search(
        rf"(?<![\w-]){prefix}-([{letters}]{{4}})-([{letters}]{{4}})(?![\w-])", text, re.IGNORECASE
    )
    if found is None:
        return None
    return f"{settings.CITYLINE_TRACKING_PREFIX}-{found.group(1).upper()}-{found.group(2).upper()}"

"""Scrubbing free text before it is published: e-mail addresses, phone numbers and names.

The rule, in order:
1. E-mail addresses (anything shaped `word@domain.tld`) become `[email]`.
2. Phone numbers become `[phone]`: those Google's libphonenumber (`phonenumbers`) finds as
   possible numbers of the city's region (`CITYLINE_PHONE_REGION`) or in international form.
3. Names become `[name]`:
   - the names the system knows for the request (its requester's first and last name, the names
     callers gave in contacts linked to it), as whole words in any case;
   - staff names (everyone with a role, staff or superuser): a first and last name written
     together in any case, and each one alone where it is capitalised as a name is;
   - up to three capitalised words after a title (Mr, Mrs, Ms, Miss, Mx, Dr, Prof, Sr, Sra,
     Srta), after an introduction ("my name is", "I am", "I'm", "this is", "me llamo",
     "mi nombre es", "soy"), after a relation ("my neighbor", "my landlord", "my mother", …),
     and closing the text after a sign-off ("Thanks,", "Regards,", "Gracias,", a dash).

Limits: a name the system does not know, written without any of those cues ("John left his car
here"), or in a script without capitals (Arabic), stays. A known name that is also a word ("Rose",
"Park") is removed wherever it stands for the request's own people, and where capitalised for
staff: the text loses a word rather than keeping a name. No model is used: none can be downloaded
where Cityline runs, and the free-text fields of the types where this is not enough are left out
of open data instead (`open_data_text` on the service type).
"""

import re
from collections.abc import Iterable

import phonenumbers

EMAIL_MARK = "[email]"
PHONE_MARK = "[phone]"
NAME_MARK = "[name]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A capitalised word of any Latin script (with an apostrophe or hyphen inside: O'Brien, Jean-Luc).
_CAPITALISED = r"[A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_]*(?:['\u2019-][^\W\d_]+)*"
_NAME = rf"{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,2}}"
_CUES = (
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sr|Sra|Srta)\.?\s+",
    r"(?i:\b(?:my\s+name\s+is|my\s+name's|i\s+am|i'm|i\u2019m|this\s+is|me\s+llamo"
    r"|mi\s+nombre\s+es|soy)\s+)",
    r"(?i:\bmy\s+(?:neighbou?r|landlord|landlady|tenant|roommate|mother|father|mom|dad|son"
    r"|daughter|wife|husband|partner|friend|brother|sister|aunt|uncle|grandmother|grandfather"
    r"|caregiver|carer)(?:'s|\u2019s)?,?\s+)",
)
_CUED_NAME = re.compile(rf"(?P<cue>{'|'.join(_CUES)})(?P<name>{_NAME})")
_SIGNATURE = re.compile(
    rf"(?P<cue>(?i:\b(?:thanks|thank\s+you|regards|best|sincerely|cheers|gracias|saludos"
    rf"|atentamente))[,.!]?\s*|[-\u2013\u2014~]\s*)(?P<name>{_NAME})[.!]?\s*$"
)
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_LAST_WORD = re.compile(r"([^\W\d_]+)\s+$")
_FIRST_WORD = re.compile(r"\s+([^\W\d_]+)")


def _words(names: Iterable[str]) -> set[str]:
    return {word.casefold() for name in names for word in _WORD.findall(name) if len(word) > 1}


class Scrubber:
    """Scrubs texts for one export: the staff names and the phone region are read once."""

    def __init__(self, *, region: str, staff_names: Iterable[str]) -> None:
        self.region = region
        self.staff_words = _words(staff_names)

    def scrub(self, text: str, *, names: Iterable[str] = ()) -> str:
        """The text without e-mail addresses, phone numbers or names (`names`: those the system
        knows for the text's request)."""
        if not text:
            return text
        text = _EMAIL.sub(EMAIL_MARK, text)
        text = self._phones_out(text)
        text = _CUED_NAME.sub(lambda m: m["cue"] + NAME_MARK, text)
        text = _SIGNATURE.sub(lambda m: m["cue"] + NAME_MARK, text)
        return self._known_names_out(text, _words(names))

    def scrub_contact_details(self, text: str) -> str:
        """The text without e-mail addresses or phone numbers (for addresses, where street
        names look like people's names)."""
        return self._phones_out(_EMAIL.sub(EMAIL_MARK, text)) if text else text

    def _phones_out(self, text: str) -> str:
        matches = list(
            phonenumbers.PhoneNumberMatcher(
                text, self.region, leniency=phonenumbers.Leniency.POSSIBLE
            )
        )
        for match in reversed(matches):
            text = text[: match.start] + PHONE_MARK + text[match.end :]
        return text

    def _known_names_out(self, text: str, request_words: set[str]) -> str:
        def replaced(match: re.Match[str]) -> str:
            word = match.group(0)
            folded = word.casefold()
            if folded in request_words:
                return NAME_MARK
            if folded in self.staff_words and (word[0].isupper() or self._in_full_name(match)):
                return NAME_MARK
            return word

        return _WORD.sub(replaced, text)

    def _in_full_name(self, match: re.Match[str]) -> bool:
        """Whether the word stands beside another staff name word (a first and last name)."""
        before = _LAST_WORD.search(match.string, 0, match.start())
        after = _FIRST_WORD.match(match.string, match.end())
        neighbours = [found.group(1) for found in (before, after) if found]
        return any(word.casefold() in self.staff_words for word in neighbours)

"""The phrasings `bench/suggest.py` scores suggestions on (the set the method is tuned on and the
held-out set) are not in the demo history the classifier learns from, and each names a public
type of the demo catalog."""

import json
import re
from pathlib import Path

from cityline.demo import content

BENCH = Path(__file__).resolve().parents[3] / "bench"
PHRASINGS = BENCH / "suggest-phrasings.json"
HELD_OUT = BENCH / "suggest-heldout.json"


def _phrasings(path: Path = PHRASINGS) -> dict[str, list[list[str]]]:
    return json.loads(path.read_text())


def _both() -> dict[str, list[list[str]]]:
    tuning, held_out = _phrasings(PHRASINGS), _phrasings(HELD_OUT)
    return {language: tuning[language] + held_out[language] for language in tuning}


def _history_phrases() -> list[str]:
    phrases = []
    for profile in content.history().types.values():
        phrases += [t.text for t in profile.descriptions]
        phrases += [t.text for ts in profile.descriptions_in.values() for t in ts]
    return phrases


def test_there_are_at_least_twenty_phrasings_in_each_language():
    # when
    phrasings = _phrasings()
    # then
    assert set(phrasings) == {"en", "es", "ar"}
    assert all(len(rows) >= 20 for rows in phrasings.values())
    assert sum(len(rows) for rows in phrasings.values()) >= 60


def test_the_held_out_set_has_at_least_thirty_phrasings_in_every_language():
    # when
    held_out = _phrasings(HELD_OUT)
    # then
    assert set(held_out) == {"en", "es", "ar"}
    assert all(len(rows) >= 10 for rows in held_out.values())
    assert sum(len(rows) for rows in held_out.values()) >= 30


def test_the_held_out_set_shares_no_phrasing_with_the_tuning_set():
    # given
    tuning = {text.lower() for rows in _phrasings(PHRASINGS).values() for text, _ in rows}
    # when
    shared = [
        text for rows in _phrasings(HELD_OUT).values() for text, _ in rows if text.lower() in tuning
    ]
    # then
    assert shared == []


def test_every_phrasing_expects_a_public_type_of_the_demo_catalog():
    # given
    public = {t.code for t in content.catalog().service_types if t.is_public}
    # when
    expected = {code for rows in _both().values() for _, code in rows}
    # then
    assert expected <= public


def test_no_phrasing_is_in_the_demo_history():
    # given: each phrase of the history, its placeholders standing for any words
    patterns = [
        re.compile(
            ".*".join(re.escape(part) for part in re.split(r"\{[a-z_]+\}", phrase)),
            re.IGNORECASE,
        )
        for phrase in _history_phrases()
    ]
    # when
    found = [
        text
        for rows in _both().values()
        for text, _ in rows
        if any(pattern.fullmatch(text) for pattern in patterns)
        or any(text.lower() in phrase.lower() for phrase in _history_phrases())
    ]
    # then
    assert found == []

import pytest

from cityline.knowledge.searchterms import (
    edit_distance,
    spellings,
    tokenise,
    typo_allowance,
    word_start,
)


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("How do I get a tree removed?", ["get", "tree", "removed"]),
        ("Potholes, sinkholes and a cave-in", ["pothole", "sinkhole", "cave"]),
        ("¿Cómo quito un árbol?", ["quito", "arbol"]),
        ("PARTIES parties", ["party"]),
        ("grass bus", ["grass", "bus"]),
        ("", []),
    ],
)
def test_text_becomes_normalised_terms(text, terms):
    assert tokenise(text) == terms


@pytest.mark.parametrize(
    ("first", "second", "distance"),
    [
        ("pothole", "pothole", 0),
        ("pothloe", "pothole", 1),
        ("racoon", "raccoon", 1),
        ("garbge", "garbage", 1),
        ("parking", "barking", 1),
        ("tree", "three", 1),
    ],
)
def test_edit_distance_counts_swaps_once(first, second, distance):
    assert edit_distance(first, second, limit=2) == distance


def test_edit_distance_stops_beyond_the_limit():
    assert edit_distance("pothole", "sanitation", limit=2) == 3


@pytest.mark.parametrize(("term", "allowance"), [("bus", 0), ("tree", 1), ("garbage", 1)])
def test_words_of_four_letters_or_more_allow_one_typo(term, allowance):
    assert typo_allowance(term) == allowance


@pytest.mark.parametrize(
    ("typed", "indexed"),
    [
        ("garbge", "garbage"),  # a letter missing
        ("raccoonn", "raccoon"),  # a letter too many
        ("noize", "noise"),  # a letter changed
        ("pothloe", "pothole"),  # two neighbours swapped
        ("tree", "tree"),
    ],
)
def test_the_spellings_of_words_one_typo_apart_meet(typed, indexed):
    assert spellings(typed) & spellings(indexed)


def test_the_spellings_of_words_further_apart_do_not_meet():
    assert not spellings("removal") & spellings("removed")
    assert not spellings("pothole") & spellings("parking")


def test_a_short_word_is_its_only_spelling():
    assert spellings("bus") == {"bus"}
    assert spellings("tree") == {"tree", "ree", "tee", "tre"}


@pytest.mark.parametrize(
    ("word", "start"),
    [("up", None), ("tre", "tre"), ("sinkho", "sinkho"), ("removal", "remov")],
)
def test_a_typed_word_starts_longer_words_and_a_long_one_may_end_differently(word, start):
    assert word_start(word) == start

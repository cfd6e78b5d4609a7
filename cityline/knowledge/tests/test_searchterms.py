import pytest

from cityline.knowledge.searchterms import edit_distance, tokenise, typo_allowance


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


@pytest.mark.parametrize(("term", "allowance"), [("bus", 0), ("tree", 1), ("garbage", 2)])
def test_longer_words_allow_more_typos(term, allowance):
    assert typo_allowance(term) == allowance

"""Search relevance on the words residents actually use."""

import pytest

from cityline.catalog.tests.factories import (
    AgencyFactory,
    ServiceTypeFactory,
    ServiceTypeKeywordFactory,
)
from cityline.knowledge.indexing import search_index_rebuild, search_index_service_types
from cityline.knowledge.models import KnowledgeArticle
from cityline.knowledge.selectors import knowledge_search
from cityline.knowledge.services import article_expire
from cityline.knowledge.tests.factories import (
    editor_of,
    make_article,
    sanitation,
    translate,
)
from cityline.knowledge.tests.phrasings import RESIDENT_PHRASINGS

pytestmark = pytest.mark.django_db


def _service_type(code, name, keywords, agency_code="DOT", **extra):
    service_type = ServiceTypeFactory(
        code=code, name=name, agency=AgencyFactory(code=agency_code), **extra
    )
    for keyword in keywords:
        ServiceTypeKeywordFactory(service_type=service_type, term=keyword)
    return service_type


@pytest.fixture
def city():
    _service_type("pothole", "Pothole", ["sinkhole", "cave-in", "hole in road"])
    _service_type(
        "dead-animal", "Dead Animal Removal", ["roadkill", "dead raccoon"], agency_code="DSNY"
    )
    _service_type(
        "missed-collection",
        "Missed Garbage Collection",
        ["trash not picked up", "missed pickup"],
        agency_code="DSNY",
    )
    _service_type("noise-party", "Loud Party", ["noise", "music"], agency_code="NYPD")
    search_index_service_types()
    trees = make_article(
        slug="tree-removal",
        title="How do I get a tree removed?",
        topic="Trees",
        body="Parks inspects the tree and removes it if it is dead or dangerous.",
        internal_notes="Secret escalation: call the borough forester directly.",
    )
    translate(
        trees,
        language="es",
        title="¿Cómo quito un árbol?",
        body="Parques inspecciona el árbol.",
    )
    make_article(
        slug="alternate-side-parking",
        title="Is alternate side parking in effect today?",
        topic="Parking",
        body="Street cleaning rules are suspended on holidays.",
    )
    make_article(
        slug="bulk-pickup",
        title="How do I throw out a couch or mattress?",
        topic="Garbage",
        body="Schedule a bulk item pickup with Sanitation.",
        agency=sanitation(),
    )


def _keys(query, language="en"):
    return [result.key for result in knowledge_search(query=query, language=language)]


@pytest.mark.parametrize(("query", "expected"), RESIDENT_PHRASINGS)
def test_resident_phrasings_find_the_right_answer_first(city, query, expected):
    # when
    keys = _keys(query)
    # then
    assert keys
    assert keys[0] == expected


def test_a_spanish_reader_finds_the_spanish_title(city):
    # when
    results = knowledge_search(query="quitar árbol", language="es")
    # then
    assert results[0].key == "tree-removal"
    assert results[0].title == "¿Cómo quito un árbol?"


def test_a_reader_in_another_language_finds_source_language_articles(city):
    # when
    results = knowledge_search(query="parking", language="fr")
    # then
    assert results[0].key == "alternate-side-parking"
    assert results[0].title == "Is alternate side parking in effect today?"


def test_internal_notes_are_never_searchable(city):
    assert _keys("forester") == []
    assert _keys("secret escalation") == []


def test_nonsense_and_empty_queries_find_nothing(city):
    assert _keys("xyzzy qwerty") == []
    assert _keys("") == []
    assert _keys("the and of") == []


def test_expired_articles_are_not_found(city):
    # given
    article_expire(
        article=KnowledgeArticle.objects.get(slug="bulk-pickup"), by=editor_of(sanitation())
    )
    # when / then
    assert "bulk-pickup" not in _keys("couch")


def test_unpublished_articles_and_staff_only_service_types_are_not_found():
    # given
    make_article(slug="draft", title="How do I adopt a tree pit?", published=False)
    _service_type("tree-audit", "Tree Pit Audit", [], is_public=False)
    search_index_service_types()
    # when / then
    assert _keys("tree pit") == []


def test_a_rebuilt_index_finds_the_same_answers(city):
    # given
    before = _keys("tree")
    # when
    search_index_rebuild()
    # then
    assert _keys("tree") == before
    assert before[0] == "tree-removal"


def test_results_are_limited():
    # given
    for number in range(5):
        make_article(slug=f"tree-{number}", title=f"Tree question {number}?")
    # when / then
    assert len(knowledge_search(query="tree", language="en", limit=3)) == 3

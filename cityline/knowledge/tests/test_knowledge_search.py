"""Search relevance on the words residents actually use."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cityline.catalog.tests.factories import (
    AgencyFactory,
    ServiceTypeFactory,
    ServiceTypeKeywordFactory,
)
from cityline.knowledge.indexing import (
    search_index_rebuild,
    search_index_service_types,
    search_popularity,
)
from cityline.knowledge.models import KnowledgeArticle, SearchDocument, SearchSpelling
from cityline.knowledge.ranking import knowledge_search
from cityline.knowledge.services import (
    article_expire,
    article_feedback_record,
    revision_draft_save,
)
from cityline.knowledge.tests.factories import (
    editor_of,
    make_article,
    publish,
    sanitation,
    translate,
)
from cityline.knowledge.tests.phrasings import RESIDENT_PHRASINGS

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("America/Chicago"))


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


def test_a_spanish_reader_sees_the_spanish_title_of_an_article_found_in_english(city):
    # when: "dangerous" is only in the English body
    results = knowledge_search(query="dangerous", language="es")
    # then
    assert [(r.key, r.title) for r in results] == [("tree-removal", "¿Cómo quito un árbol?")]


def test_an_article_is_not_found_once_its_expiry_time_has_passed(city):
    # given
    article = KnowledgeArticle.objects.get(slug="bulk-pickup")
    with time_machine.travel(NOW, tick=False):
        article_expire(article=article, by=editor_of(sanitation()), at=NOW + timedelta(hours=1))
        assert "bulk-pickup" in _keys("couch")
    # when / then
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        assert "bulk-pickup" not in _keys("couch")


def test_internal_notes_reach_neither_the_index_nor_its_vocabulary(city):
    # then
    indexed = " ".join(
        f"{document.title_terms} {document.body_terms}" for document in SearchDocument.objects.all()
    )
    assert "forester" not in indexed.split()
    assert not SearchSpelling.objects.filter(word__in=["forester", "escalation"]).exists()
    # and a typo of an internal word finds nothing either
    assert _keys("forestr") == []


def test_helpful_feedback_lifts_an_article_above_an_equal_one():
    # given: two articles that answer "recycling" equally well
    make_article(slug="recycling-a", title="Recycling rules", body="What goes in which bin.")
    make_article(slug="recycling-b", title="Recycling rules", body="What goes in which bin.")
    assert _keys("recycling") == ["recycling-a", "recycling-b"]
    # when
    for reader in range(3):
        article_feedback_record(
            slug="recycling-b", language="en", helpful=True, client=f"10.0.0.{reader}"
        )
    # then
    assert _keys("recycling") == ["recycling-b", "recycling-a"]


def test_popularity_does_not_lift_a_weaker_match_above_a_better_one():
    # given: one article has "recycling" in its title, the other only in its body
    make_article(slug="in-title", title="Recycling rules", body="What goes in which bin.")
    make_article(slug="in-body", title="Bins and bags", body="Recycling goes in the blue bin.")
    # when
    for reader in range(20):
        article_feedback_record(
            slug="in-body", language="en", helpful=True, client=f"10.0.0.{reader}"
        )
    # then
    assert _keys("recycling") == ["in-title", "in-body"]


@pytest.mark.parametrize(
    ("helpful", "not_helpful", "popularity"),
    [(0, 0, 0.0), (1, 0, 1 / 6), (5, 5, 1 / 3), (95, 0, 0.95)],
)
def test_popularity_is_helpful_answers_over_all_answers_and_a_prior(
    helpful, not_helpful, popularity
):
    assert search_popularity(helpful=helpful, not_helpful=not_helpful) == pytest.approx(popularity)


def test_a_rebuilt_index_forgets_words_no_longer_used(city):
    # given
    article = KnowledgeArticle.objects.get(slug="bulk-pickup")
    revision_draft_save(
        article=article,
        language="en",
        title="How do I throw out a sofa?",
        body="Schedule a bulk item pickup.",
        by=editor_of(sanitation()),
    )
    publish(article.revisions.filter(state="draft").get(), by=editor_of(sanitation()))
    assert SearchSpelling.objects.filter(word="mattress").exists()
    # when
    search_index_rebuild()
    # then
    assert not SearchSpelling.objects.filter(word="mattress").exists()
    assert _keys("sofa") == ["bulk-pickup"]


def test_a_search_takes_three_queries_however_many_words_and_results(
    city, django_assert_num_queries
):
    # given: this worker has read the catalog's words (`catalog.matching`) once already
    knowledge_search(query="pothole", language="es")
    # when / then: the vocabulary, the full-text ranking, the titles
    with django_assert_num_queries(3):
        results = knowledge_search(query="altrenate side parkng tree pothole", language="es")
    assert len(results) >= 3


def test_a_word_the_index_knows_is_not_also_read_as_a_typo():
    # given
    make_article(slug="lead-paint", title="Lead paint at home")
    make_article(slug="dead-bird", title="Dead bird on my balcony")
    # when / then
    assert _keys("dead") == ["dead-bird"]
    # and a word it does not know is read as either
    assert set(_keys("bead")) == {"dead-bird", "lead-paint"}


def test_the_rare_word_of_a_question_counts_more_than_a_common_one():
    # given: "street" is in four articles, "raccoon" in one
    for topic in ["cleaning", "fairs", "trees", "lights"]:
        make_article(slug=f"street-{topic}", title=f"Street {topic}")
    make_article(slug="raccoon", title="Raccoon in the yard")
    # when / then
    assert _keys("raccoon street")[0] == "raccoon"


def test_a_word_in_the_title_counts_more_than_in_the_body():
    # given
    make_article(slug="in-body", title="Bins and bags", body="Recycling goes in the blue bin.")
    make_article(slug="in-title", title="Recycling days", body="Every week.")
    # when / then
    assert _keys("recycling")[0] == "in-title"

"""The help search follows the resident's words to the service types they lead to, and finds the
answers linked to those types even when they share no word with the question."""

from datetime import timedelta

import pytest

from cityline.catalog.classifier import classifier_train
from cityline.catalog.tests.factories import (
    AgencyFactory,
    ServiceTypeFactory,
    ServiceTypeKeywordFactory,
)
from cityline.core import clock
from cityline.knowledge.indexing import search_index_service_types
from cityline.knowledge.ranking import knowledge_search
from cityline.knowledge.tests.factories import make_article
from cityline.servicerequests.tests.factories import historic_request, load_historic

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    dot = AgencyFactory(code="DOT")
    lights = ServiceTypeFactory(code="street-light-out", name="Street Light Out", agency=dot)
    for term in ("lamp post", "streetlight"):
        ServiceTypeKeywordFactory(service_type=lights, term=term)
    strays = ServiceTypeFactory(code="stray-animal", name="Stray Animal", agency=dot)
    ServiceTypeKeywordFactory(service_type=strays, term="loose dog")
    board_up = ServiceTypeFactory(
        code="emergency-board-up", name="Emergency Board-Up", agency=dot, is_public=False
    )
    ServiceTypeKeywordFactory(service_type=board_up, term="lamp post")
    search_index_service_types()
    make_article(
        slug="broken-streetlight",
        title="How do I report a broken streetlight?",
        body="Tell us the pole number.",
        service_types=[lights],
    )
    make_article(
        slug="stray-dog",
        title="What happens to a stray dog?",
        body="Animal Care picks it up.",
        service_types=[strays],
    )
    make_article(
        slug="board-up-orders",
        title="Who seals vacant buildings?",
        body="Inspectors order it.",
        service_types=[board_up],
    )
    return {"lights": lights, "strays": strays}


def _answers(query, **options):
    return [
        r.key
        for r in knowledge_search(query=query, language="en", **options)
        if r.kind == "article"
    ]


def test_words_that_lead_to_a_type_find_its_answer(city):
    # when
    results = knowledge_search(query="lamp post dark at night", language="en")
    # then: the street-light answer shares no word with the question
    answers = [r for r in results if r.kind == "article"]
    assert [r.key for r in answers] == ["broken-streetlight"]
    assert answers[0].service_types == ("street-light-out",)


def test_without_following_types_only_the_words_find_answers(city):
    # when / then
    assert _answers("lamp post dark at night", through_service_types=False) == []


def test_the_classifier_of_the_history_leads_to_answers_too(city, settings, tmp_path):
    # given
    settings.CITYLINE_CLASSIFIER_PATH = tmp_path / "classifier.joblib"
    rows = []
    for service_type, texts in (
        (
            city["strays"],
            ["dog with no collar running around", "lost puppy wandering", "dog loose"],
        ),
        (city["lights"], ["the light on the pole is out", "pole light dark", "light flickers"]),
    ):
        for n, text in enumerate(texts):
            row = historic_request(service_type=service_type, source_id=f"{service_type.code}{n}")
            row.description = text
            rows.append(row)
    load_historic(rows)
    classifier_train()
    # when
    answers = _answers("a puppy with no collar wandering")
    # then
    assert answers[0] == "stray-dog"


def test_answers_of_staff_only_types_are_not_reached_through_them(city):
    # when / then
    assert "board-up-orders" not in _answers("lamp post dark at night")


def test_an_expired_answer_is_not_reached_through_its_type(city):
    # given
    article = city["lights"].knowledge_articles.get()
    article.expire_at = clock.now() - timedelta(minutes=1)
    article.save(update_fields=["expire_at"])
    # when / then
    assert _answers("lamp post dark at night") == []

"""Search reaches across languages: a reader's words find the answers and services of the other
languages when their own has none, each result saying which language it is in."""

import pytest

from cityline.catalog.services import (
    ServiceTypeText,
    agency_upsert,
    catalog_translate,
    service_type_upsert,
)
from cityline.knowledge.indexing import search_index_service_types
from cityline.knowledge.ranking import knowledge_search
from cityline.knowledge.tests.factories import make_article, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    sanitation = agency_upsert(code="DSAN", name="Department of Sanitation")
    trash = service_type_upsert(
        code="missed-collection",
        name="Missed Trash or Recycling Pickup",
        agency=sanitation,
        # The city's words for it in every language it speaks.
        keywords=["garbage", "basura", "نفايات", "قمامة", "تدوير", "إعادة التدوير"],
    )
    catalog_translate(
        language="ar",
        service_types={"missed-collection": ServiceTypeText(name="لم تُجمع القمامة")},
    )
    search_index_service_types()
    make_article(
        slug="trash-pickup",
        title="When is my trash picked up?",
        body="Put your bins at the curb by 6 a.m. on your collection day.",
        agency=sanitation,
        service_types=[trash],
    )
    pothole = make_article(
        slug="pothole", title="How do I report a pothole?", body="Tell us where it is."
    )
    translate(pothole, language="ar", title="كيف أبلغ عن حفرة؟", body="أخبرنا بمكانها.")
    bins = make_article(
        slug="bins", title="Which bins may I use?", body="Any bin with a lid.", agency=sanitation
    )
    translate(bins, language="es", title="¿Qué contenedores puedo usar?", body="Con tapa.")


@pytest.mark.parametrize("word", ["نفايات", "قمامة", "تدوير"])
def test_arabic_words_find_the_english_answer_and_the_service_in_arabic(city, word):
    # when
    results = knowledge_search(query=word, language="ar")
    # then
    found = {(r.kind, r.key): r for r in results}
    answer = found[("article", "trash-pickup")]
    assert (answer.title, answer.language) == ("When is my trash picked up?", "en")
    service = found[("service_type", "missed-collection")]
    assert (service.title, service.language) == ("لم تُجمع القمامة", "ar")


def test_an_answer_in_the_reader_s_language_is_found_in_it(city):
    # when
    results = knowledge_search(query="حفرة", language="ar")
    # then
    assert [(r.key, r.title, r.language) for r in results] == [
        ("pothole", "كيف أبلغ عن حفرة؟", "ar")
    ]


def test_a_service_not_translated_is_shown_in_the_city_language(city):
    # when
    results = knowledge_search(query="basura", language="es")
    # then
    service = next(r for r in results if r.kind == "service_type")
    assert (service.title, service.language) == ("Missed Trash or Recycling Pickup", "en")


def test_words_only_a_translation_has_find_its_answer_shown_in_the_reader_s_language(city):
    # when: an English reader types a word of the Spanish translation only
    results = knowledge_search(query="contenedores", language="en")
    # then
    assert [(r.key, r.title, r.language) for r in results] == [
        ("bins", "Which bins may I use?", "en")
    ]


def test_words_only_a_translation_has_find_it_in_that_language_when_the_reader_s_has_none(city):
    # when: an Arabic reader types a word of the Spanish translation only
    results = knowledge_search(query="contenedores", language="ar")
    # then: the answer in its source language, which every reader falls back to
    assert [(r.key, r.title, r.language) for r in results] == [
        ("bins", "Which bins may I use?", "en")
    ]

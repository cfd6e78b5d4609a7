"""The catalog's text on the help pages is in the reader's language where the city translated
it, and in the city's own language where it did not; search reaches across languages."""

import pytest
from django.urls import reverse

from cityline.catalog.services import (
    ServiceTypeText,
    Text,
    agency_upsert,
    catalog_translate,
    service_type_upsert,
)
from cityline.knowledge.indexing import search_index_service_types
from cityline.knowledge.services import topic_titles_set
from cityline.knowledge.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def trash_answer():
    sanitation = agency_upsert(code="DSAN", name="Department of Sanitation")
    trash = service_type_upsert(
        code="missed-collection",
        name="Missed Trash Pickup",
        agency=sanitation,
        keywords=["garbage", "نفايات", "قمامة", "تدوير"],
    )
    dumping = service_type_upsert(code="illegal-dumping", name="Illegal Dumping", agency=sanitation)
    for language, agency, trash_name in (
        ("es", "Departamento de Saneamiento", "Basura no recogida"),
        ("ar", "إدارة النظافة", "لم تُجمع القمامة"),
    ):
        catalog_translate(
            language=language,
            agencies={"DSAN": Text(name=agency)},
            service_types={"missed-collection": ServiceTypeText(name=trash_name)},
        )
    search_index_service_types()
    return make_article(
        slug="trash-pickup",
        title="When is my trash picked up?",
        body="Put your bins at the curb by 6 a.m.",
        agency=sanitation,
        topic="Trash and recycling",
        service_types=[trash, dumping],
    )


def _page(client, language: str) -> str:
    url = reverse("portal:article", args=["trash-pickup"])
    return client.get(url, headers={"accept-language": language}).content.decode()


@pytest.mark.parametrize(
    ("language", "agency", "service"),
    [
        ("en", "Department of Sanitation", "Missed Trash Pickup"),
        ("es", "Departamento de Saneamiento", "Basura no recogida"),
        ("ar", "إدارة النظافة", "لم تُجمع القمامة"),
    ],
)
def test_the_answer_names_its_services_and_agency_in_the_reader_s_language(
    client, trash_answer, language, agency, service
):
    # when
    page = _page(client, language)
    # then
    assert f"<bdi>{agency}</bdi>" in page
    assert f'<a dir="auto" href="/report/?service=missed-collection">{service}</a>' in page
    if language != "en":
        assert "Department of Sanitation" not in page
        assert "Missed Trash Pickup" not in page


def test_a_service_not_translated_is_named_in_the_city_language(client, trash_answer):
    # when
    page = _page(client, "ar")
    # then
    assert '<a dir="auto" href="/report/?service=illegal-dumping">Illegal Dumping</a>' in page


@pytest.mark.parametrize("word", ["نفايات", "قمامة", "تدوير"])
def test_an_arabic_search_finds_the_english_answer_labelled_as_english(client, trash_answer, word):
    # when
    response = client.get(reverse("portal:search"), {"q": word}, headers={"accept-language": "ar"})
    # then
    page = response.content.decode()
    assert (
        '<a dir="auto" lang="en" href="/help/articles/trash-pickup/">'
        "When is my trash picked up?</a>"
    ) in page
    assert "بالإنجليزية" in page
    assert (
        '<a dir="auto" lang="ar" href="/report/?service=missed-collection">لم تُجمع القمامة</a>'
    ) in page


def test_results_in_the_reader_s_language_carry_no_language_label(client, trash_answer):
    # when
    response = client.get(reverse("portal:search"), {"q": "garbage"})
    # then
    page = response.content.decode()
    assert "When is my trash picked up?" in page
    assert 'class="kind in-language"' not in page


def test_topics_are_named_in_the_reader_s_language_where_titled(client, trash_answer):
    # given
    topic_titles_set(language="ar", titles={"Trash and recycling": "القمامة وإعادة التدوير"})
    arabic = {"accept-language": "ar"}
    # when
    topics = client.get(reverse("portal:topics"), headers=arabic).content.decode()
    topic = client.get(
        reverse("portal:topic", args=["Trash and recycling"]), headers=arabic
    ).content.decode()
    article = _page(client, "ar")
    spanish = _page(client, "es")
    # then
    assert ">القمامة وإعادة التدوير</a>" in topics
    assert "<h1>القمامة وإعادة التدوير</h1>" in topic
    assert ">القمامة وإعادة التدوير</a></nav>" in article
    assert ">Trash and recycling</a></nav>" in spanish

"""Suggesting service types from a resident's own words: the catalog's words, the knowledge
base's answers and the classifier of the city's history, combined by one scoring rule."""

import pytest

from cityline.catalog.classifier import classifier_train
from cityline.catalog.matching import (
    CATALOG_WEIGHT,
    CLASSIFIER_WEIGHT,
    KNOWLEDGE_WEIGHT,
    Audience,
    Evidence,
    evidence_sources,
    suggestion_score,
    word_stems,
)
from cityline.catalog.suggestions import service_type_catalog_by_group, service_type_suggest
from cityline.catalog.tests.factories import (
    AgencyFactory,
    ServiceGroupFactory,
    ServiceTypeFactory,
    ServiceTypeKeywordFactory,
)
from cityline.knowledge.indexing import search_index_service_types
from cityline.knowledge.tests.factories import make_article, sanitation, translate
from cityline.servicerequests.tests.factories import historic_request, load_historic

pytestmark = pytest.mark.django_db


def _type(code, name, keywords=(), group="Streets", **extra):
    service_type = ServiceTypeFactory.create(
        code=code,
        name=name,
        group=ServiceGroupFactory(name=group),
        agency=AgencyFactory(code="DOT"),
        **extra,
    )
    for keyword in keywords:
        ServiceTypeKeywordFactory(service_type=service_type, term=keyword)
    return service_type


@pytest.fixture
def catalog():
    types = {
        "pothole": _type("pothole", "Pothole", ["sinkhole", "hole in the road", "crater"]),
        "street-light-out": _type(
            "street-light-out", "Street Light Out", ["lamp post", "streetlight", "dark street"]
        ),
        "bulk-item": _type(
            "bulk-item", "Bulk Item Pickup", ["couch", "mattress"], group="Sanitation"
        ),
        "emergency-board-up": _type(
            "emergency-board-up",
            "Emergency Board-Up",
            ["board up", "open window"],
            group="Buildings",
            is_public=False,
        ),
        "old-lamps": _type("old-lamps", "Gas Lamp Repair", ["gas lamp"], is_active=False),
    }
    search_index_service_types()
    return types


@pytest.fixture
def classifier_path(settings, tmp_path):
    settings.CITYLINE_CLASSIFIER_PATH = tmp_path / "classifier.joblib"
    return settings.CITYLINE_CLASSIFIER_PATH


def _learn(descriptions):
    rows = []
    for code, texts in descriptions.items():
        service_type = ServiceTypeFactory.create(code=code)
        for n, text in enumerate(texts):
            row = historic_request(service_type=service_type, source_id=f"{code}-{n}")
            row.description = text
            rows.append(row)
    load_historic(rows)
    classifier_train()


def _codes(text, language="en", **options):
    return [s.code for s in service_type_suggest(text=text, language=language, **options)]


def test_the_score_is_the_weighted_sum_of_the_three_sources():
    # when
    score = suggestion_score(Evidence(catalog=1.0, knowledge=0.5, classifier=0.25))
    # then
    assert score == pytest.approx(
        CATALOG_WEIGHT * 1.0 + KNOWLEDGE_WEIGHT * 0.5 + CLASSIFIER_WEIGHT * 0.25
    )
    assert pytest.approx(1.0) == CATALOG_WEIGHT + KNOWLEDGE_WEIGHT + CLASSIFIER_WEIGHT


def test_a_source_counts_as_matched_only_when_it_leads_to_the_type():
    # when / then
    assert evidence_sources(Evidence(catalog=0.4, classifier=0.01)) == ("catalog",)
    assert evidence_sources(Evidence(knowledge=0.3, classifier=0.6)) == (
        "classifier",
        "knowledge",
    )
    assert evidence_sources(Evidence()) == ()


def test_a_keyword_in_the_residents_words_suggests_its_type_first(catalog):
    # when
    suggestions = service_type_suggest(text="the lamp post outside is broken", language="en")
    # then
    assert suggestions[0].code == "street-light-out"
    assert "catalog" in suggestions[0].sources
    assert suggestions[0].name == "Street Light Out" and suggestions[0].group == "Streets"


def test_a_misspelt_keyword_still_suggests_its_type(catalog):
    # when / then
    assert _codes("lampost is out")[0] == "street-light-out"
    assert _codes("a sinkhoel opened up")[0] == "pothole"


def test_a_types_description_leads_to_it_when_its_names_and_keywords_do_not(catalog):
    # given: "idling" is only in the type's description
    _type(
        "air-quality",
        "Smoke or Odor",
        ["smoke", "bad smell"],
        group="Environment",
        description="A vehicle idling more than three minutes, or chemical odors.",
    )
    # when
    suggestions = service_type_suggest(text="a bus idles by the school every day", language="en")
    # then
    assert suggestions[0].code == "air-quality"
    assert "catalog" in suggestions[0].sources


def test_the_forms_of_a_word_share_a_stem_in_every_catalog_language():
    # when / then
    assert set(word_stems("blocking")) & set(word_stems("blocked"))
    assert set(word_stems("bloquearon")) & set(word_stems("bloqueada"))
    assert set(word_stems("بالشارع")) & set(word_stems("الشارع"))
    assert set(word_stems("حفرة")) & set(word_stems("حُفره"))


def test_the_small_words_of_a_sentence_are_no_stems():
    # when / then
    assert word_stems("the hole is in the road") == [*word_stems("hole"), *word_stems("road")]
    assert word_stems("de la en el") == []
    assert word_stems("في من على") == []


def test_an_answer_that_leads_to_a_type_suggests_it_and_is_named(catalog):
    # given: an answer in Spanish whose words are none of the catalog's
    article = make_article(
        slug="old-furniture",
        title="How do I throw out old furniture?",
        body="Schedule a pickup.",
        agency=sanitation(),
        service_types=[catalog["bulk-item"]],
    )
    translate(
        article,
        language="es",
        title="¿Cómo tiro muebles viejos?",
        body="Pida una recogida de muebles.",
    )
    # when
    suggestions = service_type_suggest(text="muebles viejos", language="es")
    # then
    assert suggestions[0].code == "bulk-item"
    assert suggestions[0].sources == ("knowledge",)
    assert suggestions[0].article is not None
    assert suggestions[0].article.slug == "old-furniture"
    assert suggestions[0].article.title == "¿Cómo tiro muebles viejos?"


def test_the_classifier_adds_what_the_catalog_does_not_know(catalog, classifier_path):
    # given
    _learn(
        {
            "pothole": ["bache enorme en la calle", "hoyo en el pavimento", "un bache profundo"],
            "street-light-out": ["la farola no prende", "poste de luz apagado", "farola rota"],
        }
    )
    # when
    before = _codes("hay un bache en mi calle", language="es", use_classifier=False)
    after = service_type_suggest(text="hay un bache en mi calle", language="es")
    # then
    assert "pothole" not in before
    assert after[0].code == "pothole"
    assert "classifier" in after[0].sources


def test_residents_are_never_offered_staff_only_or_inactive_types(catalog, classifier_path):
    # given: the history has many staff requests for the staff-only type
    _learn(
        {
            "emergency-board-up": ["board up the open window", "window open after fire"] * 3,
            "pothole": ["hole in the road", "deep hole", "crater in the street"],
        }
    )
    # when
    public = _codes("board up the open window, gas lamp", limit=10)
    staff = _codes("board up the open window", audience=Audience.STAFF)
    # then
    assert "emergency-board-up" not in public and "old-lamps" not in public
    assert staff[0] == "emergency-board-up"


def test_words_that_mean_nothing_suggest_nothing(catalog):
    # when / then
    assert _codes("") == []
    assert _codes("   ") == []
    assert _codes("qqqq zzzz") == []


def test_suggestions_are_limited_and_best_first(catalog):
    # when
    suggestions = service_type_suggest(
        text="dark street lamp post, hole in the road", language="en", limit=1
    )
    # then
    assert len(suggestions) == 1
    everything = service_type_suggest(text="dark street lamp post, hole in the road", language="en")
    assert [s.score for s in everything] == sorted((s.score for s in everything), reverse=True)


def test_a_new_keyword_is_matched_at_once(catalog):
    # given
    assert "bulk-item" not in _codes("an old wardrobe")
    # when
    ServiceTypeKeywordFactory(service_type=catalog["bulk-item"], term="wardrobe")
    # then
    assert _codes("an old wardrobe")[0] == "bulk-item"


def test_residents_browse_the_public_catalog_by_group(catalog):
    # when
    groups = service_type_catalog_by_group()
    # then
    assert [(g.name, g.service_types) for g in groups] == [
        ("Sanitation", (("bulk-item", "Bulk Item Pickup"),)),
        ("Streets", (("pothole", "Pothole"), ("street-light-out", "Street Light Out"))),
    ]

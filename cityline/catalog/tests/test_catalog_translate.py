import pytest
from django.utils import translation

from cityline.catalog.matching import Audience, catalog_types, service_type_evidence
from cityline.catalog.models import AttributeDatatype, ServiceType
from cityline.catalog.selectors import service_type_for_intake
from cityline.catalog.services import (
    AttributeSpec,
    AttributeValueSpec,
    CatalogDefinitionError,
    QuestionText,
    ServiceTypeText,
    Text,
    agency_upsert,
    catalog_translate,
    service_group_upsert,
    service_type_upsert,
)

pytestmark = pytest.mark.django_db

WHERE = AttributeSpec(
    code="where",
    description="Where in the street is it?",
    datatype=AttributeDatatype.SINGLEVALUELIST,
    values=(
        AttributeValueSpec("lane", "In a travel lane"),
        AttributeValueSpec("curb", "By the curb"),
    ),
)


@pytest.fixture
def pothole() -> ServiceType:
    agency = agency_upsert(code="DOT", name="Department of Transportation")
    group = service_group_upsert(name="Streets", description="Potholes and lights.")
    return service_type_upsert(
        code="pothole",
        name="Pothole",
        description="A hole in the street.",
        agency=agency,
        group=group,
        attributes=[WHERE],
    )


def _spanish() -> None:
    catalog_translate(
        language="es",
        agencies={"DOT": Text(name="Departamento de Transporte")},
        groups={"Streets": Text(name="Calles", description="Baches y farolas.")},
        service_types={
            "pothole": ServiceTypeText(
                name="Bache",
                description="Un hoyo en la calle.",
                questions={
                    "where": QuestionText(
                        description="¿Dónde está?", values={"lane": "En un carril"}
                    )
                },
            )
        },
    )


def _read(code: str, language: str) -> dict:
    with translation.override(language):
        service_type = ServiceType.objects.select_related("agency", "group").get(code=code)
        question = service_type.attributes.get(code="where")
        return {
            "name": service_type.name,
            "description": service_type.description,
            "agency": service_type.agency.name,
            "group": service_type.group.name if service_type.group else "",
            "question": question.description,
            "answers": [value.name for value in question.values.all()],
        }


def test_the_catalog_reads_in_the_active_language_where_translated(pothole):
    # given
    _spanish()
    # when
    spanish = _read("pothole", "es")
    # then
    assert spanish == {
        "name": "Bache",
        "description": "Un hoyo en la calle.",
        "agency": "Departamento de Transporte",
        "group": "Calles",
        "question": "¿Dónde está?",
        "answers": ["En un carril", "By the curb"],
    }


def test_text_not_translated_reads_in_the_city_language(pothole):
    # given: nothing is written in Arabic
    _spanish()
    # when
    arabic = _read("pothole", "ar")
    english = _read("pothole", "en")
    # then
    assert arabic == english
    assert english["name"] == "Pothole"
    assert english["answers"] == ["In a travel lane", "By the curb"]


def test_a_service_called_from_a_spanish_page_writes_the_city_language(pothole):
    # given
    _spanish()
    # when
    with translation.override("es"):
        service_type_upsert(
            code="pothole", name="Pothole in the road", agency=pothole.agency, attributes=[WHERE]
        )
    # then
    assert _read("pothole", "en")["name"] == "Pothole in the road"
    assert _read("pothole", "es")["name"] == "Bache"


def test_a_blank_translation_falls_back_again(pothole):
    # given
    _spanish()
    # when
    catalog_translate(language="es", service_types={"pothole": ServiceTypeText(name="")})
    # then
    assert _read("pothole", "es")["name"] == "Pothole"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"language": "en"}, "language"),
        ({"language": "fr"}, "language"),
        ({"language": "es", "agencies": {"NOPE": Text(name="x")}}, "agencies"),
        ({"language": "es", "groups": {"Nope": Text(name="x")}}, "groups"),
        ({"language": "es", "service_types": {"nope": ServiceTypeText(name="x")}}, "service_types"),
        (
            {
                "language": "es",
                "service_types": {
                    "pothole": ServiceTypeText(questions={"nope": QuestionText(description="x")})
                },
            },
            "questions",
        ),
        (
            {
                "language": "es",
                "service_types": {
                    "pothole": ServiceTypeText(
                        questions={"where": QuestionText(values={"nope": "x"})}
                    )
                },
            },
            "values",
        ),
        ({"language": "es", "service_types": {"pothole": ServiceTypeText(name="x" * 201)}}, "name"),
    ],
)
def test_a_bad_translation_is_refused_naming_the_field_and_changes_nothing(
    pothole, arguments, field
):
    # when
    with pytest.raises(CatalogDefinitionError) as refused:
        catalog_translate(**arguments)
    # then
    assert refused.value.field == field
    assert _read("pothole", "es")["name"] == "Pothole"


def test_intake_cache_serves_each_reader_their_language(pothole):
    # given: the type is cached by a Spanish reader first
    _spanish()
    with translation.override("es"):
        assert service_type_for_intake(code="pothole").name == "Bache"
    # when
    with translation.override("en"):
        cached = service_type_for_intake(code="pothole")
        english = (cached.name, cached.attributes.all()[0].description)
    # then
    assert english == ("Pothole", "Where in the street is it?")


def test_suggestions_know_the_names_of_every_language_and_show_the_reader_s(pothole):
    # given: the catalog's words are read by an English reader first
    _spanish()
    with translation.override("en"):
        assert catalog_types(audience=Audience.PUBLIC)["pothole"].name == "Pothole"
    # when
    with translation.override("es"):
        spanish = catalog_types(audience=Audience.PUBLIC)["pothole"]
        shown = (spanish.name, spanish.group)
        found = service_type_evidence(text="un bache enorme", audience=Audience.PUBLIC)
    # then
    assert shown == ("Bache", "Calles")
    assert found["pothole"].catalog > 0

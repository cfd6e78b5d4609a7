import pytest

from cityline.catalog.models import AttributeDatatype, ServiceAttribute, ServiceType
from cityline.catalog.services import (
    AttributeSpec,
    AttributeValueSpec,
    CatalogDefinitionError,
    service_type_upsert,
)
from cityline.catalog.tests.factories import AgencyFactory, ServiceGroupFactory
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db

WHERE = AttributeSpec(
    code="where",
    description="Where in the street is it?",
    datatype=AttributeDatatype.SINGLEVALUELIST,
    required=True,
    values=(
        AttributeValueSpec("lane", "In a travel lane"),
        AttributeValueSpec("curb", "By the curb"),
    ),
)
DEPTH = AttributeSpec(code="depth", description="How deep?", datatype=AttributeDatatype.NUMBER)
NOTICE = AttributeSpec(code="call_911", description="A cave-in is an emergency.", variable=False)


@pytest.fixture
def pothole_owners() -> dict:
    return {
        "agency": AgencyFactory(code="DOT"),
        "group": ServiceGroupFactory(name="Streets"),
        "sla_policy": SlaPolicyFactory(name="5 days"),
    }


def _pothole(owners: dict, **changes) -> ServiceType:
    arguments = {
        "code": "pothole",
        "name": "Pothole",
        "keywords": ["sinkhole", "cave-in"],
        "attributes": [NOTICE, WHERE, DEPTH],
        **owners,
    }
    return service_type_upsert(**{**arguments, **changes})


def test_a_new_type_gets_its_questions_in_order_with_their_values_and_keywords(pothole_owners):
    # when
    pothole = _pothole(pothole_owners)
    # then
    assert list(pothole.attributes.values_list("code", "order", "variable")) == [
        ("call_911", 1, False),
        ("where", 2, True),
        ("depth", 3, True),
    ]
    where = pothole.attributes.get(code="where")
    assert list(where.values.values_list("key", "name", "order")) == [
        ("lane", "In a travel lane", 1),
        ("curb", "By the curb", 2),
    ]
    assert set(pothole.keywords.values_list("term", flat=True)) == {"sinkhole", "cave-in"}


def test_upserting_again_updates_in_place_and_drops_what_is_no_longer_listed(pothole_owners):
    # given
    first = _pothole(pothole_owners)
    where_id = first.attributes.get(code="where").pk
    fewer_values = AttributeSpec(
        code="where",
        description="Where is the pothole?",
        datatype=AttributeDatatype.SINGLEVALUELIST,
        required=True,
        values=(AttributeValueSpec("lane", "Travel lane"),),
    )
    # when
    second = _pothole(
        pothole_owners,
        name="Pothole or cave-in",
        keywords=["Sinkhole", "crater"],
        attributes=[fewer_values],
    )
    # then
    assert second.pk == first.pk and ServiceType.objects.count() == 1
    assert second.name == "Pothole or cave-in"
    where = ServiceAttribute.objects.get(service_type=second)
    assert (where.pk, where.description, where.order) == (where_id, "Where is the pothole?", 1)
    assert list(where.values.values_list("key", "name")) == [("lane", "Travel lane")]
    assert set(second.keywords.values_list("term", flat=True)) == {"Sinkhole", "crater"}


def test_keywords_that_differ_only_in_case_or_spacing_are_kept_once(pothole_owners):
    # when
    pothole = _pothole(pothole_owners, keywords=["pot hole", "Pot  Hole", " ", "sinkhole"])
    # then
    assert sorted(pothole.keywords.values_list("term", flat=True)) == ["pot hole", "sinkhole"]


@pytest.mark.parametrize(
    ("attributes", "field"),
    [
        ([AttributeSpec(code="where", description="?", datatype="singlevaluelist")], "values"),
        (
            [
                AttributeSpec(
                    code="depth",
                    description="?",
                    datatype="number",
                    values=(AttributeValueSpec("1", "one"),),
                )
            ],
            "values",
        ),
        ([AttributeSpec(code="n", description="!", required=True, variable=False)], "required"),
        ([AttributeSpec(code="when", description="?", datatype="date")], "datatype"),
        ([DEPTH, DEPTH], "code"),
    ],
)
def test_a_question_that_breaks_the_open311_rules_is_refused_and_nothing_is_stored(
    attributes, field, pothole_owners
):
    # when
    with pytest.raises(CatalogDefinitionError) as error:
        _pothole(pothole_owners, attributes=attributes)
    # then
    assert error.value.field == field
    assert not ServiceType.objects.exists()

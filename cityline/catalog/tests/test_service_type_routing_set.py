import pytest

from cityline.catalog.services import (
    CatalogDefinitionError,
    RoutingRuleSpec,
    service_type_routing_set,
)
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory, list_question
from cityline.geo.tests.factories import BoundaryAreaFactory

pytestmark = pytest.mark.django_db


def test_the_rules_given_replace_the_old_ones_and_are_tried_in_that_order():
    # given
    tree = ServiceTypeFactory(code="fallen-tree")
    list_question(service_type=tree, code="blocking", keys=["street", "power_lines"], multi=True)
    parks, oem = AgencyFactory(code="DPR"), AgencyFactory(code="OEM")
    park = BoundaryAreaFactory()
    service_type_routing_set(service_type=tree, rules=[RoutingRuleSpec(agency=parks, area=park)])
    # when
    service_type_routing_set(
        service_type=tree,
        rules=[
            RoutingRuleSpec(agency=oem, attribute_code="blocking", attribute_value="power_lines"),
            RoutingRuleSpec(agency=parks, area=park),
        ],
    )
    # then
    assert list(tree.routing_rules.values_list("order", "agency__code", "attribute_code")) == [
        (1, "OEM", "blocking"),
        (2, "DPR", ""),
    ]


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({}, "rules"),
        ({"attribute_code": "colour", "attribute_value": "red"}, "attribute_code"),
        ({"attribute_code": "blocking", "attribute_value": "a_house"}, "attribute_value"),
    ],
)
def test_a_rule_that_could_never_match_is_refused_and_the_old_rules_stay(rule, field):
    # given
    tree = ServiceTypeFactory(code="fallen-tree")
    list_question(service_type=tree, code="blocking", keys=["street", "power_lines"], multi=True)
    parks = AgencyFactory(code="DPR")
    service_type_routing_set(
        service_type=tree, rules=[RoutingRuleSpec(agency=parks, area=BoundaryAreaFactory())]
    )
    # when
    with pytest.raises(CatalogDefinitionError) as error:
        service_type_routing_set(
            service_type=tree, rules=[RoutingRuleSpec(agency=AgencyFactory(code="OEM"), **rule)]
        )
    # then
    assert error.value.field == field
    assert list(tree.routing_rules.values_list("agency__code", flat=True)) == ["DPR"]

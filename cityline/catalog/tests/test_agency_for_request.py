import pytest
from django.db import IntegrityError, transaction

from cityline.catalog.models import RoutingRule
from cityline.catalog.routing import agency_for_request
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.geo.tests.factories import BoundaryAreaFactory

pytestmark = pytest.mark.django_db


def test_with_no_rule_the_types_own_agency_takes_the_request():
    # given
    service_type = ServiceTypeFactory()
    # when
    agency = agency_for_request(service_type=service_type, answers={}, area_ids=[])
    # then
    assert agency == service_type.agency


def test_the_first_matching_rule_by_order_wins():
    # given: rules created out of order
    service_type = ServiceTypeFactory()
    park = BoundaryAreaFactory()
    parks, forestry = AgencyFactory(code="PARKS"), AgencyFactory(code="FOREST")
    service_type.routing_rules.create(order=2, area=park, agency=parks)
    service_type.routing_rules.create(
        order=1, attribute_code="kind", attribute_value="tree", agency=forestry
    )
    # when
    agency = agency_for_request(
        service_type=service_type, answers={"kind": "tree"}, area_ids=[park.id]
    )
    # then
    assert agency == forestry


def test_a_rule_that_does_not_match_is_passed_over():
    # given
    service_type = ServiceTypeFactory()
    park = BoundaryAreaFactory()
    parks, forestry = AgencyFactory(code="PARKS"), AgencyFactory(code="FOREST")
    service_type.routing_rules.create(
        order=1, attribute_code="kind", attribute_value="tree", agency=forestry
    )
    service_type.routing_rules.create(order=2, area=park, agency=parks)
    # when
    agency = agency_for_request(
        service_type=service_type, answers={"kind": "bench"}, area_ids=[park.id]
    )
    # then
    assert agency == parks


@pytest.mark.parametrize(
    ("in_park", "answer", "routed"),
    [(True, "yes", True), (True, "no", False), (False, "yes", False), (False, "no", False)],
)
def test_a_rule_with_an_area_and_an_answer_needs_both(in_park, answer, routed):
    # given
    service_type = ServiceTypeFactory()
    park = BoundaryAreaFactory()
    parks = AgencyFactory(code="PARKS")
    service_type.routing_rules.create(
        order=1, area=park, attribute_code="blocking", attribute_value="yes", agency=parks
    )
    # when
    agency = agency_for_request(
        service_type=service_type,
        answers={"blocking": answer},
        area_ids=[park.id] if in_park else [],
    )
    # then
    assert agency == (parks if routed else service_type.agency)


def test_a_rule_on_a_multi_value_answer_matches_when_the_key_is_among_them():
    # given
    service_type = ServiceTypeFactory()
    utilities = AgencyFactory(code="UTIL")
    service_type.routing_rules.create(
        order=1, attribute_code="hazards", attribute_value="wires", agency=utilities
    )
    # when
    with_wires = agency_for_request(
        service_type=service_type, answers={"hazards": ["glass", "wires"]}, area_ids=[]
    )
    without = agency_for_request(
        service_type=service_type, answers={"hazards": ["glass"]}, area_ids=[]
    )
    # then
    assert with_wires == utilities
    assert without == service_type.agency


def test_the_rules_of_another_type_do_not_apply():
    # given
    service_type, other = ServiceTypeFactory(), ServiceTypeFactory()
    park = BoundaryAreaFactory()
    other.routing_rules.create(order=1, area=park, agency=AgencyFactory(code="PARKS"))
    # when
    agency = agency_for_request(service_type=service_type, answers={}, area_ids=[park.id])
    # then
    assert agency == service_type.agency


def test_a_routing_rule_needs_an_area_or_an_answer_condition():
    # given
    service_type = ServiceTypeFactory()
    # when / then
    refused = pytest.raises(IntegrityError, match="routing_rule_has_a_condition")
    with refused, transaction.atomic():
        RoutingRule.objects.create(service_type=service_type, agency=AgencyFactory(), order=1)
    assert not RoutingRule.objects.exists()

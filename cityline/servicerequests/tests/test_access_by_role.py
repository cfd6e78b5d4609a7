"""Every role, inside and outside its scope, against what servicerequests.access decides."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from cityline.accounts.roles import Role
from cityline.accounts.services import role_grant
from cityline.accounts.tests.factories import UserFactory, user_with_role
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.geo.tests.factories import BoundaryAreaFactory, square
from cityline.servicerequests.access import (
    Action,
    can_act,
    can_file_on_behalf,
    can_view_internal_notes,
    can_view_request,
    can_view_requester,
    requests_visible_to,
    service_request_get_for_user,
)
from cityline.servicerequests.models import Resolution, ServiceRequest
from cityline.servicerequests.services.lifecycle import service_request_close
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


@dataclass
class World:
    dot_request: ServiceRequest  # DOT's, in district 1
    parks_request: ServiceRequest  # Parks', in district 2
    district_1_id: int
    district_2_id: int
    cast: dict


@pytest.fixture
def world() -> World:
    dot, parks = AgencyFactory.create(code="DOT"), AgencyFactory.create(code="PARKS")
    layer_areas = {
        "1": BoundaryAreaFactory.create(
            code="1", geometry=square(west=-87.7, south=41.8, size=0.1)
        ),
        "2": BoundaryAreaFactory.create(
            code="2", geometry=square(west=-87.5, south=41.8, size=0.1)
        ),
    }
    dot_request = make_request(service_type=ServiceTypeFactory.create(agency=dot), longitude=-87.65)
    parks_request = make_request(
        service_type=ServiceTypeFactory.create(agency=parks), longitude=-87.45
    )
    cast = {
        "call_taker": user_with_role(Role.CALL_TAKER),
        "dot_worker": user_with_role(Role.AGENCY_WORKER, agency=dot),
        "dot_supervisor": user_with_role(Role.AGENCY_SUPERVISOR, agency=dot),
        "dot_editor": user_with_role(Role.KNOWLEDGE_EDITOR, agency=dot),
        "supervisor_311": user_with_role(Role.SUPERVISOR_311),
        "district_1_partner": user_with_role(Role.PARTNER, area=layer_areas["1"]),
        "auditor": user_with_role(Role.AUDITOR),
        "administrator": user_with_role(Role.ADMINISTRATOR),
        "superuser": UserFactory(is_superuser=True),
        "no_role": UserFactory(is_staff=True),
        "anonymous": AnonymousUser(),
    }
    return World(dot_request, parks_request, layer_areas["1"].pk, layer_areas["2"].pk, cast)


# who: (sees DOT's request in district 1, sees Parks' request in district 2)
VISIBILITY = {
    "call_taker": (True, True),
    "dot_worker": (True, False),
    "dot_supervisor": (True, False),
    "dot_editor": (False, False),
    "supervisor_311": (True, True),
    "district_1_partner": (True, False),
    "auditor": (True, True),
    "administrator": (True, True),
    "superuser": (True, True),
    "no_role": (False, False),
    "anonymous": (False, False),
}


@pytest.mark.parametrize("who", VISIBILITY)
def test_each_role_sees_the_requests_in_its_scope_only(world, who):
    # given
    user = world.cast[who]
    sees_dot, sees_parks = VISIBILITY[who]
    # when
    listed = set(requests_visible_to(user))
    # then
    assert (world.dot_request in listed, world.parks_request in listed) == VISIBILITY[who]
    assert can_view_request(user=user, request=world.dot_request) is sees_dot
    assert can_view_request(user=user, request=world.parks_request) is sees_parks


@pytest.mark.parametrize("who", VISIBILITY)
def test_a_request_out_of_scope_is_not_found(world, who):
    # given
    user = world.cast[who]
    # when / then
    for request, visible in zip(
        (world.dot_request, world.parks_request), VISIBILITY[who], strict=True
    ):
        if visible:
            got = service_request_get_for_user(user=user, tracking_number=request.tracking_number)
            assert got == request
        else:
            with pytest.raises(Http404):
                service_request_get_for_user(user=user, tracking_number=request.tracking_number)


# who: (internal notes of DOT's request, of Parks' request)
INTERNAL_NOTES = {
    "call_taker": (False, False),
    "dot_worker": (True, False),
    "dot_supervisor": (True, False),
    "dot_editor": (False, False),
    "supervisor_311": (True, True),
    "district_1_partner": (False, False),
    "auditor": (True, True),
    "administrator": (True, True),
    "superuser": (True, True),
    "no_role": (False, False),
    "anonymous": (False, False),
}


@pytest.mark.parametrize("who", INTERNAL_NOTES)
def test_internal_notes_are_for_the_agency_and_311s_oversight(world, who):
    # given
    user = world.cast[who]
    # when
    seen = (
        can_view_internal_notes(user=user, request=world.dot_request),
        can_view_internal_notes(user=user, request=world.parks_request),
    )
    # then
    assert seen == INTERNAL_NOTES[who]


# who: (contact details of DOT's open request, of the same request once closed)
REQUESTER = {
    "call_taker": (False, False),
    "dot_worker": (True, False),
    "dot_supervisor": (True, False),
    "dot_editor": (False, False),
    "supervisor_311": (True, True),
    "district_1_partner": (False, False),
    "auditor": (False, False),
    "administrator": (True, True),
    "superuser": (True, True),
    "no_role": (False, False),
    "anonymous": (False, False),
}


@pytest.mark.parametrize("who", REQUESTER)
def test_contact_details_go_to_the_agency_only_while_the_request_is_open(world, who):
    # given
    user = world.cast[who]
    open_answer = can_view_requester(user=user, request=world.dot_request)
    # when
    closed = service_request_close(
        request=world.dot_request, resolution=Resolution.COMPLETED, by=None, via="staff"
    )
    # then
    assert (open_answer, can_view_requester(user=user, request=closed)) == REQUESTER[who]


EVERYTHING = set(Action)
WORKER = EVERYTHING - {Action.REOPEN, Action.REASSIGN}
NOTHING: set[Action] = set()

# who: (actions on DOT's request in district 1, actions on Parks' request in district 2)
ACTIONS = {
    "call_taker": ({Action.PUBLIC_NOTE}, {Action.PUBLIC_NOTE}),
    "dot_worker": (WORKER, NOTHING),
    "dot_supervisor": (EVERYTHING, NOTHING),
    "dot_editor": (NOTHING, NOTHING),
    "supervisor_311": (EVERYTHING, EVERYTHING),
    "district_1_partner": ({Action.PUBLIC_NOTE}, NOTHING),
    "auditor": (NOTHING, NOTHING),
    "administrator": (EVERYTHING, EVERYTHING),
    "superuser": (EVERYTHING, EVERYTHING),
    "no_role": (NOTHING, NOTHING),
    "anonymous": (NOTHING, NOTHING),
}


@pytest.mark.parametrize("who", ACTIONS)
def test_each_role_acts_only_as_its_role_allows_and_only_in_scope(world, who):
    # given
    user = world.cast[who]
    # when
    allowed = tuple(
        {action for action in Action if can_act(user=user, request=request, action=action)}
        for request in (world.dot_request, world.parks_request)
    )
    # then
    assert allowed == ACTIONS[who]


def test_an_auditor_who_also_works_for_an_agency_acts_as_its_worker(world):
    # given
    auditor = world.cast["auditor"]
    role_grant(user=auditor, role=Role.AGENCY_WORKER, agency=world.dot_request.agency, by=None)
    # when
    allowed = {a for a in Action if can_act(user=auditor, request=world.dot_request, action=a)}
    # then
    assert allowed == WORKER


# who: (may file in district 1, may file in district 2)
FILE_ON_BEHALF = {
    "call_taker": (True, True),
    "dot_worker": (False, False),
    "supervisor_311": (True, True),
    "district_1_partner": (True, False),
    "auditor": (False, False),
    "administrator": (True, True),
    "no_role": (False, False),
    "anonymous": (False, False),
}


@pytest.mark.parametrize("who", FILE_ON_BEHALF)
def test_partners_file_for_residents_only_in_their_areas(world, who):
    # given
    user = world.cast[who]
    # when
    allowed = (
        can_file_on_behalf(user=user, area_ids=[world.district_1_id]),
        can_file_on_behalf(user=user, area_ids=[world.district_2_id]),
    )
    # then
    assert allowed == FILE_ON_BEHALF[who]

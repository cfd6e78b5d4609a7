import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cityline.accounts.roles import Role
from cityline.accounts.services import role_grant
from cityline.accounts.tests.factories import UserFactory, user_with_role
from cityline.catalog.tests.factories import AgencyFactory
from cityline.geo.tests.factories import BoundaryAreaFactory
from cityline.servicerequests import access

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    return (
        AgencyFactory.create(code="DOT", name="Transportation"),
        AgencyFactory.create(code="PARKS", name="Parks"),
        AgencyFactory.create(code="SAN", name="Sanitation"),
    )


def _keys(user):
    return [queue.key for queue in access.queues_for(user=user)]


def test_agency_staff_open_the_queues_of_each_of_their_agencies(agencies):
    # given
    dot, parks, _ = agencies
    worker = user_with_role(Role.AGENCY_WORKER, agency=dot)
    role_grant(user=worker, role=Role.AGENCY_SUPERVISOR, agency=parks, by=None)
    # when
    keys = _keys(worker)
    # then: by the agencies' names
    assert keys == ["PARKS", "DOT"]


@pytest.mark.parametrize("role", [Role.SUPERVISOR_311, Role.AUDITOR, Role.ADMINISTRATOR])
def test_city_wide_roles_open_every_agencys_queue(agencies, role):
    # when
    keys = _keys(user_with_role(role))
    # then
    assert keys == ["PARKS", "SAN", "DOT"]


def test_a_superuser_opens_every_agencys_queue(agencies):
    # when
    keys = _keys(UserFactory.create(is_superuser=True))
    # then
    assert keys == ["PARKS", "SAN", "DOT"]


def test_a_partner_who_is_also_agency_staff_opens_both_queues(agencies):
    # given
    partner = user_with_role(Role.PARTNER, area=BoundaryAreaFactory.create())
    role_grant(user=partner, role=Role.AGENCY_WORKER, agency=agencies[0], by=None)
    # when
    keys = _keys(partner)
    # then
    assert keys == ["DOT", access.AREAS_QUEUE]


@pytest.mark.parametrize("role", [Role.CALL_TAKER, Role.KNOWLEDGE_EDITOR, None])
def test_roles_without_a_queue_are_refused(agencies, role):
    # given
    if role is None:
        user = UserFactory.create(is_staff=True)
    elif role == Role.KNOWLEDGE_EDITOR:
        user = user_with_role(role, agency=agencies[0])
    else:
        user = user_with_role(role)
    # when / then
    with pytest.raises(PermissionDenied):
        access.queue_get_for_user(user=user, key="DOT")


def test_a_queue_outside_ones_scope_is_not_found(agencies):
    # given
    worker = user_with_role(Role.AGENCY_WORKER, agency=agencies[0])
    # when / then
    with pytest.raises(Http404):
        access.queue_get_for_user(user=worker, key="PARKS")

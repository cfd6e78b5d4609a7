"""The people and requests of the request page's tests: the Department of Transportation (DOT)
owns the request; the Parks Department is another agency."""

from dataclasses import dataclass

import pytest

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.catalog.models import Agency
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.servicerequests.models import ServiceRequest
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.tests.factories import make_request


@dataclass
class Desk:
    dot: Agency
    parks: Agency
    worker: User
    colleague: User
    supervisor: User
    parks_worker: User
    call_taker: User
    auditor: User
    request: ServiceRequest

    def another_request(self, agency: Agency | None = None) -> ServiceRequest:
        return make_request(service_type=ServiceTypeFactory.create(agency=agency or self.dot))


@pytest.fixture
def desk() -> Desk:
    dot = AgencyFactory.create(code="DOT", name="Transportation")
    parks = AgencyFactory.create(code="PARKS", name="Parks")
    return Desk(
        dot=dot,
        parks=parks,
        worker=user_with_role(Role.AGENCY_WORKER, agency=dot, username="dana", is_staff=True),
        colleague=user_with_role(Role.AGENCY_WORKER, agency=dot, username="colm", is_staff=True),
        supervisor=user_with_role(
            Role.AGENCY_SUPERVISOR, agency=dot, username="sue", is_staff=True
        ),
        parks_worker=user_with_role(
            Role.AGENCY_WORKER, agency=parks, username="pat", is_staff=True
        ),
        call_taker=user_with_role(Role.CALL_TAKER, username="cal", is_staff=True),
        auditor=user_with_role(Role.AUDITOR, username="audrey", is_staff=True),
        request=make_request(
            service_type=ServiceTypeFactory.create(agency=dot, name="Pothole"),
            address="100 N State St",
            requester=RequesterDetails(
                first_name="Rita", last_name="Resident", email="rita@example.org", phone="555-0101"
            ),
        ),
    )

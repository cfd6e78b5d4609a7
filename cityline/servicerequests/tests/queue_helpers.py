"""Requests filed at a given time with a given target, through the real intake and lifecycle, for
the work queue's tests."""

from datetime import UTC, datetime, timedelta

import time_machine

from cityline.accounts.models import User
from cityline.catalog.models import Agency, ServiceType
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.models import Channel, ServiceRequest
from cityline.servicerequests.services.lifecycle import (
    service_request_assign,
    service_request_change_status,
)
from cityline.servicerequests.tests.factories import make_request
from cityline.sla.models import SlaUnit
from cityline.sla.tests.factories import SlaPolicyFactory

NOW = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


def type_with_target(*, agency: Agency, hours: int | None, name: str = "") -> ServiceType:
    """A type of the agency whose requests are due `hours` after they are filed (never if None)."""
    policy = None if hours is None else SlaPolicyFactory.create(amount=hours, unit=SlaUnit.HOURS)
    return ServiceTypeFactory.create(
        agency=agency, sla_policy=policy, **({"name": name} if name else {})
    )


def filed(
    service_type: ServiceType,
    *,
    ago: timedelta,
    longitude: float = -87.65,
    status: str = "",
    status_ago: timedelta | None = None,
    assignee: User | None = None,
) -> ServiceRequest:
    """A request filed `ago` before NOW, moved to `status` `status_ago` before NOW."""
    with time_machine.travel(NOW - ago, tick=False):
        request = make_request(service_type=service_type, longitude=longitude)
    if status:
        with time_machine.travel(NOW - (status_ago or timedelta(0)), tick=False):
            request = service_request_change_status(
                request=request, status=status, by=None, via=Channel.STAFF
            )
    if assignee is not None:
        request = service_request_assign(
            request=request, assignee=assignee, by=None, via=Channel.STAFF
        )
    return request


def proactive(request: ServiceRequest) -> ServiceRequest:
    """The request as the city's own filing marks it."""
    ServiceRequest.objects.filter(pk=request.pk).update(proactive=True)
    request.refresh_from_db()
    return request

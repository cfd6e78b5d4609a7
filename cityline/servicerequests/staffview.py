"""What the console's request page shows a member of staff: the request, its SLA clock, its
history as they may read it, its duplicates and followers. Reads only; who may see what is asked
of `access`."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from cityline.accounts.models import User
from cityline.core import clock
from cityline.servicerequests import access
from cityline.servicerequests.models import RequestUpdate, ServiceRequest
from cityline.sla.rules import STATUS_MOVES, paused_time


@dataclass(frozen=True)
class SlaClock:
    acknowledge_due_at: datetime | None
    due_at: datetime | None
    # Time left before the due time; negative once it has passed. None without a due time.
    time_left: timedelta | None
    # Time spent waiting on the requester or a third party so far, the pause going on included.
    paused: timedelta
    waiting_since: datetime | None

    @property
    def overdue(self) -> bool:
        return self.time_left is not None and self.time_left < timedelta()

    @property
    def overdue_by(self) -> timedelta | None:
        return -self.time_left if self.time_left is not None and self.overdue else None


@dataclass(frozen=True)
class StaffRequestPage:
    request: ServiceRequest
    sla: SlaClock


def staff_request_get(*, user: User, tracking_number: str) -> ServiceRequest:
    """The request with what its page shows beside it; 404 outside the user's scope."""
    request = access.service_request_get_for_user(user=user, tracking_number=tracking_number)
    return (
        ServiceRequest.objects.select_related("agency", "service_type", "assignee")
        .filter(pk=request.pk)
        .get()
    )


def sla_clock(*, request: ServiceRequest) -> SlaClock:
    """The request's clock as its SLA engine keeps it: the stored due times (the resolution's
    already pushed back by the pauses that ended) and the paused time its history implies."""
    now = clock.now()
    moves = RequestUpdate.objects.filter(request=request, kind__in=STATUS_MOVES).only(
        "kind", "status", "occurred_at"
    )
    paused = paused_time(moves)
    if request.waiting_since is not None:
        paused += now - request.waiting_since
    # The clock stands still while the request waits, and stopped when it closed.
    stopped_at = request.closed_at or request.waiting_since or now
    time_left = request.expected_at - stopped_at if request.expected_at else None
    return SlaClock(
        acknowledge_due_at=request.acknowledge_due_at,
        due_at=request.expected_at,
        time_left=time_left,
        paused=paused,
        waiting_since=request.waiting_since,
    )


def staff_request_page(*, user: User, tracking_number: str) -> StaffRequestPage:
    request = staff_request_get(user=user, tracking_number=tracking_number)
    return StaffRequestPage(request=request, sla=sla_clock(request=request))

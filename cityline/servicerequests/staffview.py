"""What the console's request page shows a member of staff: the request, its SLA clock, its
history as they may read it, its duplicates and followers. Reads only; who may see what is asked
of `access`."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import staff_with_role
from cityline.catalog.models import Agency
from cityline.catalog.selectors import agency_list
from cityline.core import clock
from cityline.servicerequests import access
from cityline.servicerequests.models import (
    Attachment,
    Follower,
    Requester,
    RequestUpdate,
    Resolution,
    ServiceRequest,
    Status,
    UpdateKind,
    Visibility,
)
from cityline.sla.models import LateCloseReason
from cityline.sla.rules import STATUS_MOVES, paused_time
from cityline.sla.selectors import late_close_reasons_active


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
class Duplicate:
    tracking_number: str
    status: str


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One history entry as the page prints it. Read as plain values and formatted here: a page
    of hundreds of entries costs little more than one of ten."""

    at_iso: str
    at_text: str
    kind: str
    status: str
    resolution: str
    author: str
    note: str
    internal: bool


_KIND_LABELS = dict(UpdateKind.choices)
_STATUS_LABELS = dict(Status.choices)
_RESOLUTION_LABELS = dict(Resolution.choices)


def _history(request: ServiceRequest, *, internal: bool) -> list[HistoryRow]:
    entries = RequestUpdate.objects.filter(request=request)
    if not internal:
        entries = entries.filter(visibility=Visibility.PUBLIC)
    zone = clock.city_timezone()
    rows = []
    for at, kind, status, resolution, note, visibility, author in entries.order_by(
        "occurred_at", "id"
    ).values_list(
        "occurred_at", "kind", "status", "resolution", "note", "visibility", "author__username"
    ):
        local = at.astimezone(zone)
        rows.append(
            HistoryRow(
                at_iso=local.isoformat(timespec="seconds"),
                at_text=local.strftime("%Y-%m-%d %H:%M"),
                kind=_KIND_LABELS.get(kind, kind),
                status=_STATUS_LABELS.get(status, status),
                resolution=_RESOLUTION_LABELS.get(resolution, resolution),
                author=author or "",
                note=note,
                internal=visibility == Visibility.INTERNAL,
            )
        )
    return rows


@dataclass(frozen=True)
class StaffRequestPage:
    request: ServiceRequest
    sla: SlaClock
    # Oldest first; internal notes only for those who may read them.
    history: list[HistoryRow]
    shows_internal_notes: bool
    may_view_requester: bool
    duplicates: list[Duplicate]
    followers: int
    attachments: list[Attachment]
    # The actions the user may take on this request (access.Action values).
    actions: frozenset[str]


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
    internal = access.can_view_internal_notes(user=user, request=request)
    duplicates = [
        Duplicate(number, status)
        for number, status in ServiceRequest.objects.filter(parent=request)
        .order_by("requested_at", "id")
        .values_list("tracking_number", "status")
    ]
    return StaffRequestPage(
        request=request,
        sla=sla_clock(request=request),
        history=_history(request, internal=internal),
        shows_internal_notes=internal,
        may_view_requester=access.can_view_requester(user=user, request=request),
        duplicates=duplicates,
        followers=_subscribed_followers(request).count(),
        attachments=list(Attachment.objects.filter(request=request).order_by("id")),
        actions=frozenset(
            action
            for action in access.Action
            if access.can_act(user=user, request=request, action=action)
        ),
    )


def _subscribed_followers(request: ServiceRequest) -> QuerySet[Follower]:
    return Follower.objects.filter(
        request=request, confirmed_at__isnull=False, stopped_at__isnull=True
    )


@dataclass(frozen=True)
class RequesterContact:
    requester: Requester | None
    follower_emails: list[str]


def requester_contact(*, user: User, request: ServiceRequest) -> RequesterContact | None:
    """Who asked and who follows, for those who may see requesters; None for everyone else.
    Personal data: the caller records that it was shown."""
    if not access.can_view_requester(user=user, request=request):
        return None
    return RequesterContact(
        requester=Requester.objects.filter(request=request).first(),
        follower_emails=list(
            _subscribed_followers(request).order_by("id").values_list("email", flat=True)
        ),
    )


def assignable_staff(*, request: ServiceRequest) -> QuerySet[User]:
    """The request's agency's workers and supervisors: the colleagues it may be given to."""
    agency_staff = staff_with_role(
        role=Role.AGENCY_WORKER, agency_id=request.agency_id
    ) | staff_with_role(role=Role.AGENCY_SUPERVISOR, agency_id=request.agency_id)
    return agency_staff.filter(is_staff=True).order_by("username")


def late_close_reasons_of(*, agency_id: int) -> QuerySet[LateCloseReason]:
    return late_close_reasons_active().filter(agency_id=agency_id).order_by("name")


def other_agencies(*, request: ServiceRequest) -> QuerySet[Agency]:
    return agency_list().exclude(pk=request.agency_id)

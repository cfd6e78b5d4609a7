"""Who may see or do what with a service request. Views, the APIs, exports, the admin and commands
all ask here, per request.

Seeing requests:
- Call-takers, 311 supervisors, auditors and administrators see every request.
- Agency workers and supervisors see their agencies' requests.
- Partners (a council office, a neighborhood liaison, a partner agency) see every request in
  their areas, whatever its agency.
- Knowledge editors hold an agency role for its articles only: it shows them no request.
- A superuser holds every role everywhere.

Seeing more than the public record:
- Internal notes: agency staff of the request's agency, 311 supervisors, auditors, administrators.
  Call-takers and partners read public notes only.
- The requester's contact details: agency staff of the request's agency while it is open, 311
  supervisors and administrators. Nobody else, auditors included: the audit log tells who saw
  them, it does not need them itself.

Acting on a request (each needs the request to be visible first):
- Administrators and 311 supervisors do everything, to every request.
- Agency supervisors do everything to their agencies' requests.
- Agency workers do everything to their agencies' requests but reopen a closed one or reassign it
  to another agency: those overrule a colleague's or the router's decision, a supervisor's call.
- Call-takers and partners add public notes (what a caller or a resident told them); partners
  only on requests in their areas.
- Auditors never act: their role only reads.

Filing proactively (the city's own requests: an inspector in the field, a sweep, a model's
output): agency workers and supervisors for their agencies' types, 311 supervisors and
administrators for every type.

Photos: anyone sees the photos of a request the public sees (Open311's listing rule); those of
a request of a hidden type, only the staff who may view the request.

Filing on a resident's behalf: call-takers, 311 supervisors and administrators anywhere; partners
where the location falls in one of their areas. The request is attributed to them and the
resident.

Work queues (the console's queue page, its export and the "My work" counts):
- Agency workers and supervisors open their agencies' queues (a choice when they hold roles in
  several); 311 supervisors, auditors and administrators open any agency's queue.
- Partners open one queue: the open requests of their areas, whatever the agency.
- Call-takers, knowledge editors and people without a role have no queue: they work from
  searches and the request page, not an agency's backlog.

`can_move_lifecycle` is the admin's gate to its lifecycle actions (the Django permission to change
requests); each selected request is then checked with `can_act`.
"""

from collections.abc import Iterable
from enum import StrEnum
from typing import NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import UserRoles, user_roles
from cityline.catalog.models import Agency
from cityline.servicerequests.models import RequestArea, ServiceRequest
from cityline.servicerequests.selectors import service_request_is_public

AnyUser = User | AnonymousUser | None


class Action(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    ASSIGN = "assign"
    START = "start"
    HOLD = "hold"
    NOTE = "note"
    PUBLIC_NOTE = "public_note"
    CLOSE = "close"
    REOPEN = "reopen"
    REASSIGN = "reassign"
    MERGE = "merge"


# Roles that see, and act on, every request.
_EVERY_REQUEST = (Role.CALL_TAKER, Role.SUPERVISOR_311, Role.AUDITOR, Role.ADMINISTRATOR)
_ACT_ON_EVERY_REQUEST = (Role.SUPERVISOR_311, Role.ADMINISTRATOR)
_AGENCY_STAFF = (Role.AGENCY_WORKER, Role.AGENCY_SUPERVISOR)
_SUPERVISOR_ONLY = frozenset({Action.REOPEN, Action.REASSIGN})


def _sees_every_request(roles: UserRoles) -> bool:
    return roles.has_any(*_EVERY_REQUEST)


def _agency_staff_of(roles: UserRoles, request: ServiceRequest) -> bool:
    return request.agency_id is not None and any(
        roles.has(role, agency_id=request.agency_id) for role in _AGENCY_STAFF
    )


def _partner_areas(roles: UserRoles) -> frozenset[int]:
    return roles.area_ids(Role.PARTNER)


def _in_partner_areas(roles: UserRoles, request: ServiceRequest) -> bool:
    areas = _partner_areas(roles)
    return bool(areas) and RequestArea.objects.filter(request=request, area_id__in=areas).exists()


def requests_visible_to(user: AnyUser) -> QuerySet[ServiceRequest]:
    roles = user_roles(user=user)
    if _sees_every_request(roles):
        return ServiceRequest.objects.all()
    scope = Q()
    agency_ids = roles.agency_ids(Role.AGENCY_WORKER) | roles.agency_ids(Role.AGENCY_SUPERVISOR)
    if agency_ids:
        scope |= Q(agency_id__in=agency_ids)
    if areas := _partner_areas(roles):
        scope |= Q(pk__in=RequestArea.objects.filter(area_id__in=areas).values("request_id"))
    if not scope:
        return ServiceRequest.objects.none()
    return ServiceRequest.objects.filter(scope)


def can_view_request(*, user: AnyUser, request: ServiceRequest) -> bool:
    roles = user_roles(user=user)
    return (
        _sees_every_request(roles)
        or _agency_staff_of(roles, request)
        or _in_partner_areas(roles, request)
    )


def service_request_get_for_user(
    *, user: AnyUser, tracking_number: str, for_update: bool = False
) -> ServiceRequest:
    """The request if the user may see it; 404 otherwise, so what lies outside a person's scope
    is not revealed to exist."""
    requests = requests_visible_to(user)
    if for_update:
        requests = requests.select_for_update()
    try:
        return requests.get(tracking_number=tracking_number)
    except ServiceRequest.DoesNotExist:
        raise Http404("no such request") from None


def can_view_internal_notes(*, user: AnyUser, request: ServiceRequest) -> bool:
    roles = user_roles(user=user)
    return roles.has_any(Role.SUPERVISOR_311, Role.AUDITOR, Role.ADMINISTRATOR) or _agency_staff_of(
        roles, request
    )


def can_view_requester(*, user: AnyUser, request: ServiceRequest) -> bool:
    roles = user_roles(user=user)
    if roles.has_any(Role.SUPERVISOR_311, Role.ADMINISTRATOR):
        return True
    return request.is_open and _agency_staff_of(roles, request)


def can_act(*, user: AnyUser, request: ServiceRequest, action: Action) -> bool:
    roles = user_roles(user=user)
    if roles.has_any(*_ACT_ON_EVERY_REQUEST):
        return True
    if request.agency_id is not None and roles.has(
        Role.AGENCY_SUPERVISOR, agency_id=request.agency_id
    ):
        return True
    if request.agency_id is not None and roles.has(Role.AGENCY_WORKER, agency_id=request.agency_id):
        return action not in _SUPERVISOR_ONLY
    if action != Action.PUBLIC_NOTE:
        return False
    return roles.has(Role.CALL_TAKER) or _in_partner_areas(roles, request)


def can_file_on_behalf(*, user: AnyUser, area_ids: Iterable[int]) -> bool:
    """Whether the user may file a request for a resident at a location in these areas."""
    roles = user_roles(user=user)
    if roles.has_any(Role.CALL_TAKER, Role.SUPERVISOR_311, Role.ADMINISTRATOR):
        return True
    return not _partner_areas(roles).isdisjoint(area_ids)


def can_view_photo(*, user: AnyUser, request: ServiceRequest) -> bool:
    """A request's photos: anyone when the public sees the request (Open311's rule), otherwise
    the staff who may view the request."""
    return service_request_is_public(request=request) or can_view_request(
        user=user, request=request
    )


def _proactive_agencies(roles: UserRoles) -> frozenset[int] | None:
    """The agencies whose types the person may file proactively; None for every type."""
    if roles.has_any(Role.SUPERVISOR_311, Role.ADMINISTRATOR):
        return None
    return roles.agency_ids(Role.AGENCY_WORKER) | roles.agency_ids(Role.AGENCY_SUPERVISOR)


def can_file_proactive(*, user: AnyUser, agency_id: int | None = None) -> bool:
    """Whether the user may file a proactive request of a type owned by this agency; without an
    agency, whether they may file proactive requests of some type (to open the inspector's page)."""
    agencies = _proactive_agencies(user_roles(user=user))
    if agencies is None:
        return True
    return bool(agencies) if agency_id is None else agency_id in agencies


def can_view_filing_confirmation(*, user: AnyUser, request: ServiceRequest) -> bool:
    """The page confirming a filing: the person who filed it (routing may have sent it to an
    agency they do not see), or anyone who may view the request."""
    filed_by_them = user is not None and user.is_authenticated and request.created_by_id == user.pk
    return filed_by_them or can_view_request(user=user, request=request)


def proactive_agency_ids(*, user: AnyUser) -> frozenset[int] | None:
    """The agencies whose types the user files proactively; None when every type is theirs."""
    return _proactive_agencies(user_roles(user=user))


def can_move_lifecycle(*, user: AnyUser) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm("servicerequests.change_servicerequest")
    )


# Roles that open any agency's work queue.
_EVERY_QUEUE = (Role.SUPERVISOR_311, Role.AUDITOR, Role.ADMINISTRATOR)
AREAS_QUEUE = "areas"


class Queue(NamedTuple):
    """A work queue a person may open: an agency's (`agency` set) or a partner's areas'."""

    key: str  # the agency's code, or AREAS_QUEUE
    label: str
    agency: Agency | None
    area_ids: frozenset[int]


def queues_for(*, user: AnyUser) -> list[Queue]:
    """The queues the user may open, agencies by name first, then their areas' queue."""
    roles = user_roles(user=user)
    if roles.has_any(*_EVERY_QUEUE):
        agencies = Agency.objects.order_by("name")
    else:
        agency_ids = roles.agency_ids(Role.AGENCY_WORKER) | roles.agency_ids(Role.AGENCY_SUPERVISOR)
        agencies = Agency.objects.filter(pk__in=agency_ids).order_by("name")
    queues = [Queue(a.code, a.name, a, frozenset()) for a in agencies]
    if areas := _partner_areas(roles):
        queues.append(Queue(AREAS_QUEUE, gettext("Your areas"), None, areas))
    return queues


def require_queues(*, user: AnyUser) -> list[Queue]:
    """The user's queues; PermissionDenied for someone who has none."""
    queues = queues_for(user=user)
    if not queues:
        raise PermissionDenied("work queues are for agency staff, partners and 311 supervisors")
    return queues


def queue_get_for_user(*, user: AnyUser, key: str) -> Queue:
    """The queue named by `key` (an agency's code or AREAS_QUEUE): PermissionDenied for someone
    with no queue at all, 404 for a queue outside their scope, so it is not revealed to exist."""
    for queue in require_queues(user=user):
        if queue.key == key:
            return queue
    raise Http404("no such queue")


def agency_queues_requests(*, queues: Iterable[Queue]) -> QuerySet[ServiceRequest]:
    """Every request of these agency queues together (a partner's areas' queue is not one), for
    counting them all in one query."""
    return ServiceRequest.objects.filter(
        agency_id__in=[queue.agency.pk for queue in queues if queue.agency is not None]
    )


def queue_requests(*, queue: Queue) -> QuerySet[ServiceRequest]:
    """Every request of a queue, open or not (the queue's selector keeps the open ones).
    A partner's areas are matched per request through the (request, area) unique index, so the
    cost follows the queue's rows, not the size of the areas' whole history."""
    if queue.agency is not None:
        return ServiceRequest.objects.filter(agency=queue.agency)
    in_areas = RequestArea.objects.filter(request=OuterRef("pk"), area_id__in=queue.area_ids)
    return ServiceRequest.objects.filter(Exists(in_areas))

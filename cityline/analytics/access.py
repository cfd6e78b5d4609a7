"""Who reads which performance figures and reports.

- The city-wide figures (every agency) are for those who answer for the whole city: 311
  supervisors, auditors (the mayor's performance team among them) and administrators.
- An agency supervisor (a commissioner, a director) reads the figures of the agencies they
  supervise, and only those: the requests behind them are theirs to see already.
- The Charter monthly report covers every agency: the city-wide roles download it. So do the
  demand forecast and the staffing plan, which are the whole city's and its contact center's.
- Workers, call-takers, editors and partners read none: the queue and the public pages show them
  what they need, and the figures are about others' work.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import NO_ROLES, UserRoles, user_roles
from cityline.catalog.selectors import agency_list

AnyUser = User | AnonymousUser | None

_CITY_WIDE = (Role.SUPERVISOR_311, Role.AUDITOR, Role.ADMINISTRATOR)


def _roles(user: AnyUser) -> UserRoles:
    if isinstance(user, User) and user.is_active:
        return user_roles(user=user)
    return NO_ROLES


def performance_agencies(*, user: AnyUser) -> frozenset[str] | None:
    """The codes of the agencies whose figures the person reads: None for every agency, an empty
    set for none."""
    roles = _roles(user)
    if roles.has_any(*_CITY_WIDE):
        return None
    agency_ids = roles.agency_ids(Role.AGENCY_SUPERVISOR)
    if not agency_ids:
        return frozenset()
    return frozenset(agency_list().filter(pk__in=agency_ids).values_list("code", flat=True))


def can_read_performance(*, user: AnyUser) -> bool:
    return performance_agencies(user=user) != frozenset()


def require_read_performance(*, user: AnyUser) -> frozenset[str] | None:
    """The agencies the person reads (None: all), or a refusal for someone who reads none."""
    agencies = performance_agencies(user=user)
    if agencies == frozenset():
        raise PermissionDenied("performance figures are for supervisors and auditors")
    return agencies


def can_read_reports(*, user: AnyUser) -> bool:
    return _roles(user).has_any(*_CITY_WIDE)


def require_read_reports(*, user: AnyUser) -> None:
    if not can_read_reports(user=user):
        raise PermissionDenied("the monthly report is for 311 supervisors and auditors")


def can_plan_staffing(*, user: AnyUser) -> bool:
    """The demand forecast and the staffing plan are the contact center's and the city's: the
    city-wide roles read them."""
    return _roles(user).has_any(*_CITY_WIDE)


def require_plan_staffing(*, user: AnyUser) -> None:
    if not can_plan_staffing(user=user):
        raise PermissionDenied("the forecast and staffing plan are for 311 supervisors")


_SPIKE_WATCHERS = (Role.SUPERVISOR_311, Role.ADMINISTRATOR)


def can_watch_spikes(*, user: AnyUser) -> bool:
    """Spikes in intake are the 311 supervisors' to act on (and administrators'): they read and
    acknowledge them."""
    return _roles(user).has_any(*_SPIKE_WATCHERS)


def require_watch_spikes(*, user: AnyUser) -> None:
    if not can_watch_spikes(user=user):
        raise PermissionDenied("spikes in intake are for 311 supervisors")

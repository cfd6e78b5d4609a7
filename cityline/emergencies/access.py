"""Who may switch emergencies on and off, send broadcasts, and read their records.

- 311 supervisors and administrators switch an emergency on and off, and send broadcasts to
  subscribers: both speak for the whole city.
- Auditors read the record of emergencies (when, who, the contacts they brought) and of
  broadcasts (audience, deliveries) too.
- Everyone reads the banner; call-takers and every agent on the desk read the call script and
  the pinned answers there.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import NO_ROLES, UserRoles, user_roles

AnyUser = User | AnonymousUser | None

_MANAGE = (Role.SUPERVISOR_311, Role.ADMINISTRATOR)
_READ = (Role.SUPERVISOR_311, Role.ADMINISTRATOR, Role.AUDITOR)


def _roles(user: AnyUser) -> UserRoles:
    if isinstance(user, User) and user.is_active:
        return user_roles(user=user)
    return NO_ROLES


def can_manage_emergencies(*, user: AnyUser) -> bool:
    return _roles(user).has_any(*_MANAGE)


def require_manage_emergencies(*, user: AnyUser) -> None:
    if not can_manage_emergencies(user=user):
        raise PermissionDenied("emergencies are switched on and off by 311 supervisors")


def can_read_emergencies(*, user: AnyUser) -> bool:
    return _roles(user).has_any(*_READ)


def require_read_emergencies(*, user: AnyUser) -> None:
    if not can_read_emergencies(user=user):
        raise PermissionDenied("the record of emergencies is for supervisors and auditors")

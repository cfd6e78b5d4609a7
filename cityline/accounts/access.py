"""Who may read the audit log.

- 311 supervisors, auditors and administrators read it all, filtered as they like.
- An agency supervisor reads what their agency's staff did: the entries of everyone who holds a
  role in an agency they supervise.
- Nobody edits it: entries are only added, by the actions they record.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import user_roles

AnyUser = User | AnonymousUser | None


_READ_ALL = (Role.SUPERVISOR_311, Role.AUDITOR, Role.ADMINISTRATOR)


def can_read_audit_log(*, user: AnyUser) -> bool:
    return user_roles(user=user).has_any(*_READ_ALL, Role.AGENCY_SUPERVISOR)


def require_read_audit_log(*, user: AnyUser) -> None:
    if not can_read_audit_log(user=user):
        raise PermissionDenied("the audit log is for supervisors, auditors and administrators")


def audit_log_agency_ids(*, user: AnyUser) -> frozenset[int] | None:
    """The agencies whose staff's entries the person reads; None for every entry."""
    roles = user_roles(user=user)
    if roles.has_any(*_READ_ALL):
        return None
    return roles.agency_ids(Role.AGENCY_SUPERVISOR)

"""Who may read the audit log.

- 311 supervisors, auditors and administrators read it all, filtered as they like.
- Nobody edits it: entries are only added, by the actions they record.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import user_roles

AnyUser = User | AnonymousUser | None


def can_read_audit_log(*, user: AnyUser) -> bool:
    return user_roles(user=user).has_any(Role.SUPERVISOR_311, Role.AUDITOR, Role.ADMINISTRATOR)


def require_read_audit_log(*, user: AnyUser) -> None:
    if not can_read_audit_log(user=user):
        raise PermissionDenied("the audit log is for 311 supervisors, auditors and administrators")

"""Who may do what with SLA notices: every member of staff reads and marks their own notices, and
nobody reads anyone else's (`sla_notices_for` and `sla_notice_mark_read` take the reader)."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from cityline.accounts.models import User


def can_read_notices(*, user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def require_read_notices(*, user: User | AnonymousUser) -> None:
    if not can_read_notices(user=user):
        raise PermissionDenied("SLA notices are for staff")

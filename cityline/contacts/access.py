"""Who may read the contact center's figures: 311 supervisors, auditors and administrators. The
figures carry no personal data; the contacts behind them (caller details, agents' notes) are read
through the admin by those who hold its permission."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import user_roles

AnyUser = User | AnonymousUser | None

_READ_FIGURES = (Role.SUPERVISOR_311, Role.ADMINISTRATOR, Role.AUDITOR)


def can_read_figures(*, user: AnyUser) -> bool:
    if not (isinstance(user, User) and user.is_active):
        return False
    return user_roles(user=user).has_any(*_READ_FIGURES)


def require_read_figures(*, user: AnyUser) -> None:
    if not can_read_figures(user=user):
        raise PermissionDenied("the contact center's figures are for supervisors")

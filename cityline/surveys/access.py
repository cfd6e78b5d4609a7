"""Who may set the share of residents surveyed.

- The survey settings are changed by 311 supervisors and administrators.
- The scores (no personal data) are read where the contact center's figures are
  (`contacts.access.can_read_figures`) and with an agency's performance figures
  (`analytics.access`).
- A survey's page is the resident's: its signed link is the only credential.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import user_roles

_MANAGE = (Role.SUPERVISOR_311, Role.ADMINISTRATOR)


def can_manage_surveys(*, user: User | AnonymousUser | None) -> bool:
    if not (isinstance(user, User) and user.is_active):
        return False
    return user_roles(user=user).has_any(*_MANAGE)


def require_manage_surveys(*, user: User | AnonymousUser | None) -> None:
    if not can_manage_surveys(user=user):
        raise PermissionDenied("the survey settings are for 311 supervisors")

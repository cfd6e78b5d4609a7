"""Who may set the share of residents surveyed.

- The survey settings are changed by 311 supervisors and administrators.
- The scores (no personal data) are read where the contact center's figures are
  (`contacts.access.can_read_figures`) and with an agency's performance figures
  (`analytics.access`).
- The answers with their comments (the console's *Survey answers*) are read by those who answer
  for the whole city (311 supervisors, auditors, administrators): every answer; and by agency
  supervisors: the answers about their agencies' requests only (an answer after a contact that
  concerned no request is the contact center's, read city-wide only). Call-takers and agency
  workers read none: the comments judge their own work and reach them through their supervisor.
  No answer holds the resident's address or number.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import user_roles
from cityline.catalog.selectors import agency_list

_MANAGE = (Role.SUPERVISOR_311, Role.ADMINISTRATOR)
_READ_EVERY_ANSWER = (Role.SUPERVISOR_311, Role.AUDITOR, Role.ADMINISTRATOR)


def can_manage_surveys(*, user: User | AnonymousUser | None) -> bool:
    if not (isinstance(user, User) and user.is_active):
        return False
    return user_roles(user=user).has_any(*_MANAGE)


def require_manage_surveys(*, user: User | AnonymousUser | None) -> None:
    if not can_manage_surveys(user=user):
        raise PermissionDenied("the survey settings are for 311 supervisors")


def answer_agencies(*, user: User | AnonymousUser | None) -> frozenset[str] | None:
    """The codes of the agencies whose answers the person reads: None for every answer, an
    empty set for none."""
    if not (isinstance(user, User) and user.is_active):
        return frozenset()
    roles = user_roles(user=user)
    if roles.has_any(*_READ_EVERY_ANSWER):
        return None
    agency_ids = roles.agency_ids(Role.AGENCY_SUPERVISOR)
    if not agency_ids:
        return frozenset()
    return frozenset(agency_list().filter(pk__in=agency_ids).values_list("code", flat=True))


def can_read_answers(*, user: User | AnonymousUser | None) -> bool:
    return answer_agencies(user=user) != frozenset()


def require_read_answers(*, user: User | AnonymousUser | None) -> frozenset[str] | None:
    """The agencies whose answers the person reads (None: all), or a refusal."""
    agencies = answer_agencies(user=user)
    if agencies == frozenset():
        raise PermissionDenied("survey answers are for supervisors and auditors")
    return agencies

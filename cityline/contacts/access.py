"""Who may record contacts, look callers up, and read the contact center's figures.

- Agents record contacts on the desk: call-takers, 311 supervisors, administrators, and partners
  (a council office, a liaison) for the residents they serve. An agent works on their own
  contacts only, until they wrap them up.
- Looking a caller up (their earlier contacts and requests, by phone, e-mail or name) reveals
  personal data: call-takers, 311 supervisors and administrators may, for the caller they are
  talking to; each lookup is in the audit log. Partners see only the contacts they took.
- Filing a request on a resident's behalf from the desk follows servicerequests.access's
  `can_file_on_behalf` (partners only where the place lies in their areas). Call-takers, 311
  supervisors and administrators may file the staff-only types too; partners file what residents
  may, as they do it for one.
- The figures (no personal data) are read by 311 supervisors, auditors and administrators.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import NO_ROLES, UserRoles, user_roles
from cityline.contacts.models import Contact

AnyUser = User | AnonymousUser | None

_RECORDERS = (Role.CALL_TAKER, Role.SUPERVISOR_311, Role.ADMINISTRATOR, Role.PARTNER)
_LOOK_UP_CALLERS = (Role.CALL_TAKER, Role.SUPERVISOR_311, Role.ADMINISTRATOR)
_FILE_STAFF_ONLY_TYPES = (Role.CALL_TAKER, Role.SUPERVISOR_311, Role.ADMINISTRATOR)
_READ_FIGURES = (Role.SUPERVISOR_311, Role.ADMINISTRATOR, Role.AUDITOR)


def _roles(user: AnyUser) -> UserRoles:
    if isinstance(user, User) and user.is_active:
        return user_roles(user=user)
    return NO_ROLES


def can_record_contacts(*, user: AnyUser) -> bool:
    return _roles(user).has_any(*_RECORDERS)


def require_record_contacts(*, user: AnyUser) -> None:
    if not can_record_contacts(user=user):
        raise PermissionDenied("the desk is for call-takers, supervisors and partners")


def can_look_up_callers(*, user: AnyUser) -> bool:
    return _roles(user).has_any(*_LOOK_UP_CALLERS)


def can_file_staff_only_types(*, user: AnyUser) -> bool:
    return _roles(user).has_any(*_FILE_STAFF_ONLY_TYPES)


def contact_get_for_agent(*, user: AnyUser, contact_id: int) -> Contact:
    """The agent's own contact, still open or not; 404 for anyone else's, so that a contact's
    existence is not revealed."""
    require_record_contacts(user=user)
    contact = Contact.objects.filter(pk=contact_id, agent=user).first()  # type: ignore[misc]
    if contact is None:
        raise Http404("no such contact")
    return contact


def can_read_figures(*, user: AnyUser) -> bool:
    return _roles(user).has_any(*_READ_FIGURES)


def require_read_figures(*, user: AnyUser) -> None:
    if not can_read_figures(user=user):
        raise PermissionDenied("the contact center's figures are for supervisors")

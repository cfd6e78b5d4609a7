"""Who may read and act on what residents sent by e-mail and text.

- The triage queue (e-mails waiting for a person) holds residents' words and addresses: call-
  takers, 311 supervisors and administrators read it, file a request from a message or close it.
  Partners and agency staff do not: the messages are not of their scope.
- The webhooks are not for people: a provider is known by its signature (`signatures.py`).
- The outgoing texts' folder (the demo's gateway) holds residents' numbers: operators only,
  as the outgoing mail.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import NO_ROLES, UserRoles, user_roles
from cityline.channels.models import InboundEmail

AnyUser = User | AnonymousUser | None

_TRIAGE = (Role.CALL_TAKER, Role.SUPERVISOR_311, Role.ADMINISTRATOR)


def _roles(user: AnyUser) -> UserRoles:
    if isinstance(user, User) and user.is_active:
        return user_roles(user=user)
    return NO_ROLES


def can_triage(*, user: AnyUser) -> bool:
    return _roles(user).has_any(*_TRIAGE)


def require_triage(*, user: AnyUser) -> None:
    if not can_triage(user=user):
        raise PermissionDenied("the e-mail triage is for call-takers and 311 supervisors")


def inbound_email_get_for_user(*, user: AnyUser, email_id: int) -> InboundEmail:
    require_triage(user=user)
    email = InboundEmail.objects.select_related("contact", "request").filter(pk=email_id).first()
    if email is None:
        raise Http404("no such message")
    return email


def may_read_outgoing_texts(user: User | AnonymousUser) -> bool:
    return bool(user.is_active and user.is_staff and user.has_perm("channels.view_smsmessage"))

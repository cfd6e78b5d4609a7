"""Who may see and replay agencies' work orders."""

from django.contrib.auth.models import AnonymousUser

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import user_roles


def may_manage_integrations(user: User | AnonymousUser) -> bool:
    """Work orders name requests and agencies' endpoints: the city's administrators and 311
    supervisors (superusers hold every role)."""
    return user_roles(user=user).has_any(Role.ADMINISTRATOR, Role.SUPERVISOR_311)

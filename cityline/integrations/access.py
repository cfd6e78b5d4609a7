"""Who may see and replay agencies' work orders."""

from django.contrib.auth.models import AnonymousUser

from cityline.accounts.models import User


def may_manage_integrations(user: User | AnonymousUser) -> bool:
    """Work orders name requests and agencies' endpoints: the city's administrators only."""
    return bool(user.is_active and user.is_superuser)

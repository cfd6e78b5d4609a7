"""Who may see what the notifications app holds."""

from django.contrib.auth.models import AnonymousUser

from cityline.accounts.models import User


def may_read_outgoing_mail(user: User | AnonymousUser) -> bool:
    """Outgoing mail holds residents' addresses: operators only (admin-site users with the
    permission to view e-mail deliveries; superusers have it)."""
    return bool(
        user.is_active and user.is_staff and user.has_perm("notifications.view_emaildelivery")
    )

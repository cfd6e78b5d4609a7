"""Who may do what with a service request. The admin and every other entry point ask here.

- A request's lifecycle (acknowledge, start, hold, close, reopen) is moved by staff holding the
  permission to change requests; each move goes through `services.lifecycle`.
- Nobody edits a request's identity or lifecycle fields by hand, and nobody deletes one: its
  history would no longer tell what happened.
"""

from django.contrib.auth.models import AnonymousUser

from cityline.accounts.models import User

AnyUser = User | AnonymousUser | None


def can_move_lifecycle(*, user: AnyUser) -> bool:
    return (
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm("servicerequests.change_servicerequest")
    )

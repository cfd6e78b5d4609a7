"""Request types for views that only signed-in staff reach (`login_required`)."""

from django.http import HttpRequest

from cityline.accounts.models import User


class StaffRequest(HttpRequest):
    """A request whose user is signed in: `login_required` turned everyone else away."""

    user: User

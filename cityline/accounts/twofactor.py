"""The second factor: who needs one, and the guard that sends them to prove it before they use
the console or the admin."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp import user_has_device

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import user_roles

# Where the guard applies, and the pages it leaves open so a person can sign in and prove it.
GUARDED_PREFIXES = ("/console/", "/admin/")
OPEN_PAGES = (
    "console:login",
    "console:logout",
    "console:2fa_setup",
    "console:2fa_verify",
    "admin:login",
    "admin:logout",
)


def check_second_factor_roles(names: list[str]) -> None:
    """Stop at start-up on a role name CITYLINE_REQUIRE_2FA_ROLES misspells: a typo would
    silently let those people in without a second factor."""
    unknown = set(names) - set(Role.values)
    if unknown:
        raise ImproperlyConfigured(
            f"CITYLINE_REQUIRE_2FA_ROLES names no such role: {', '.join(sorted(unknown))}"
        )


def second_factor_required(*, user: User | AnonymousUser | None) -> bool:
    """Whether this person holds a role CITYLINE_REQUIRE_2FA_ROLES names (superusers hold all)."""
    roles = user_roles(user=user)
    return any(roles.has(Role(name)) for name in settings.CITYLINE_REQUIRE_2FA_ROLES)


def second_factor_verified(request: HttpRequest) -> bool:
    """Whether this session signed in with a one-time code (django-otp's middleware says)."""
    return getattr(request.user, "otp_device", None) is not None


class SecondFactorMiddleware:
    """Sends a signed-in person who needs a second factor and has not given one in this session
    to give it (or to set up an authenticator first), then back to the page they asked for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_verify(request):
            assert isinstance(request.user, User)
            step = "console:2fa_verify" if user_has_device(request.user) else "console:2fa_setup"
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse(step)}?{query}")
        return self.get_response(request)

    @staticmethod
    def _must_verify(request: HttpRequest) -> bool:
        if not request.path.startswith(GUARDED_PREFIXES):
            return False
        if request.path in {reverse(name) for name in OPEN_PAGES}:
            return False
        user = request.user
        return (
            user.is_authenticated
            and second_factor_required(user=user)
            and not second_factor_verified(request)
        )

"""What django-axes asks of the console: the address a sign-in comes from, and the page shown
instead of the console's or the admin's sign-in once it refuses an account or an address after too
many wrong passwords."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def sign_in_locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    # Every try during a lockout starts the cool-off again (django-axes' default), so the way in
    # opens one whole cool-off after this try.
    cooloff = settings.AXES_COOLOFF_TIME
    response = render(
        request,
        "registration/locked_out.html",
        {
            "retry_at": timezone.localtime() + cooloff,
            "minutes": int(cooloff.total_seconds() // 60),
        },
        status=429,
    )
    response["Retry-After"] = str(int(cooloff.total_seconds()))
    return response

"""Who is on the other end of a request: the one reading of a client's address that sign-in
throttling, rate limits and vote counting share."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The address of the client: REMOTE_ADDR, or behind CITYLINE_PROXY_COUNT proxies the one the
    outermost proxy appended to X-Forwarded-For. What stands left of it the client wrote itself."""
    proxies = settings.CITYLINE_PROXY_COUNT
    if not proxies:
        return request.META.get("REMOTE_ADDR")
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) >= proxies and forwarded[-proxies]:
        return forwarded[-proxies]
    # Not through the proxies: the connection's own address is all there is.
    return request.META.get("REMOTE_ADDR")


def client_address_key(group: str, request: HttpRequest) -> str:
    """django-ratelimit's key: the client's address ("" when the server gave none)."""
    return client_address(request) or ""

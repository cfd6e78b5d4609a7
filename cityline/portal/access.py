"""How often one client may ask for things on the public request pages. The counts live in the
shared cache, so every web worker applies the one limit; asking counts even when refused."""

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

from cityline.core.clients import client_address_key

# A household follows a few requests; a script following thousands is refused.
FOLLOW_RATE = "10/h"
# Subscribing to an area or a topic: a household picks a few.
SUBSCRIBE_RATE = "10/h"
# Saying a request is not fixed reopens it or opens another: a few an hour from one address.
NOT_FIXED_RATE = "5/h"


def follow_refused(*, request: HttpRequest) -> bool:
    return is_ratelimited(
        request, group="portal-follow", key=client_address_key, rate=FOLLOW_RATE, increment=True
    )


def not_fixed_refused(*, request: HttpRequest) -> bool:
    return is_ratelimited(
        request,
        group="portal-not-fixed",
        key=client_address_key,
        rate=NOT_FIXED_RATE,
        increment=True,
    )


def report_refused(*, request: HttpRequest) -> bool:
    return is_ratelimited(
        request,
        group="portal-report",
        key=client_address_key,
        rate=settings.CITYLINE_REPORT_RATE,
        increment=True,
    )


def subscribe_refused(*, request: HttpRequest) -> bool:
    return is_ratelimited(
        request,
        group="portal-subscribe",
        key=client_address_key,
        rate=SUBSCRIBE_RATE,
        increment=True,
    )

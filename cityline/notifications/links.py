"""The absolute addresses in residents' messages, on the site the city serves
(settings.CITYLINE_SITE_URL)."""

import uuid
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse


def tracking_link(*, tracking_number: str) -> str:
    """The request's public tracking page."""
    return f"{settings.CITYLINE_SITE_URL}/track/{quote(tracking_number)}/"


def follow_confirm_link(*, token: uuid.UUID) -> str:
    return settings.CITYLINE_SITE_URL + reverse("notifications:follow_confirm", args=[token])


def follow_stop_link(*, token: uuid.UUID) -> str:
    """Stops a follower's messages, or a reporter's: both kinds of token are UUIDs, never the
    same one."""
    return settings.CITYLINE_SITE_URL + reverse("notifications:follow_stop", args=[token])


def subscription_confirm_link(*, token: uuid.UUID) -> str:
    return settings.CITYLINE_SITE_URL + reverse("notifications:subscription_confirm", args=[token])


def subscription_stop_link(*, token: uuid.UUID) -> str:
    return settings.CITYLINE_SITE_URL + reverse("notifications:subscription_stop", args=[token])


def neighborhood_link(*, query: str) -> str:
    """The neighborhood page, asked `query` (a query string without its `?`)."""
    return f"{settings.CITYLINE_SITE_URL}{reverse('neighborhood:page')}?{query}"

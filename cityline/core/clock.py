"""The one source of 'now' for every time rule, so tests can freeze and move it."""

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def city_timezone() -> tzinfo:
    return ZoneInfo(settings.TIME_ZONE)


def to_city_time(moment: datetime) -> datetime:
    return moment.astimezone(city_timezone())

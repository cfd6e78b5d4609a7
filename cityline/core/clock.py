"""The one source of 'now' for every time rule, so tests can freeze and move it."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

_replayed: ContextVar[datetime | None] = ContextVar("clock_replayed", default=None)


def now() -> datetime:
    return _replayed.get() or timezone.now()


@contextmanager
def replaying_at(moment: datetime) -> Iterator[None]:
    """Inside it, `now()` is `moment` (in this thread or task only): the demo city replays its
    requests' past through the same services, so every due time and history entry they write
    follows the rules."""
    token = _replayed.set(moment)
    try:
        yield
    finally:
        _replayed.reset(token)


def city_timezone() -> tzinfo:
    return ZoneInfo(settings.TIME_ZONE)


def to_city_time(moment: datetime) -> datetime:
    return moment.astimezone(city_timezone())

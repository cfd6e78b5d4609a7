"""Due-time arithmetic: pure functions of a policy, a start time and the city's calendar, and of a
request's frozen targets and its history (the time spent waiting pushes the resolution back)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Protocol

import holidays

from cityline.sla.models import SlaUnit

END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True)
class CalendarRules:
    country: str
    subdivision: str
    closures: frozenset[date]

    def is_business_day(self, day: date) -> bool:
        return (
            day.weekday() < 5
            and day not in self.closures
            and not _is_holiday(self.country, self.subdivision, day)
        )


@lru_cache(maxsize=64)
def _holiday_set(country: str, subdivision: str, year: int) -> frozenset[date]:
    found = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    return frozenset(found.keys())


def _is_holiday(country: str, subdivision: str, day: date) -> bool:
    return day in _holiday_set(country, subdivision, day.year)


def calendar_rules(
    *, country: str, subdivision: str, closures: Iterable[date] = ()
) -> CalendarRules:
    return CalendarRules(country=country, subdivision=subdivision, closures=frozenset(closures))


def due_at(
    *,
    amount: int,
    unit: str,
    start: datetime,
    zone: tzinfo,
    calendar: CalendarRules | None = None,
) -> datetime:
    """When a request received at `start` is due.

    - hours: elapsed time, so a DST change does not stretch or shrink the promise;
    - calendar days: the same wall-clock time `amount` days later in the city;
    - business days: the end of the `amount`-th business day after the day of receipt, so a
      request received on Friday evening with a 1-business-day target is due Monday night.
    """
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if unit == SlaUnit.HOURS:
        # In UTC: adding to a zoned datetime would add wall-clock hours, not elapsed ones.
        return (start.astimezone(UTC) + timedelta(hours=amount)).astimezone(zone)
    local = start.astimezone(zone)
    if unit == SlaUnit.CALENDAR_DAYS:
        wall = datetime.combine(local.date() + timedelta(days=amount), local.time())
        return _localize(wall, zone)
    if unit == SlaUnit.BUSINESS_DAYS:
        if calendar is None:
            raise ValueError("business days need a calendar")
        day = local.date()
        remaining = amount
        while remaining:
            day += timedelta(days=1)
            if calendar.is_business_day(day):
                remaining -= 1
        return _localize(datetime.combine(day, END_OF_DAY), zone)
    raise ValueError(f"unknown SLA unit {unit!r}")


def _localize(wall: datetime, zone: tzinfo) -> datetime:
    """Attach the zone to a wall-clock time, moving past a spring-forward gap if it falls in one.

    The round trip goes through UTC because astimezone() to a datetime's own zone returns it
    unchanged, so a wall time in a gap (02:30 on the spring-forward night) would stay a time that
    never happens; through UTC it becomes the same instant read on the clock (03:30 CDT).
    """
    return wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


class HistoryEntry(Protocol):
    kind: str
    status: str
    occurred_at: datetime


class FrozenTargets(Protocol):
    acknowledge_due_at: datetime | None
    resolve_target_at: datetime | None
    expected_at: datetime | None


@dataclass(frozen=True)
class SlaDueTimes:
    acknowledge_due_at: datetime | None
    expected_at: datetime | None


# Status values as the servicerequests app stores them; kept here as text so these rules stay
# free of any model.
WAITING = frozenset({"waiting_on_requester", "waiting_on_third_party"})
# Only these entries move a request's status at the time they are dated: a public update may be
# dated back to when its sender wrote it, and carries the status of when it was recorded.
STATUS_MOVES = frozenset({"created", "status_changed", "closed", "reopened"})


def paused_time(updates: Iterable[HistoryEntry]) -> timedelta:
    """The time spent in the waiting states that ended: a pause still going on pushes nothing yet
    (the scan leaves waiting requests alone, and leaving the state settles it)."""
    total = timedelta()
    paused_since: datetime | None = None
    for update in updates:
        if update.kind not in STATUS_MOVES:
            continue
        if update.status in WAITING:
            if paused_since is None:
                paused_since = update.occurred_at
        elif paused_since is not None:
            total += update.occurred_at - paused_since
            paused_since = None
    return total


def sla_due_times_from_history(
    request: FrozenTargets, updates: Iterable[HistoryEntry]
) -> SlaDueTimes:
    """Every due time of a request, from its frozen targets and its history alone (entries in the
    order they happened).

    The resolution is due at its target pushed back by the time spent waiting. Without a frozen
    target (a request imported with the source's own due time) the due time is the source's, and
    stays. The acknowledgement's due time is never pushed: a request leaves "new" to wait, so it
    is acknowledged before any pause can start.
    """
    expected = request.expected_at
    if request.resolve_target_at is not None:
        expected = request.resolve_target_at + paused_time(updates)
    return SlaDueTimes(acknowledge_due_at=request.acknowledge_due_at, expected_at=expected)

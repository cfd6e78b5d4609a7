"""Writing SLA configuration: business calendars with their closures, SLA policies with their
immutable versions, the due times frozen on a new request, and the reading of SLA notices.

Upserts are keyed by name, so loading the same configuration twice changes nothing.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter

import holidays
from django.db import IntegrityError, transaction

from cityline.accounts.models import User
from cityline.catalog.models import Agency
from cityline.core import clock
from cityline.core.errors import DomainError
from cityline.sla.models import (
    BusinessCalendar,
    CalendarClosure,
    LateCloseReason,
    SlaNotice,
    SlaPolicy,
    SlaPolicyVersion,
    SlaUnit,
)
from cityline.sla.selectors import sla_due_at, sla_hours_after


class SlaDefinitionError(DomainError):
    code = "sla_definition_invalid"


@dataclass(frozen=True)
class ClosureSpec:
    date: date
    name: str


def business_calendar_upsert(
    *,
    name: str,
    holiday_country: str = "US",
    holiday_subdivision: str = "",
    closures: Sequence[ClosureSpec] | None = None,
) -> BusinessCalendar:
    """Create or update a calendar. When `closures` is given, the calendar's local closures become
    exactly those; when it is None, they are left as they are."""
    try:
        holidays.country_holidays(holiday_country, subdiv=holiday_subdivision or None)
    except NotImplementedError as exc:
        field = "holiday_subdivision" if holiday_subdivision else "holiday_country"
        raise SlaDefinitionError(str(exc), field=field) from None
    with transaction.atomic():
        calendar, _ = BusinessCalendar.objects.update_or_create(
            name=name,
            defaults={
                "holiday_country": holiday_country,
                "holiday_subdivision": holiday_subdivision,
            },
        )
        if closures is not None:
            wanted = {c.date: c.name for c in closures}
            calendar.closures.exclude(date__in=list(wanted)).delete()
            existing = {c.date: c for c in calendar.closures.all()}
            created = []
            for day, label in sorted(wanted.items()):
                closure = existing.get(day)
                if closure is None:
                    created.append(CalendarClosure(calendar=calendar, date=day, name=label))
                elif closure.name != label:
                    closure.name = label
                    closure.save(update_fields=["name", "updated_at"])
            CalendarClosure.objects.bulk_create(created)
    return calendar


def sla_policy_upsert(
    *,
    name: str,
    amount: int,
    unit: str,
    calendar: BusinessCalendar | None = None,
    acknowledge_hours: int | None = None,
) -> SlaPolicy:
    if unit not in SlaUnit.values:
        raise SlaDefinitionError(f"{unit!r} is not an SLA unit", field="unit")
    if amount <= 0:
        raise SlaDefinitionError("the target must be a positive amount", field="amount")
    if unit == SlaUnit.BUSINESS_DAYS and calendar is None:
        raise SlaDefinitionError("a target in business days needs a calendar", field="calendar")
    if acknowledge_hours is not None and acknowledge_hours <= 0:
        raise SlaDefinitionError(
            "the acknowledgement target must be a positive number of hours",
            field="acknowledge_hours",
        )
    policy, _ = SlaPolicy.objects.update_or_create(
        name=name,
        defaults={
            "amount": amount,
            "unit": unit,
            "calendar": calendar,
            "acknowledge_hours": acknowledge_hours,
        },
    )
    sla_policy_version_current(policy=policy)
    return policy


def _same_targets(version: SlaPolicyVersion, policy: SlaPolicy) -> bool:
    return (
        version.acknowledge_hours == policy.acknowledge_hours
        and version.amount == policy.amount
        and version.unit == policy.unit
        and version.calendar_id == policy.calendar_id
    )


def sla_policy_version_current(*, policy: SlaPolicy) -> SlaPolicyVersion:
    """The version holding the policy's targets as they are now: the latest one, or a new one
    when the policy was changed since (by a service, the admin, or any other save).

    Versions are never edited, so a request that keeps its version keeps the targets it was made
    under. Two writers adding the same version number meet on the unique key; the loser takes
    the winner's."""
    # .all(): intake's reads of a service type prefetch its policy's versions.
    latest = max(policy.versions.all(), key=attrgetter("number"), default=None)
    if latest is not None and _same_targets(latest, policy):
        return latest
    try:
        with transaction.atomic():
            return SlaPolicyVersion.objects.create(
                policy=policy,
                number=latest.number + 1 if latest else 1,
                acknowledge_hours=policy.acknowledge_hours,
                amount=policy.amount,
                unit=policy.unit,
                calendar_id=policy.calendar_id,
            )
    except IntegrityError:
        return policy.versions.order_by("-number")[0]


@dataclass(frozen=True)
class FrozenSla:
    """A new request's SLA: the policy version and each stage's due time."""

    version: SlaPolicyVersion
    acknowledge_due_at: datetime | None
    resolve_due_at: datetime


def sla_targets_freeze(*, policy: SlaPolicy, start: datetime) -> FrozenSla:
    """The due times of a request received at `start` under the policy's current version."""
    version = sla_policy_version_current(policy=policy)
    return FrozenSla(
        version=version,
        acknowledge_due_at=(
            sla_hours_after(hours=version.acknowledge_hours, start=start)
            if version.acknowledge_hours
            else None
        ),
        resolve_due_at=sla_due_at(policy=version, start=start),
    )


def sla_notice_mark_read(*, user: User, notice_id: int) -> bool:
    """Mark one of the user's own notices read; False when the user has no such notice."""
    found = SlaNotice.objects.filter(pk=notice_id, user=user)
    found.filter(read_at__isnull=True).update(read_at=clock.now())
    return found.exists()


def late_close_reason_upsert(*, agency: Agency, name: str) -> LateCloseReason:
    """One of an agency's reasons for closing late, active."""
    reason, _ = LateCloseReason.objects.update_or_create(
        agency=agency, name=name, defaults={"is_active": True}
    )
    return reason

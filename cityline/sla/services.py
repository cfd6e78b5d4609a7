"""Writing SLA configuration: business calendars with their closures, and SLA policies.

Upserts are keyed by name, so loading the same configuration twice changes nothing.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import holidays
from django.db import transaction

from cityline.core.errors import DomainError
from cityline.sla.models import BusinessCalendar, CalendarClosure, SlaPolicy, SlaUnit


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
    *, name: str, amount: int, unit: str, calendar: BusinessCalendar | None = None
) -> SlaPolicy:
    if unit not in SlaUnit.values:
        raise SlaDefinitionError(f"{unit!r} is not an SLA unit", field="unit")
    if amount <= 0:
        raise SlaDefinitionError("the target must be a positive amount", field="amount")
    if unit == SlaUnit.BUSINESS_DAYS and calendar is None:
        raise SlaDefinitionError("a target in business days needs a calendar", field="calendar")
    policy, _ = SlaPolicy.objects.update_or_create(
        name=name, defaults={"amount": amount, "unit": unit, "calendar": calendar}
    )
    return policy

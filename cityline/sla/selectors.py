from datetime import datetime

from django.utils.translation import ngettext

from cityline.core import clock
from cityline.sla.models import BusinessCalendar, SlaPolicy, SlaUnit
from cityline.sla.rules import CalendarRules, calendar_rules, due_at


def business_calendar_rules(*, calendar: BusinessCalendar) -> CalendarRules:
    return calendar_rules(
        country=calendar.holiday_country,
        subdivision=calendar.holiday_subdivision,
        closures=[closure.date for closure in calendar.closures.all()],
    )


def sla_due_at(*, policy: SlaPolicy, start: datetime) -> datetime:
    rules = business_calendar_rules(calendar=policy.calendar) if policy.calendar else None
    return due_at(
        amount=policy.amount,
        unit=policy.unit,
        start=start,
        zone=clock.city_timezone(),
        calendar=rules,
    )


def sla_policy_in_words(*, policy: SlaPolicy) -> str:
    """The promise as a resident reads it, in the active language: "within 3 business days"."""
    count = policy.amount
    if policy.unit == SlaUnit.HOURS:
        words = ngettext("within %(count)d hour", "within %(count)d hours", count)
    elif policy.unit == SlaUnit.BUSINESS_DAYS:
        words = ngettext("within %(count)d business day", "within %(count)d business days", count)
    else:
        words = ngettext("within %(count)d day", "within %(count)d days", count)
    return words % {"count": count}

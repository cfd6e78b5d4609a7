from datetime import datetime

from cityline.core import clock
from cityline.sla.models import BusinessCalendar, SlaPolicy
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

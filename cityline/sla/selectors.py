from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import ngettext

from cityline.accounts.models import User
from cityline.core import clock
from cityline.sla.models import (
    BusinessCalendar,
    EscalationLevel,
    LateCloseReason,
    SlaEscalation,
    SlaNotice,
    SlaPolicy,
    SlaPolicyVersion,
    SlaUnit,
)
from cityline.sla.rules import CalendarRules, calendar_rules, due_at


def business_calendar_rules(*, calendar: BusinessCalendar) -> CalendarRules:
    return calendar_rules(
        country=calendar.holiday_country,
        subdivision=calendar.holiday_subdivision,
        closures=[closure.date for closure in calendar.closures.all()],
    )


def sla_due_at(*, policy: SlaPolicy | SlaPolicyVersion, start: datetime) -> datetime:
    rules = business_calendar_rules(calendar=policy.calendar) if policy.calendar else None
    return due_at(
        amount=policy.amount,
        unit=policy.unit,
        start=start,
        zone=clock.city_timezone(),
        calendar=rules,
    )


def sla_hours_after(*, hours: int, start: datetime) -> datetime:
    return due_at(amount=hours, unit=SlaUnit.HOURS, start=start, zone=clock.city_timezone())


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


@dataclass(frozen=True)
class EscalationMail:
    email: str
    tracking_number: str
    service_name: str
    stage: str
    level_label: str
    due_at: datetime


LEVEL_WORDS = {
    EscalationLevel.AT_RISK: "at risk",
    EscalationLevel.BREACHED: "overdue",
    EscalationLevel.OVERDUE: "long overdue",
}


def sla_escalation_mail(*, escalation_id: int, user_id: int) -> EscalationMail | None:
    """What an escalation's e-mail to one recipient says; None when there is no one to write to
    any more (the escalation or the user was deleted, or the user has no address)."""
    escalation = (
        SlaEscalation.objects.filter(pk=escalation_id)
        .select_related("request__service_type")
        .first()
    )
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if escalation is None or user is None:
        return None
    return EscalationMail(
        email=user.email,
        tracking_number=escalation.request.tracking_number,
        service_name=escalation.request.service_type.name,
        stage=escalation.stage,
        level_label=LEVEL_WORDS[EscalationLevel(escalation.level)],
        due_at=escalation.due_at,
    )


def sla_notices_for(*, user: User) -> QuerySet[SlaNotice]:
    """A user's SLA notices, newest first, with what the console shows of each."""
    return SlaNotice.objects.filter(user=user).select_related("escalation__request__service_type")


def late_close_reasons_active() -> QuerySet[LateCloseReason]:
    """The reasons a late close may give; each request takes one of its own agency's."""
    return LateCloseReason.objects.filter(is_active=True)

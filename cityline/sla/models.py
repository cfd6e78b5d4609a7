"""SLA configuration (calendars, policies and their immutable versions), the late-close reasons
agencies keep, and what the SLA scan records: escalations, one per request, stage and level, and
the console notices they leave their recipients."""

from django.conf import settings
from django.db import models

from cityline.core import clock
from cityline.core.models import BaseModel


class BusinessCalendar(BaseModel):
    """Which days count as business days: Monday to Friday, less public holidays and closures."""

    name = models.CharField(max_length=100, unique=True)
    holiday_country = models.CharField(
        max_length=2, default="US", help_text="ISO country code for the `holidays` package."
    )
    holiday_subdivision = models.CharField(
        max_length=10, blank=True, help_text="State or province code, e.g. NY; blank for national."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CalendarClosure(BaseModel):
    """A day the city is closed that the public-holiday list does not know (a local holiday)."""

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="closures"
    )
    date = models.DateField()
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="closure_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.name}"


class SlaUnit(models.TextChoices):
    HOURS = "hours", "hours"
    CALENDAR_DAYS = "calendar_days", "calendar days"
    BUSINESS_DAYS = "business_days", "business days"


class SlaPolicy(BaseModel):
    """A service level target: how long the city promises to take to resolve a request and,
    where set, to acknowledge it. Every change makes a new `SlaPolicyVersion`; requests keep the
    version they were made under."""

    name = models.CharField(max_length=100, unique=True)
    acknowledge_hours = models.PositiveIntegerField(
        null=True, blank=True, help_text="Hours to acknowledge a request; blank for no such stage."
    )
    amount = models.PositiveIntegerField()
    unit = models.CharField(max_length=20, choices=SlaUnit.choices)
    calendar = models.ForeignKey(
        BusinessCalendar,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Required for business days.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "SLA policies"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(unit="business_days") | models.Q(calendar__isnull=False),
                name="sla_business_days_need_calendar",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="sla_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(acknowledge_hours__isnull=True)
                | models.Q(acknowledge_hours__gt=0),
                name="sla_acknowledge_hours_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SlaPolicyVersion(models.Model):
    """A policy's targets as they stood from `created_at`: never changed once written."""

    policy = models.ForeignKey(SlaPolicy, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    acknowledge_hours = models.PositiveIntegerField(null=True, blank=True)
    amount = models.PositiveIntegerField()
    unit = models.CharField(max_length=20, choices=SlaUnit.choices)
    calendar = models.ForeignKey(
        BusinessCalendar, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["policy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="sla_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id} v{self.number}"


class LateCloseReason(BaseModel):
    """Why a request was closed after its due time, from a list each agency keeps."""

    agency = models.ForeignKey(
        "catalog.Agency", on_delete=models.CASCADE, related_name="late_close_reasons"
    )
    name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="late_reason_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class SlaStage(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", "acknowledge"
    RESOLVE = "resolve", "resolve"


class EscalationLevel(models.IntegerChoices):
    """Each level is reached once per request and stage: at risk tells the assignee, the breach
    the agency's supervisors, a breach long overdue the 311 supervisors."""

    AT_RISK = 1, "at risk: the assignee"
    BREACHED = 2, "breached: the agency's supervisors"
    OVERDUE = 3, "long overdue: the 311 supervisors"


class SlaEscalation(models.Model):
    """A request reached a level of a stage. The unique key is what lets two scans run at once:
    each inserts what it found skipping conflicts, and notifies only for the rows that carry its
    own `scan` id."""

    # Indexed by sla_escalation_unique, which leads with it.
    request = models.ForeignKey(
        "servicerequests.ServiceRequest",
        on_delete=models.CASCADE,
        related_name="sla_escalations",
        db_index=False,
    )
    stage = models.CharField(max_length=20, choices=SlaStage.choices)
    level = models.PositiveSmallIntegerField(choices=EscalationLevel.choices)
    due_at = models.DateTimeField(help_text="The stage's due time when the level was reached.")
    reached_at = models.DateTimeField(default=clock.now)
    scan = models.UUIDField(help_text="The scan that recorded it.")

    class Meta:
        ordering = ["-reached_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "stage", "level"], name="sla_escalation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.stage} level {self.level}"


class SlaNotice(models.Model):
    """An escalation as one recipient reads it on the console."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    escalation = models.ForeignKey(SlaEscalation, on_delete=models.CASCADE, related_name="notices")
    created_at = models.DateTimeField(default=clock.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="sla_notice_user_idx")]
        constraints = [
            models.UniqueConstraint(fields=["escalation", "user"], name="sla_notice_once"),
        ]

    def __str__(self) -> str:
        return f"notice {self.escalation_id} for {self.user_id}"

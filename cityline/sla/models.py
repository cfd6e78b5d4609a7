from django.db import models

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
    """A service level target: how long the city promises to take."""

    name = models.CharField(max_length=100, unique=True)
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
        ]

    def __str__(self) -> str:
        return self.name

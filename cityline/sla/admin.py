from django.contrib import admin
from django.http import HttpRequest

from cityline.sla.models import (
    BusinessCalendar,
    CalendarClosure,
    LateCloseReason,
    SlaEscalation,
    SlaPolicy,
    SlaPolicyVersion,
)
from cityline.sla.services import sla_policy_version_current


class CalendarClosureInline(admin.TabularInline):
    model = CalendarClosure
    extra = 1


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "holiday_country", "holiday_subdivision"]
    inlines = [CalendarClosureInline]


class SlaPolicyVersionInline(admin.TabularInline):
    """The versions requests were made under: written by saving the policy, never edited."""

    model = SlaPolicyVersion
    extra = 0
    fields = readonly_fields = (
        "number",
        "acknowledge_hours",
        "amount",
        "unit",
        "calendar",
        "created_at",
    )
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: SlaPolicy | None = None) -> bool:
        return False


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "acknowledge_hours", "amount", "unit", "calendar"]
    list_filter = ["unit"]
    inlines = [SlaPolicyVersionInline]

    def save_model(self, request: HttpRequest, obj: SlaPolicy, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        sla_policy_version_current(policy=obj)


@admin.register(LateCloseReason)
class LateCloseReasonAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "is_active"]
    list_filter = ["agency", "is_active"]
    search_fields = ["name"]


@admin.register(SlaEscalation)
class SlaEscalationAdmin(admin.ModelAdmin):
    """What the SLA scan recorded; read-only, since the scan alone decides a level was reached."""

    list_display = ["request", "stage", "level", "due_at", "reached_at"]
    list_filter = ["stage", "level"]
    list_select_related = ["request"]
    readonly_fields = ["request", "stage", "level", "due_at", "reached_at"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SlaEscalation | None = None) -> bool:
        return False

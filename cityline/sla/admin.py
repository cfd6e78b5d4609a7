from django.contrib import admin

from cityline.sla.models import BusinessCalendar, CalendarClosure, SlaPolicy


class CalendarClosureInline(admin.TabularInline):
    model = CalendarClosure
    extra = 1


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "holiday_country", "holiday_subdivision"]
    inlines = [CalendarClosureInline]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "amount", "unit", "calendar"]
    list_filter = ["unit"]

from django.contrib import admin
from django.utils import formats, timezone

from cityline.servicerequests.models import (
    Attachment,
    RequestAnswer,
    Requester,
    RequestUpdate,
    ServiceRequest,
)


class RequesterInline(admin.StackedInline):
    model = Requester
    extra = 0


class AnswerInline(admin.TabularInline):
    model = RequestAnswer
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0


class UpdateInline(admin.TabularInline):
    """History is append-only: shown, never edited here."""

    model = RequestUpdate
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "occurred",
        "kind",
        "status",
        "citizen_status",
        "visibility",
        "via",
        "author",
        "note",
    )

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="occurred at")
    def occurred(self, update: RequestUpdate) -> str:
        try:
            return formats.localize(timezone.localtime(update.occurred_at))
        except OverflowError:
            # Hours from the calendar's ends the city's wall clock does not exist; UTC does.
            return update.occurred_at.isoformat(sep=" ", timespec="seconds")


@admin.register(ServiceRequest)
class ServiceRequestAdmin(admin.ModelAdmin):
    list_display = [
        "tracking_number",
        "service_type",
        "agency",
        "status",
        "requested_at",
        "expected_at",
    ]
    list_filter = ["status", "channel", "agency"]
    search_fields = ["tracking_number", "address", "source_id"]
    date_hierarchy = "requested_at"
    raw_id_fields = ["parent", "service_type", "agency", "created_by", "api_key"]
    readonly_fields = [
        "tracking_number",
        "token",
        "source",
        "source_id",
        "source_fields",
        "h3_cell",
    ]
    inlines = [RequesterInline, AnswerInline, AttachmentInline, UpdateInline]
    list_select_related = ["service_type", "agency"]
    show_full_result_count = False

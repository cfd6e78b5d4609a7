from django.contrib import admin

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
        "occurred_at",
        "kind",
        "status",
        "visibility",
        "via",
        "author",
        "note",
    )

    def has_add_permission(self, request, obj=None) -> bool:
        return False


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

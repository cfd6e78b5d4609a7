from django.contrib import admin

from cityline.integrations.models import AgencyIntegration, AgencyKey, WorkOrderEvent


@admin.register(AgencyIntegration)
class AgencyIntegrationAdmin(admin.ModelAdmin):
    list_display = ["agency", "endpoint_url", "enabled", "timeout_seconds"]
    list_filter = ["enabled"]


@admin.register(AgencyKey)
class AgencyKeyAdmin(admin.ModelAdmin):
    """Keys are issued by `cityline integration key create`; here they are only seen and revoked."""

    list_display = ["agency", "key_prefix", "created_at", "revoked_at"]
    fields = ["agency", "key_prefix", "revoked_at"]
    readonly_fields = ["agency", "key_prefix"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WorkOrderEvent)
class WorkOrderEventAdmin(admin.ModelAdmin):
    """Read-only: replays go through the console, which keeps per-request order."""

    list_display = ["idempotency_key", "integration", "kind", "sequence", "status", "attempts"]
    list_filter = ["status", "kind", "integration"]
    search_fields = ["idempotency_key"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

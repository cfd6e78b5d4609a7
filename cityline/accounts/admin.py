from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from cityline.accounts.models import ApiKey, AuditEntry, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Agency", {"fields": ["agency"]}))
    list_display = ["username", "email", "agency", "is_staff"]
    list_filter = ["agency", "is_staff", "is_superuser"]


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "key_prefix", "rate_limit", "created_at", "revoked_at"]
    readonly_fields = ["key_hash", "key_prefix", "created_at"]
    search_fields = ["name", "key_prefix"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log, read-only: entries are only ever added, by the actions they record."""

    list_display = ["at", "actor", "action", "target_type", "target_id", "ip"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor__username", "action", "target_type", "target_id"]
    date_hierarchy = "at"
    readonly_fields = ["at", "actor", "action", "target_type", "target_id", "details", "ip"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

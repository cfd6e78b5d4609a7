from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from cityline.accounts.models import ApiKey, User


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

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from cityline.accounts.models import ApiKey, AuditEntry, Crew, RoleGrant, User
from cityline.accounts.services import crew_save, role_grant, role_revoke
from cityline.core.clients import client_address


class RoleGrantInline(admin.TabularInline):
    """A person's roles: added and removed here, never edited, so each change is one grant or
    one revocation through the services, and audited."""

    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ["role", "agency", "area", "granted_by", "granted_at"]
    readonly_fields = ["granted_by", "granted_at"]
    autocomplete_fields = ["area"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Agency", {"fields": ["agency"]}))
    list_display = ["username", "email", "agency", "is_staff"]
    list_filter = ["agency", "is_staff", "is_superuser"]
    inlines = [RoleGrantInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not RoleGrant:
            super().save_formset(request, form, formset, change)
            return
        assert isinstance(request.user, User)
        formset.save(commit=False)
        for grant in formset.deleted_objects:
            role_revoke(
                user=grant.user,
                role=grant.role,
                agency=grant.agency,
                area=grant.area,
                by=request.user,
                ip=client_address(request),
            )
        for grant in formset.new_objects:
            role_grant(
                user=grant.user,
                role=grant.role,
                agency=grant.agency,
                area=grant.area,
                by=request.user,
                ip=client_address(request),
            )


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


@admin.register(Crew)
class CrewAdmin(admin.ModelAdmin):
    list_display = ["name", "agency"]
    list_filter = ["agency"]
    search_fields = ["name"]
    filter_horizontal = ["members"]

    def save_model(self, request: HttpRequest, obj: Crew, form: Any, change: bool) -> None:
        crew_save(crew=obj, members=form.cleaned_data["members"])

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The members were set with the crew by crew_save; only inline formsets remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

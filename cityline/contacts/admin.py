from django.contrib import admin
from django.http import HttpRequest

from cityline.contacts.models import Contact


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    """Contacts are recorded by the desk, the channels and the calls import, never typed here:
    the admin reads them."""

    list_display = ["queued_at", "channel", "kind", "queue", "agent", "answered_at", "ended_at"]
    list_filter = ["channel", "kind", "queue"]
    date_hierarchy = "queued_at"
    list_select_related = ["agent"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Contact | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Contact | None = None) -> bool:
        return False

from django.contrib import admin

from cityline.contacts.models import Contact
from cityline.core.admin_pages import ReadOnlyAdmin


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    """Contacts are recorded by the desk, the channels and the calls import, never typed here:
    the admin reads them."""

    list_display = ["queued_at", "channel", "kind", "queue", "agent", "answered_at", "ended_at"]
    list_filter = ["channel", "kind", "queue"]
    date_hierarchy = "queued_at"
    list_select_related = ["agent"]
    show_full_result_count = False

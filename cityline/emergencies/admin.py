from django.contrib import admin

from cityline.core.admin_pages import ReadOnlyAdmin
from cityline.emergencies.models import Broadcast, Emergency


@admin.register(Emergency)
class EmergencyAdmin(ReadOnlyAdmin):
    """Emergencies are switched on and off on the console's page, with their audit entries:
    the admin reads them."""

    list_display = ["title", "started_at", "started_by", "ended_at", "ended_by"]
    list_select_related = ["started_by", "ended_by"]


@admin.register(Broadcast)
class BroadcastAdmin(ReadOnlyAdmin):
    """Broadcasts are sent from the console's page, once: the admin reads them."""

    list_display = ["subject", "sent_at", "sent_by", "email_audience", "sms_audience"]
    list_select_related = ["sent_by"]

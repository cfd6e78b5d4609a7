from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from cityline.channels.access import may_read_outgoing_texts
from cityline.channels.gateways import SentTexts
from cityline.channels.models import InboundEmail, SmsMessage
from cityline.core.admin_pages import ReadOnlyAdmin, admin_folder_page


@admin.register(InboundEmail)
class InboundEmailAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "status", "language", "subject"]
    list_filter = ["status", "language"]
    show_full_result_count = False


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    """Every text received and sent, and the demo gateway's folder of sent texts."""

    list_display = ["created_at", "direction", "conversation", "sent_at"]
    list_filter = ["direction"]
    show_full_result_count = False
    change_list_template = "admin/channels/smsmessage_change_list.html"

    def get_urls(self):
        return [
            path(
                "texts/",
                self.admin_site.admin_view(self.texts_view),
                name="channels_outgoing_texts",
            ),
            *super().get_urls(),
        ]

    def texts_view(self, request: HttpRequest) -> HttpResponse:
        if not may_read_outgoing_texts(request.user):
            raise PermissionDenied
        return admin_folder_page(
            self,
            request,
            title="Outgoing texts",
            items=SentTexts(),
            template="channels/outgoing_texts.html",
        )

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from cityline.channels.access import may_read_outgoing_texts
from cityline.channels.gateways import SentTexts
from cityline.channels.models import InboundEmail, SmsMessage

_PAGE_SIZE = 50


class _ReadOnly(admin.ModelAdmin):
    """Written by the channels' services only; the admin reads."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(InboundEmail)
class InboundEmailAdmin(_ReadOnly):
    list_display = ["received_at", "status", "language", "subject"]
    list_filter = ["status", "language"]
    show_full_result_count = False


@admin.register(SmsMessage)
class SmsMessageAdmin(_ReadOnly):
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
        page = Paginator(SentTexts(), _PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request),
            "title": "Outgoing texts",
            "opts": self.model._meta,
            "page": page,
        }
        return TemplateResponse(request, "channels/outgoing_texts.html", context)

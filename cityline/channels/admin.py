from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from cityline.channels.access import may_read_outgoing_texts
from cityline.channels.gateways import SentTexts
from cityline.channels.models import InboundEmail, SmsMessage, SmsTemplate
from cityline.channels.sms_words import PLACEHOLDERS, sms_placeholders_for, sms_template_errors
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


class SmsTemplateForm(forms.ModelForm):
    """A text's template is checked before it is saved: a placeholder the text does not have is
    an error on the body, never a text sent with a hole in it."""

    class Meta:
        model = SmsTemplate
        fields = ["wording", "language", "body"]

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("wording") and "body" in cleaned:
            for error in sms_template_errors(text=cleaned["body"], wording=cleaned["wording"]):
                self.add_error("body", error)
        return cleaned


@admin.register(SmsTemplate)
class SmsTemplateAdmin(admin.ModelAdmin):
    """The words of the texts residents get, per wording and language."""

    form = SmsTemplateForm
    list_display = ["wording", "language", "body", "updated_at"]
    list_filter = ["wording", "language"]
    search_fields = ["body"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        names = sms_placeholders_for(obj.wording) if obj is not None else list(PLACEHOLDERS)
        kwargs["help_texts"] = {
            "body": "Placeholders: "
            + ("; ".join(f"${name}: {PLACEHOLDERS[name][0]}" for name in names) or "none")
            + "."
        }
        return super().get_form(request, obj, change, **kwargs)

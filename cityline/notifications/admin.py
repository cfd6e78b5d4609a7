from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from cityline.core.admin_pages import ReadOnlyAdmin, admin_folder_page
from cityline.notifications.access import may_read_outgoing_mail
from cityline.notifications.mailbox import MailboxListing, mailbox_message
from cityline.notifications.messages import PLACEHOLDERS, message_template_errors, placeholders_for
from cityline.notifications.models import EmailDelivery, MessageTemplate


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(ReadOnlyAdmin):
    """The record of every e-mail sent for an outbox message, and the demo's mail folder."""

    list_display = ["message_id", "part", "outbox_message_id", "attempts", "sent_at"]
    list_filter = ["part", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["message_id"]
    change_list_template = "notifications/emaildelivery_change_list.html"

    def get_urls(self):
        return [
            path(
                "mailbox/",
                self.admin_site.admin_view(self.mailbox_view),
                name="notifications_mailbox",
            ),
            path(
                "mailbox/<str:key>/",
                self.admin_site.admin_view(self.mailbox_message_view),
                name="notifications_mailbox_message",
            ),
            *super().get_urls(),
        ]

    def mailbox_view(self, request: HttpRequest) -> HttpResponse:
        if not may_read_outgoing_mail(request.user):
            raise PermissionDenied
        return admin_folder_page(
            self,
            request,
            title="Outgoing mail",
            items=MailboxListing(),
            template="notifications/mailbox.html",
        )

    def mailbox_message_view(self, request: HttpRequest, key: str) -> HttpResponse:
        if not may_read_outgoing_mail(request.user):
            raise PermissionDenied
        message = mailbox_message(key=key)
        if message is None:
            raise Http404("No such message")
        body = message.get_body(preferencelist=("plain",))
        context = {
            **self.admin_site.each_context(request),
            "title": str(message.get("Subject", "")),
            "opts": self.model._meta,
            "headers": [
                (name, str(message.get(name, "")))
                for name in ("Date", "From", "To", "Subject", "Message-ID")
            ],
            "body": body.get_content() if body is not None else "",
        }
        return TemplateResponse(request, "notifications/mailbox_message.html", context)


class MessageTemplateForm(forms.ModelForm):
    """A template is checked before it is saved: a placeholder the message does not have is an
    error on the field that names it, never a message sent with a hole in it."""

    class Meta:
        model = MessageTemplate
        fields = ["event", "language", "subject", "body"]

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        event = cleaned.get("event")
        if event:
            for field in ("subject", "body"):
                if field in cleaned:
                    for error in message_template_errors(text=cleaned[field], event=event):
                        self.add_error(field, error)
        return cleaned


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """The words of the messages residents get, per event and language."""

    form = MessageTemplateForm
    list_display = ["event", "language", "subject", "updated_at"]
    list_filter = ["event", "language"]
    search_fields = ["subject", "body"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        names = placeholders_for(obj.event) if obj is not None else list(PLACEHOLDERS)
        kwargs["help_texts"] = {
            "body": "Placeholders: "
            + "; ".join(f"${name}: {PLACEHOLDERS[name]}" for name in names)
            + "."
        }
        return super().get_form(request, obj, change, **kwargs)

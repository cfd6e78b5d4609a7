from django.contrib import admin

from cityline.core.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "topic", "created_at", "attempts", "delivered_at", "last_error"]
    list_filter = ["topic", ("delivered_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["topic", "payload", "created_at", "claimed_at", "delivered_at", "attempts"]

from django.conf import settings
from django.db import models


class EmailDelivery(models.Model):
    """One e-mail an outbox message promised, recorded before it is handed to the mail server and
    marked sent once the server accepted it.

    A handler run again for the same outbox message skips the parts already sent, and sends an
    unsent part with the same Message-ID, so a copy the server got twice is recognisably one
    message. It keeps no address: who it went to is in the message itself, not in this record.
    """

    outbox_message_id = models.BigIntegerField()
    part = models.CharField(max_length=40, help_text="Which of the message's e-mails this is.")
    message_id = models.CharField(max_length=255, unique=True)
    attempts = models.PositiveIntegerField(
        default=0, help_text="How many times it was handed to the mail server."
    )
    last_tried_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "email deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["outbox_message_id", "part"], name="email_delivery_one_per_part"
            )
        ]

    def __str__(self) -> str:
        return self.message_id


class MessageEvent(models.TextChoices):
    """What a resident is told about, each with its own template per language."""

    FOLLOW_CONFIRM = "follow_confirm", "follow confirmation"
    ACKNOWLEDGED = "acknowledged", "acknowledged"
    PUBLIC_UPDATE = "public_update", "public update (a public note or a status change)"
    CLOSED = "closed", "closed"


class MessageTemplate(models.Model):
    """The words of one message in one language, edited by the city in the admin.

    Subject and body are `string.Template` text: `$name` or `${name}` stands for one of the fixed
    placeholders of `cityline.notifications.messages` (all of them plain strings), `$$` for a
    dollar sign. A language without a template of its own gets the English one."""

    event = models.CharField(max_length=30, choices=MessageEvent.choices)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["event", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "language"], name="message_template_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} ({self.language})"

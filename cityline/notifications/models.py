import uuid

from django.conf import settings
from django.db import models

from cityline.core.models import BaseModel


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
    AREA_CONFIRM = "area_confirm", "area or topic subscription confirmation"
    AREA_NEW_REQUEST = "area_new_request", "a new request in a subscribed area or topic"
    AREA_DIGEST = "area_digest", "the weekly digest of a subscribed area or topic"
    SURVEY_CONTACT = "survey_contact", "a satisfaction survey after a contact"
    SURVEY_SERVICE = "survey_service", "a satisfaction survey after a request closed"


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


class Frequency(models.TextChoices):
    EACH = "each", "each new request"
    WEEKLY = "weekly", "a weekly digest"
    # A subscription by mobile number: the city's broadcasts to its area or topic, no more.
    ALERTS = "alerts", "the city's alerts only"


class AreaSubscription(BaseModel):
    """Someone who asked by e-mail to hear of the new public requests of an area, a topic, or
    a topic in an area ("street conditions in Council District 4"), or by mobile number for the
    city's alerts there. Subscribed once the link of the confirmation e-mail (or text) is
    followed (double opt-in), until stopped. Every subscription also hears the city's
    broadcasts to its area and topic. Personal data: read by the notifications app only, never
    shown on a page."""

    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True, help_text="Digits only.")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # None: the whole city.
    area = models.ForeignKey(
        "geo.BoundaryArea", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # None for both: every service.
    service_group = models.ForeignKey(
        "catalog.ServiceGroup", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    service_type = models.ForeignKey(
        "catalog.ServiceType", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    digest_until = models.DateTimeField(
        null=True, blank=True, help_text="The end of the period the last weekly digest told of."
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            # Who to tell of a new request, and whose digest is due: the live subscriptions only.
            models.Index(
                fields=["frequency", "area"],
                name="area_subscription_live_idx",
                condition=models.Q(confirmed_at__isnull=False, stopped_at__isnull=True),
            ),
        ]
        constraints = [
            # By e-mail (any frequency) or by mobile number (alerts only), never both.
            models.CheckConstraint(
                condition=models.Q(phone="", frequency__in=["each", "weekly"]) & ~models.Q(email="")
                | models.Q(email="", frequency="alerts") & ~models.Q(phone=""),
                name="area_subscription_email_or_phone",
            ),
        ]

    def __str__(self) -> str:
        return f"subscription {self.pk}"

    @property
    def is_subscribed(self) -> bool:
        return self.confirmed_at is not None and self.stopped_at is None

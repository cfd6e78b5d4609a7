"""Emergencies the 311 center switches on (a flood, a heat wave, a snowstorm): the banner every
page shows, the call script and answers pinned on the desk, the service type offered for its
duration, and who switched it on and off when. Broadcasts: the city's own message to everyone
subscribed to an area or a topic, by e-mail and by text."""

from django.conf import settings
from django.db import models

from cityline.core.models import BaseModel

TITLE_MAX = 120
BANNER_MAX = 400


class Emergency(BaseModel):
    """One emergency, from the moment it was switched on to the moment it was switched off.
    `title`, `banner` and `call_script` have a column per language (translation.py). One is
    ongoing at a time: `ongoing` is True until it ends, and unique while it is."""

    title = models.CharField(max_length=TITLE_MAX)
    banner = models.CharField(
        max_length=BANNER_MAX, help_text="What every page says, in one or two lines."
    )
    call_script = models.TextField(blank=True, help_text="What call-takers say, on the desk.")
    pinned_articles = models.ManyToManyField(
        "knowledge.KnowledgeArticle", blank=True, related_name="+"
    )
    service_type = models.ForeignKey(
        "catalog.ServiceType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A staff-only type offered to residents while the emergency lasts.",
    )
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ongoing = models.BooleanField(default=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name_plural = "emergencies"
        constraints = [
            models.UniqueConstraint(
                fields=["ongoing"],
                condition=models.Q(ongoing=True),
                name="emergency_one_ongoing",
            ),
            models.CheckConstraint(
                condition=models.Q(ongoing=True, ended_at__isnull=True)
                | models.Q(ongoing=False, ended_at__isnull=False),
                name="emergency_ended_when_not_ongoing",
            ),
        ]

    def __str__(self) -> str:
        return self.title


SUBJECT_MAX = 120
# Long enough for a paragraph, short enough for a text of a few segments.
TEXT_MAX = 600


class Broadcast(BaseModel):
    """One message sent to the subscribers of an area and topic (Notify NYC): its words in every
    language (`subject` and `text` have a column per language, translation.py), its audience
    when it was sent, and who sent it. Sent once: `key` is the form's, so the same form sent
    twice makes one broadcast."""

    key = models.UUIDField(unique=True)
    subject = models.CharField(max_length=SUBJECT_MAX)
    text = models.TextField(max_length=TEXT_MAX)
    # None: the whole city; every topic.
    area = models.ForeignKey(
        "geo.BoundaryArea", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service_group = models.ForeignKey(
        "catalog.ServiceGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    emergency = models.ForeignKey(
        Emergency, null=True, blank=True, on_delete=models.PROTECT, related_name="broadcasts"
    )
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    email_audience = models.PositiveIntegerField(help_text="Subscribers by e-mail when sent.")
    sms_audience = models.PositiveIntegerField(help_text="Subscribers by text when sent.")

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", "e-mail"
    SMS = "sms", "text message"


class DeliveryOutcome(models.TextChoices):
    WAITING = "waiting", "waiting"
    SENT = "sent", "sent"
    # The subscription was stopped, or the number opted out, after the broadcast was written.
    SKIPPED = "skipped", "not sent: unsubscribed meanwhile"


class BroadcastDelivery(models.Model):
    """One subscriber's copy of a broadcast, handed to the outbox on its own, so a retry sends
    only the copies not sent yet. It keeps no address: the subscription holds it."""

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="deliveries")
    subscription_id = models.BigIntegerField()
    channel = models.CharField(max_length=10, choices=DeliveryChannel.choices)
    outcome = models.CharField(
        max_length=10, choices=DeliveryOutcome.choices, default=DeliveryOutcome.WAITING
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "broadcast deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["broadcast", "subscription_id"], name="broadcast_delivery_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.broadcast_id} to {self.subscription_id}"

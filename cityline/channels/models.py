"""Messages residents send the city by e-mail and text, the text conversations that file
requests, and the webhook deliveries already received (so a replay changes nothing)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityline.core import clock
from cityline.core.models import BaseModel


class EmailStatus(models.TextChoices):
    # Named a request's tracking number: added to that request on arrival.
    ATTACHED = "attached", _("added to its request")
    WAITING = "waiting", _("waiting in triage")
    FILED = "filed", _("filed as a request")
    CLOSED = "closed", _("closed without a request")


class InboundEmail(BaseModel):
    """One e-mail to the city's mailbox, whether it came by IMAP or by a provider's webhook.
    Personal data (the sender, the text): shown to call-takers in triage, never published."""

    message_id = models.CharField(
        max_length=255, unique=True, help_text="Message-ID, or the source's own key."
    )
    sender = models.EmailField()
    sender_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    language = models.CharField(max_length=10, blank=True)
    received_at = models.DateTimeField(default=clock.now)
    status = models.CharField(max_length=20, choices=EmailStatus.choices)
    contact = models.OneToOneField("contacts.Contact", on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(
        "servicerequests.ServiceRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What could not be kept, each {"name": …, "reason": …}: the sender's attachments refused.
    refused_attachments = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [
            # The triage queue: waiting messages, oldest first.
            models.Index(
                fields=["received_at", "id"],
                name="inbound_email_waiting_idx",
                condition=models.Q(status="waiting"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["attached", "filed"], request__isnull=False)
                | models.Q(status__in=["waiting", "closed"], request__isnull=True),
                name="inbound_email_request_when_attached_or_filed",
            ),
        ]

    def __str__(self) -> str:
        return f"e-mail {self.pk}: {self.subject[:40]}"


class InboundPhoto(models.Model):
    """A photo an e-mail brought, checked and re-encoded on arrival, kept until the message is
    filed as a request (then it becomes one of the request's photos)."""

    email = models.ForeignKey(InboundEmail, on_delete=models.CASCADE, related_name="photos")
    name = models.CharField(max_length=255, blank=True)
    photo = models.BinaryField()
    thumbnail = models.BinaryField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} of e-mail {self.email_id}"


class ConversationState(models.TextChoices):
    PROBLEM = "problem", "asked what the problem is"
    TYPE = "type", "asked which service type"
    PLACE = "place", "asked where"
    CONFIRM = "confirm", "asked to confirm the place"
    FILED = "filed", "filed a request"
    TIMED_OUT = "timed_out", "timed out"
    ENDED = "ended", "ended by the resident"


OPEN_STATES = (
    ConversationState.PROBLEM,
    ConversationState.TYPE,
    ConversationState.PLACE,
    ConversationState.CONFIRM,
)


class SmsConversation(BaseModel):
    """A resident's text conversation that files one request: what, which type, where, yes."""

    phone = models.CharField(max_length=20, help_text="Digits only.")
    language = models.CharField(max_length=10)
    state = models.CharField(max_length=20, choices=ConversationState.choices)
    description = models.TextField(blank=True)
    suggested = models.JSONField(
        default=list, blank=True, help_text="Type codes offered, in order."
    )
    service_type = models.ForeignKey(
        "catalog.ServiceType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(max_length=255, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    expires_at = models.DateTimeField()
    request = models.ForeignKey(
        "servicerequests.ServiceRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            # The sweep of conversations whose time ran out.
            models.Index(
                fields=["expires_at"],
                name="sms_conversation_expiry_idx",
                condition=models.Q(state__in=["problem", "type", "place", "confirm"]),
            ),
        ]
        constraints = [
            # A number holds one conversation at a time: each text continues it.
            models.UniqueConstraint(
                fields=["phone"],
                condition=models.Q(state__in=["problem", "type", "place", "confirm"]),
                name="sms_conversation_one_open_per_phone",
            ),
        ]

    def __str__(self) -> str:
        return f"conversation {self.pk} ({self.state})"


class SmsDirection(models.TextChoices):
    IN = "in", "received"
    OUT = "out", "sent"


class SmsMessage(BaseModel):
    """Every text received and sent; each is a contact."""

    direction = models.CharField(max_length=3, choices=SmsDirection.choices)
    phone = models.CharField(max_length=20, help_text="The resident's number, digits only.")
    body = models.TextField()
    # The gateway's id of a received text: a second delivery of it is refused.
    gateway_id = models.CharField(  # noqa: DJ001 - null keeps sent texts out of the key
        max_length=100, null=True, blank=True
    )
    conversation = models.ForeignKey(
        SmsConversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    contact = models.OneToOneField("contacts.Contact", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["gateway_id"], name="sms_message_gateway_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} text {self.pk}"


class SmsOptOut(models.Model):
    """A number that texted STOP: nothing more is sent to it until it texts START."""

    phone = models.CharField(max_length=20, unique=True)
    opted_out_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-opted_out_at"]

    def __str__(self) -> str:
        return self.phone


class WebhookReceipt(models.Model):
    """A signed delivery already taken (its provider's token or message id): a replay of it
    within the signature's time window is refused."""

    source = models.CharField(max_length=20)
    key = models.CharField(max_length=200)
    received_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="webhook_receipt_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.key}"


class SmsWording(models.TextChoices):
    """Each thing the city texts a resident, with its own template per language."""

    ASK_PROBLEM = "ask_problem", "what is the problem?"
    UNKNOWN_PROBLEM = "unknown_problem", "no service matched the words"
    ASK_TYPE = "ask_type", "which of these services?"
    ASK_TYPE_AGAIN = "ask_type_again", "which service, again"
    ASK_PLACE = "ask_place", "where is it?"
    PLACE_UNKNOWN = "place_unknown", "the place was not found"
    CONFIRM_PLACE = "confirm_place", "is it at this address?"
    FILED = "filed", "the request is filed"
    DUE = "due", "the date the city aims for (after the tracking number or status)"
    NOT_FILED = "not_filed", "the request could not be filed"
    STATUS = "status", "a request's status"
    STATUS_UNKNOWN = "status_unknown", "no request has that number"
    STATUS_HOW = "status_how", "how to ask for a status"
    STOPPED = "stopped", "no more texts (STOP)"
    TIMED_OUT = "timed_out", "the conversation timed out"
    SURVEY_CONTACT = "survey_contact", "a satisfaction survey after a contact"
    SURVEY_SERVICE = "survey_service", "a satisfaction survey after a request closed"
    SURVEY_THANKS = "survey_thanks", "thanks for a survey answered by text"
    SURVEY_HELP_CONTACT = "survey_help_contact", "how to answer a survey after a contact by text"
    SURVEY_HELP_SERVICE = "survey_help_service", "how to answer a survey after a close by text"


class SmsTemplate(models.Model):
    """The words of one text in one language, edited by the city in the admin: `string.Template`
    text whose `$name` placeholders are those of `cityline.channels.sms_words` for its wording.
    A language without a template of its own gets the English one."""

    wording = models.CharField(max_length=30, choices=SmsWording.choices)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["wording", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["wording", "language"], name="sms_template_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_wording_display()} ({self.language})"

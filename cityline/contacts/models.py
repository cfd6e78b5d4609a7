"""Every interaction with a resident on any channel, whether or not it makes a request."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper

from cityline.core import clock


class ContactChannel(models.TextChoices):
    PHONE = "phone", "phone"
    WALK_IN = "walk_in", "walk-in counter"
    EMAIL = "email", "e-mail"
    SMS = "sms", "text message"
    WEB = "web", "web portal"
    MOBILE = "mobile", "mobile app"
    SOCIAL = "social", "social media"
    PARTNER = "partner", "partner office"


class ContactKind(models.TextChoices):
    INFORMATION = "information", "information"
    SERVICE_REQUEST = "service_request", "service request"
    STATUS_INQUIRY = "status_inquiry", "status inquiry"
    COMPLAINT = "complaint", "complaint"
    COMPLIMENT = "compliment", "compliment"
    REFERRAL = "referral", "referral to another body"
    # Ideas for the city are analysed apart from complaints: a different audience reads them.
    SUGGESTION = "suggestion", "suggestion or engagement idea"


class Contact(models.Model):
    """One interaction. Its times give the contact center's figures: `queued_at` when it was
    offered (a call entering the queue, an e-mail arriving), `answered_at` when an agent took it,
    `ended_at` when it ended; answered never, it was abandoned. `kind` is blank until the agent
    wraps it up (or for calls the phone system saw and no agent logged)."""

    channel = models.CharField(max_length=20, choices=ContactChannel.choices)
    kind = models.CharField(max_length=20, choices=ContactKind.choices, blank=True)
    language = models.CharField(max_length=10, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    queue = models.CharField(max_length=64, blank=True, help_text="The phone system's queue.")
    call_id = models.CharField(  # noqa: DJ001 - null keeps contacts without a call out of the key
        max_length=64, null=True, blank=True, help_text="The phone system's id of the call."
    )
    queued_at = models.DateTimeField(default=clock.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Moved by every service that changes what the analytics store holds of a contact (its
    # times, kind, queue, linked requests), so a refresh reads only what changed.
    updated_at = models.DateTimeField(default=clock.now)
    # Personal data: for finding the caller again on the desk, never published or exported.
    caller_name = models.CharField(max_length=200, blank=True)
    caller_phone = models.CharField(max_length=40, blank=True, help_text="Digits only.")
    caller_email = models.EmailField(blank=True)
    summary = models.TextField(blank=True, help_text="The agent's note; internal.")
    referred_to = models.CharField(max_length=200, blank=True)
    articles = models.ManyToManyField(
        "knowledge.KnowledgeArticle", through="ContactArticle", related_name="+"
    )

    class Meta:
        ordering = ["-queued_at", "-id"]
        indexes = [
            # The figures of a period, and of one queue in it.
            models.Index(fields=["queued_at"], name="contact_queued_idx"),
            models.Index(fields=["queue", "queued_at"], name="contact_queue_queued_idx"),
            # The analytics store's refresh: the contacts changed since the last one.
            models.Index(fields=["updated_at"], name="contact_updated_idx"),
            models.Index(fields=["agent", "queued_at"], name="contact_agent_queued_idx"),
            # An agent's contacts not wrapped up yet, listed on the desk: a handful among the
            # agent's years of contacts. No parameter in the condition, so SQLite uses it too.
            models.Index(
                fields=["agent", "queued_at"],
                name="contact_agent_open_idx",
                condition=models.Q(ended_at__isnull=True),
            ),
            # Finding a caller's earlier contacts. Whole, not partial: SQLite matches a partial
            # index's condition only to a query's literal text, never to a bound parameter.
            models.Index(fields=["caller_phone", "queued_at"], name="contact_caller_phone_all_idx"),
            models.Index(fields=["caller_email", "queued_at"], name="contact_caller_email_all_idx"),
            # By name, whatever its case.
            models.Index(Upper("caller_name"), "queued_at", name="contact_caller_name_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["call_id"], name="contact_call_id_unique"),
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True)
                | models.Q(answered_at__gte=models.F("queued_at")),
                name="contact_answered_after_queued",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("queued_at")),
                name="contact_ended_after_queued",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} contact {self.pk}"

    @property
    def abandoned(self) -> bool:
        return self.ended_at is not None and self.answered_at is None


class ContactArticle(models.Model):
    """An answer the agent read (or read out) during the contact."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, db_index=False)
    article = models.ForeignKey(
        "knowledge.KnowledgeArticle", on_delete=models.CASCADE, related_name="+"
    )
    read_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["read_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "article"], name="contact_article_once"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} in {self.contact_id}"


class RequestLink(models.TextChoices):
    CREATED = "created", "filed during the contact"
    ASKED_ABOUT = "asked_about", "asked about"
    # The caller's problem was already reported: they joined that request instead of filing.
    FOLLOWED = "followed", "followed instead of filing"


class ContactRequest(models.Model):
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="request_links", db_index=False
    )
    request = models.ForeignKey(
        "servicerequests.ServiceRequest", on_delete=models.CASCADE, related_name="+"
    )
    link = models.CharField(max_length=20, choices=RequestLink.choices)
    # The desk's form carries a key of its own: the same form sent twice files one request.
    filing_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "request", "link"], name="contact_request_link_once"
            ),
            models.UniqueConstraint(
                fields=["contact", "filing_key"],
                name="contact_request_filing_once",
                condition=~models.Q(filing_key=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.link} {self.request_id}"

"""Satisfaction surveys: how the resident was served on a contact, and whether the service was
delivered once their request closed; the share of each that is asked, set by a 311 supervisor."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyKind(models.TextChoices):
    # How the call-taker or agent served the resident: a score from 1 to 5.
    CONTACT = "contact", _("after a contact")
    # Whether the city delivered: was it fixed?, a score, a comment.
    SERVICE = "service", _("after the request closed")


class SurveyChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("text message")


class SurveySettings(models.Model):
    """The one row of the city's survey settings, changed by a 311 supervisor
    (`survey_settings_update`); a percentage of 0 asks no one."""

    contact_percent = models.PositiveSmallIntegerField(
        default=0, help_text="The share of contacts with an agent whose resident is asked (%)."
    )
    service_percent = models.PositiveSmallIntegerField(
        default=0, help_text="The share of closed requests whose requester is asked (%)."
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "survey settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact_percent__lte=100, service_percent__lte=100),
                name="survey_settings_percentages",
            )
        ]

    def __str__(self) -> str:
        return "survey settings"


class Survey(models.Model):
    """One resident asked once: about a contact, or about a closed request. The groups its
    scores are counted in (team, channel, agent, agency, service type) are copied when it is
    sent, so the figures are read from this table alone. Personal data: none (the address it
    went to is not kept)."""

    kind = models.CharField(max_length=10, choices=SurveyKind.choices)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(max_length=10, choices=SurveyChannel.choices)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    contact = models.ForeignKey(
        "contacts.Contact", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    request = models.ForeignKey(
        "servicerequests.ServiceRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    outbox_message_id = models.BigIntegerField(help_text="The outbox message that sent it.")
    # Whom it went to, as an opt-out keeps them (`rules.recipient_digest`): the survey's stop
    # link opts them out without the address being kept.
    recipient_digest = models.CharField(max_length=64)
    sent_at = models.DateTimeField()
    # The groups.
    team = models.CharField(max_length=64, blank=True, help_text="The contact's queue.")
    contact_channel = models.CharField(max_length=20, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(
        "catalog.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    service_type = models.ForeignKey(
        "catalog.ServiceType", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The answers.
    answered_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    fixed = models.BooleanField(null=True, blank=True)
    comment = models.TextField(blank=True)
    # What a "no" to "was it fixed?" did: the not-fixed rule's action, or why it was refused.
    not_fixed_outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            # The figures of a period: the surveys sent in it, of one kind.
            models.Index(fields=["kind", "sent_at"], name="survey_kind_sent_idx"),
            # A text reply's survey: the open ones texted to a number.
            models.Index(
                fields=["recipient_digest", "sent_at"],
                name="survey_text_open_idx",
                condition=models.Q(channel="sms", answered_at__isnull=True),
            ),
            # The answers' page: newest answer first.
            models.Index(
                fields=["answered_at"],
                name="survey_answered_idx",
                condition=models.Q(answered_at__isnull=False),
            ),
        ]
        constraints = [
            # At most once per request (for each kind) and once per contact.
            models.UniqueConstraint(
                fields=["kind", "request"],
                condition=models.Q(request__isnull=False),
                name="survey_once_per_request",
            ),
            models.UniqueConstraint(
                fields=["contact"],
                condition=models.Q(contact__isnull=False),
                name="survey_once_per_contact",
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="survey_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} survey {self.pk}"


class SurveyOptOut(models.Model):
    """An address or number that asked never to be surveyed again, kept as a digest: whom to
    leave out is all it says."""

    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.digest[:12]

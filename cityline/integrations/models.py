"""Agencies' own systems: where their work orders go, and the keys they report status back with."""

import hashlib

from django.db import models

from cityline.core.models import BaseModel


class AgencyIntegration(BaseModel):
    """An agency's system that receives a signed work order for each of its requests' events."""

    agency = models.OneToOneField(
        "catalog.Agency", on_delete=models.CASCADE, related_name="integration"
    )
    endpoint_url = models.URLField(
        max_length=500, help_text="Where work orders are POSTed (http or https)."
    )
    signing_secret = models.CharField(
        max_length=128,
        help_text="Shared with the agency: it checks each work order's HMAC-SHA256 signature.",
    )
    enabled = models.BooleanField(default=True)
    timeout_seconds = models.PositiveSmallIntegerField(
        default=10, help_text="How long one delivery waits for the agency's answer."
    )

    class Meta:
        ordering = ["agency__name"]

    def __str__(self) -> str:
        return f"{self.agency} → {self.endpoint_url}"


class WorkOrderEventKind(models.TextChoices):
    CREATED = "request.created", "request routed to the agency"
    STATUS_CHANGED = "request.status_changed", "request status changed"
    WITHDRAWN = "request.withdrawn", "request moved to another agency"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "pending"
    DELIVERED = "delivered", "delivered"
    DEAD = "dead", "dead-lettered"


class WorkOrderEvent(models.Model):
    """One work order owed to an agency's system: the request as it stood at one event.

    Its body is fixed when the event is recorded, so every retry sends the same bytes under the
    same `Idempotency-Key`. Events of one request are sent in `sequence` order, each only once
    the one before was acknowledged.
    """

    integration = models.ForeignKey(
        AgencyIntegration, on_delete=models.CASCADE, related_name="events"
    )
    request = models.ForeignKey(
        "servicerequests.ServiceRequest", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=40, choices=WorkOrderEventKind.choices)
    sequence = models.PositiveIntegerField(help_text="1, 2, 3… per request.")
    idempotency_key = models.CharField(max_length=64, unique=True)
    body = models.JSONField(help_text="The work order, as sent.")
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=32, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "sequence"], name="integrations_event_sequence_once"
            )
        ]
        indexes = [
            # The sweep: pending events whose time has come.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="integrations_event_due",
            ),
        ]

    def __str__(self) -> str:
        return self.idempotency_key


class AgencyKey(BaseModel):
    """A key an agency's system reports status with; only a hash is stored, the key shown once."""

    agency = models.ForeignKey("catalog.Agency", on_delete=models.CASCADE, related_name="+")
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(max_length=8, help_text="First characters, to recognise a key.")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agency__name", "created_at"]

    def __str__(self) -> str:
        return f"{self.agency} ({self.key_prefix}…)"

    @staticmethod
    def hash_key(raw_key: str) -> str:
        return hashlib.sha256(raw_key.encode()).hexdigest()


class AgencyStatusKind(models.TextChoices):
    ACKNOWLEDGED = "acknowledged", "acknowledged"
    IN_PROGRESS = "in_progress", "in progress"
    CLOSED = "closed", "closed"


class AgencyStatusEvent(models.Model):
    """A status report from an agency's system, kept once per (agency, its event id): a repeat
    gets the first answer again. `applied` is false for a report older than one already applied
    (it is kept, but the status does not move back)."""

    agency = models.ForeignKey("catalog.Agency", on_delete=models.CASCADE, related_name="+")
    event_id = models.CharField(max_length=100)
    request = models.ForeignKey(
        "servicerequests.ServiceRequest", on_delete=models.CASCADE, related_name="+"
    )
    occurred_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=AgencyStatusKind.choices)
    resolution = models.CharField(max_length=30, blank=True)
    public_note = models.TextField(blank=True)
    internal_note = models.TextField(blank=True)
    applied = models.BooleanField()
    received_at = models.DateTimeField()
    answer = models.JSONField(help_text="What the first report was answered.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "event_id"], name="integrations_status_event_once"
            )
        ]
        indexes = [
            models.Index(fields=["request", "occurred_at"], name="integrations_status_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.event_id}"

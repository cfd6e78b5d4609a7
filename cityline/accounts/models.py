import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models

from cityline.core.models import BaseModel


class User(AbstractUser):
    """A person who signs in: staff of 311 or an agency, or a resident with an account."""

    agency = models.ForeignKey(
        "catalog.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="staff"
    )

    class Meta:
        ordering = ["username"]


class ApiKey(BaseModel):
    """An Open311 client's key. Only a hash is stored; the key itself is shown once, at creation."""

    name = models.CharField(max_length=200)
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(max_length=8, help_text="First characters, to recognise a key.")
    rate_limit = models.PositiveIntegerField(
        default=60, help_text="Requests per minute; 0 means unlimited."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def hash_key(raw_key: str) -> str:
        return hashlib.sha256(raw_key.encode()).hexdigest()


class IdempotencyKey(BaseModel):
    """An `Idempotency-Key` a client sent with a POST, and the answer the first POST got: a retry
    with the same key gets that answer again instead of making a second request. Kept a day."""

    api_key = models.ForeignKey(
        ApiKey,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="idempotency_keys",
        help_text="The client's key; empty on the native API, which takes no key.",
    )
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(
        max_length=64,
        help_text="SHA-256 of the path and input the key was first sent with.",
    )
    answer = models.JSONField(
        null=True, blank=True, help_text="What the first POST answered, to answer its retries."
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # Two retries racing each other: the second insert waits for the first's commit and
            # fails, so only one of them makes the request.
            models.UniqueConstraint(
                fields=["api_key", "key"],
                condition=models.Q(api_key__isnull=False),
                name="accounts_idempotency_key_once_per_api_key",
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(api_key__isnull=True),
                name="accounts_idempotency_key_once_without_api_key",
            ),
        ]
        indexes = [
            # The sweep: keys older than a day.
            models.Index(fields=["created_at"], name="accounts_idempotency_created"),
        ]

    def __str__(self) -> str:
        return self.key

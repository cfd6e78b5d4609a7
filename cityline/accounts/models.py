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

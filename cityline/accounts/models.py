import hashlib
from typing import Any, NoReturn

from django.contrib.auth.models import AbstractUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from cityline.accounts.roles import AGENCY_ROLES, AREA_ROLES, Role
from cityline.core import clock
from cityline.core.errors import DomainError
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


class StaffKey(BaseModel):
    """A member of staff's key for the staff API: requests made with it act as that person, with
    their roles. Only a hash is stored; the key itself is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_keys")
    name = models.CharField(max_length=200, help_text="What the key is for (a sweep, a model).")
    key_hash = models.CharField(max_length=64, unique=True)
    key_prefix = models.CharField(max_length=8, help_text="First characters, to recognise a key.")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


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


class RoleGrant(models.Model):
    """A role held by a person: for one agency (agency roles), for one area (the partner role),
    or everywhere (the others). Granted and revoked only through `services.role_grant` and
    `services.role_revoke`, which write the audit log; a revoked grant is deleted, the audit log
    keeps that it existed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32, choices=Role.choices)
    agency = models.ForeignKey(
        "catalog.Agency",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_grants",
        help_text="The agency an agency role is held for.",
    )
    area = models.ForeignKey(
        "geo.BoundaryArea",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_grants",
        help_text="The area a partner role is held for.",
    )
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["user", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=sorted(AGENCY_ROLES), agency__isnull=False, area__isnull=True)
                    | models.Q(role__in=sorted(AREA_ROLES), agency__isnull=True, area__isnull=False)
                    | (
                        ~models.Q(role__in=sorted(AGENCY_ROLES | AREA_ROLES))
                        & models.Q(agency__isnull=True, area__isnull=True)
                    )
                ),
                name="accounts_role_grant_scope_fits_role",
            ),
            # NULLs are distinct in a unique index on both databases: one constraint per scope.
            models.UniqueConstraint(
                fields=["user", "role", "agency"],
                condition=models.Q(agency__isnull=False),
                name="accounts_role_grant_once_per_agency",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "area"],
                condition=models.Q(area__isnull=False),
                name="accounts_role_grant_once_per_area",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(agency__isnull=True, area__isnull=True),
                name="accounts_role_grant_once_everywhere",
            ),
        ]
        indexes = [
            # staff_with_role: who holds a role, for an agency.
            models.Index(fields=["role", "agency"], name="accounts_role_grant_role"),
        ]

    def __str__(self) -> str:
        scope = self.agency or self.area
        label = Role(self.role).label
        return f"{self.user} — {label} ({scope})" if scope else f"{self.user} — {label}"


class AuditLogIsAppendOnly(DomainError):
    code = "audit_append_only"


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("audit entries are never changed")

    def delete(self) -> NoReturn:
        raise AuditLogIsAppendOnly("audit entries are never deleted")


class AuditEntry(models.Model):
    """One staff action that changed or revealed something: who, when, what, to what, from where.
    Written only by `audit.audit_record`; never changed or deleted."""

    at = models.DateTimeField(default=clock.now)
    actor = models.ForeignKey(
        User,
        null=True,
        blank=True,
        # A person who acted is deactivated, never deleted, so the log keeps naming them.
        on_delete=models.PROTECT,
        related_name="audit_entries",
        help_text="Empty for an operator at the command line.",
    )
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["at"], name="accounts_audit_at"),
            models.Index(fields=["actor", "at"], name="accounts_audit_actor_at"),
            models.Index(fields=["action", "at"], name="accounts_audit_action_at"),
            models.Index(fields=["target_type", "target_id"], name="accounts_audit_target"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor or 'operator'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AuditLogIsAppendOnly("audit entries are never deleted")


class Crew(BaseModel):
    """A team of an agency's field staff that a request can be given to as a whole."""

    name = models.CharField(max_length=100)
    agency = models.ForeignKey("catalog.Agency", on_delete=models.CASCADE, related_name="crews")
    members = models.ManyToManyField(User, blank=True, related_name="crews")

    class Meta:
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="crew_name_once_per_agency"),
        ]

    def __str__(self) -> str:
        return self.name

"""The audit log: every staff action that changes or reveals something is recorded here, with who,
when, what, to what and from where. Entries are only ever added."""

from typing import Any, NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.db import models

from cityline.accounts.models import AuditEntry, User


class AuditTarget(NamedTuple):
    """What an action was done to when it is not one row: a queue, a report, an export."""

    type: str
    id: str = ""


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    target: models.Model | AuditTarget | None,
    details: dict[str, Any],
    ip: str | None,
) -> AuditEntry:
    """Record an action. `action` is a dotted name (`request.closed`, `requester.viewed`,
    `role.granted`); `actor` is None for an operator at the command line."""
    if isinstance(target, models.Model):
        target_type, target_id = target._meta.label_lower, str(target.pk)
    elif target is None:
        target_type, target_id = "", ""
    else:
        target_type, target_id = target.type, target.id
    return AuditEntry.objects.create(
        actor=actor if isinstance(actor, User) else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        details=details,
        ip=ip or None,
    )

"""The roles staff and partners hold, and what each role is scoped to.

A person may hold several roles. Agency roles are held for one agency (a grant per agency);
the partner role is held for one area of a boundary layer (a grant per area); the other roles
hold everywhere. What each role may see or do is decided by each app's `access.py`.
"""

from django.db import models


class Role(models.TextChoices):
    CALL_TAKER = "call_taker", "Call-taker"
    AGENCY_WORKER = "agency_worker", "Agency worker"
    AGENCY_SUPERVISOR = "agency_supervisor", "Agency supervisor"
    KNOWLEDGE_EDITOR = "knowledge_editor", "Knowledge editor"
    SUPERVISOR_311 = "supervisor_311", "311 supervisor"
    PARTNER = "partner", "Partner"
    AUDITOR = "auditor", "Auditor"
    ADMINISTRATOR = "administrator", "Administrator"


AGENCY_ROLES: frozenset[Role] = frozenset(
    {Role.AGENCY_WORKER, Role.AGENCY_SUPERVISOR, Role.KNOWLEDGE_EDITOR}
)
AREA_ROLES: frozenset[Role] = frozenset({Role.PARTNER})


def role_scope(role: Role) -> str:
    """'agency', 'area' or 'everywhere': what a grant of this role must name."""
    if role in AGENCY_ROLES:
        return "agency"
    if role in AREA_ROLES:
        return "area"
    return "everywhere"

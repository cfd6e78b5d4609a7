from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from cityline.accounts.models import ApiKey, AuditEntry, Crew, RoleGrant, StaffKey, User
from cityline.accounts.roles import Role
from cityline.core.memo import SharedMemo


def api_key_get_active(*, raw_key: str) -> ApiKey | None:
    if not raw_key:
        return None
    return ApiKey.objects.filter(key_hash=ApiKey.hash_key(raw_key), revoked_at__isnull=True).first()


def staff_key_get_active(*, raw_key: str) -> StaffKey | None:
    """The active key with its user, if the user's account is active too."""
    if not raw_key:
        return None
    return (
        StaffKey.objects.select_related("user")
        .filter(key_hash=ApiKey.hash_key(raw_key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


# A busy Open311 client sends its key hundreds of times a second: each web worker keeps the keys
# it looked up until any key is saved or deleted in any process (the signals are connected in
# `apps`), so a revocation takes effect at once everywhere.
_active_keys: SharedMemo[str, ApiKey] = SharedMemo(
    name="accounts-api-keys", loader=lambda raw_key: api_key_get_active(raw_key=raw_key)
)


def api_key_get_active_remembered(*, raw_key: str) -> ApiKey | None:
    """The same answer as `api_key_get_active`, from this worker's copy while no key changed;
    unknown keys are never remembered, so a guessing client costs a query each time."""
    return _active_keys.get(raw_key)


api_key_forget = _active_keys.forget


@dataclass(frozen=True)
class UserRoles:
    """The roles a person holds and where: a value to ask, read once per person and request.
    A superuser holds every role everywhere (`everywhere`); `agency_ids` and `area_ids` list
    only granted scopes, so a filter by them checks `everywhere` first."""

    grants: frozenset[tuple[str, int | None, int | None]] = frozenset()
    everywhere: bool = False

    def has(self, role: Role, *, agency_id: int | None = None) -> bool:
        """Whether the role is held at all, or for the given agency when one is named."""
        if self.everywhere:
            return True
        return any(
            granted == role and (agency_id is None or granted_agency == agency_id)
            for granted, granted_agency, _ in self.grants
        )

    def has_any(self, *roles: Role) -> bool:
        return any(self.has(role) for role in roles)

    def agency_ids(self, role: Role) -> frozenset[int]:
        return frozenset(a for r, a, _ in self.grants if r == role and a is not None)

    def area_ids(self, role: Role) -> frozenset[int]:
        return frozenset(a for r, _, a in self.grants if r == role and a is not None)


NO_ROLES = UserRoles()


def user_roles(*, user: User | AnonymousUser | None) -> UserRoles:
    """The roles of a signed-in, active person; none for anyone else. Remembered on the user
    object for the rest of the request; `role_grant` and `role_revoke` forget it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ROLES
    cached = getattr(user, _ROLES_ATTRIBUTE, None)
    if cached is not None:
        return cast(UserRoles, cached)
    roles = UserRoles(
        grants=frozenset(
            RoleGrant.objects.filter(user=user).values_list("role", "agency_id", "area_id")
        ),
        everywhere=user.is_superuser,
    )
    setattr(user, _ROLES_ATTRIBUTE, roles)
    return roles


_ROLES_ATTRIBUTE = "_cityline_roles"


def user_roles_forget(*, user: User) -> None:
    if hasattr(user, _ROLES_ATTRIBUTE):
        delattr(user, _ROLES_ATTRIBUTE)


def staff_with_role(*, role: Role, agency_id: int | None = None) -> QuerySet[User]:
    """Active people granted the role (for that agency when one is named). Superusers are not
    listed: they hold every role without a grant, and are nobody's colleague on a queue."""
    grants = RoleGrant.objects.filter(role=role)
    if agency_id is not None:
        grants = grants.filter(agency_id=agency_id)
    return User.objects.filter(is_active=True, pk__in=grants.values("user_id"))


def user_email(*, user_id: int) -> str:
    """A person's e-mail address; empty when they have none or are gone."""
    return User.objects.filter(pk=user_id).values_list("email", flat=True).first() or ""


def role_grants_of(*, user: User) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(user=user).select_related("agency", "area__layer")


def audit_entries(
    *,
    actor: str = "",
    action: str = "",
    target_type: str = "",
    target_id: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
    actor_agency_ids: frozenset[int] | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries, newest first, narrowed by whichever filters are given: the actor's username,
    an action or its prefix (`request.` for every request action), a target, [since, until), and
    actors holding a role in one of `actor_agency_ids`."""
    entries = AuditEntry.objects.select_related("actor")
    if actor_agency_ids is not None:
        staff = RoleGrant.objects.filter(agency_id__in=actor_agency_ids).values("user_id")
        entries = entries.filter(actor_id__in=staff)
    if actor:
        entries = entries.filter(actor__username=actor)
    if action:
        entries = entries.filter(action__startswith=action)
    if target_type:
        entries = entries.filter(target_type=target_type)
    if target_id:
        entries = entries.filter(target_id=target_id)
    if since is not None:
        entries = entries.filter(at__gte=since)
    if until is not None:
        entries = entries.filter(at__lt=until)
    return entries.order_by("-at", "-id")


def crews_of_agency(*, agency_id: int) -> QuerySet[Crew]:
    return Crew.objects.filter(agency_id=agency_id).order_by("name")


def staff_names() -> set[str]:
    """The first and last names of everyone who works in the system (a role, staff or
    superuser): words to keep out of anything published."""
    staff = User.objects.filter(
        Q(is_staff=True) | Q(is_superuser=True) | Q(pk__in=RoleGrant.objects.values("user_id"))
    )
    names: set[str] = set()
    for first, last in staff.values_list("first_name", "last_name").iterator(chunk_size=5000):
        names.update(name for name in (first, last) if name)
    return names

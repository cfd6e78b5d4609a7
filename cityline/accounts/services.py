import secrets
from collections.abc import Iterable

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from cityline.accounts.audit import audit_record
from cityline.accounts.models import ApiKey, Crew, RoleGrant, StaffKey, User
from cityline.accounts.roles import Role, role_scope
from cityline.accounts.selectors import user_roles_forget
from cityline.catalog.models import Agency
from cityline.core import clock
from cityline.core.errors import InvalidInput
from cityline.geo.models import BoundaryArea as Area


def api_key_create(*, name: str, rate_limit: int = 60) -> tuple[ApiKey, str]:
    """Issue a key; return the row and the raw key, which is never stored or shown again."""
    raw_key = _raw_key_new()
    api_key = ApiKey.objects.create(
        name=name, key_hash=ApiKey.hash_key(raw_key), key_prefix=raw_key[:8], rate_limit=rate_limit
    )
    return api_key, raw_key


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    if api_key.revoked_at is None:
        api_key.revoked_at = clock.now()
        api_key.save(update_fields=["revoked_at", "updated_at"])
    return api_key


def _raw_key_new() -> str:
    raw_key = secrets.token_urlsafe(24)
    while raw_key.startswith("-"):  # it would read as an option on a command line
        raw_key = secrets.token_urlsafe(24)
    return raw_key


def staff_key_create(*, user: User, name: str, by: User | None) -> tuple[StaffKey, str]:
    """Issue a staff API key acting as `user`; return the row and the raw key, which is never
    stored or shown again."""
    if not user.is_active:
        raise InvalidInput(f"{user.get_username()!r} is not an active account", field="user")
    raw_key = _raw_key_new()
    with transaction.atomic():
        staff_key = StaffKey.objects.create(
            user=user, name=name, key_hash=ApiKey.hash_key(raw_key), key_prefix=raw_key[:8]
        )
        audit_record(
            actor=by, action="staff_key.created", target=staff_key, details={"name": name}, ip=None
        )
    return staff_key, raw_key


def staff_key_revoke(*, staff_key: StaffKey, by: User | None) -> StaffKey:
    if staff_key.revoked_at is None:
        with transaction.atomic():
            staff_key.revoked_at = clock.now()
            staff_key.save(update_fields=["revoked_at", "updated_at"])
            audit_record(
                actor=by, action="staff_key.revoked", target=staff_key, details={}, ip=None
            )
    return staff_key


def staff_member_upsert(
    *,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    agency: Agency | None,
    password_hash: str,
) -> User:
    """A member of staff (who may use the console), made or brought up to date. The password
    comes hashed (`make_password`): a caller setting one password on many people hashes it once,
    not once each."""
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "email": email,
            "first_name": first_name,
            "last_name": last_name,
            "agency": agency,
            "is_staff": True,
            "is_active": True,
            "password": password_hash,
        },
    )
    return user


class RoleScopeMismatch(InvalidInput):
    code = "role_scope_mismatch"


def _check_scope(*, role: Role, agency: Agency | None, area: Area | None) -> None:
    scope = role_scope(role)
    if scope == "agency" and (agency is None or area is not None):
        raise RoleScopeMismatch(f"{role.label} is held for one agency", field="agency")
    if scope == "area" and (area is None or agency is not None):
        raise RoleScopeMismatch(f"{role.label} is held for one area", field="area")
    if scope == "everywhere" and (agency is not None or area is not None):
        raise RoleScopeMismatch(f"{role.label} is held everywhere, not for an agency or area")


def _scope_details(*, role: Role, agency: Agency | None, area: Area | None) -> dict[str, str]:
    details = {"role": str(role)}
    if agency is not None:
        details["agency"] = agency.code
    if area is not None:
        details["area"] = f"{area.layer.slug}:{area.code}"
    return details


@transaction.atomic
def role_grant(
    *,
    user: User,
    role: Role,
    agency: Agency | None = None,
    area: Area | None = None,
    by: User | None,
    ip: str | None = None,
) -> RoleGrant:
    """Grant a role (for an agency or area as the role requires); granting a role already held
    changes nothing and records nothing."""
    role = Role(role)
    _check_scope(role=role, agency=agency, area=area)
    grant, created = RoleGrant.objects.get_or_create(
        user=user, role=role, agency=agency, area=area, defaults={"granted_by": by}
    )
    if created:
        audit_record(
            actor=by,
            action="role.granted",
            target=user,
            details=_scope_details(role=role, agency=agency, area=area),
            ip=ip,
        )
    user_roles_forget(user=user)
    return grant


@transaction.atomic
def role_revoke(
    *,
    user: User,
    role: Role,
    agency: Agency | None = None,
    area: Area | None = None,
    by: User | None,
    ip: str | None = None,
) -> bool:
    """Revoke a role held for that agency or area; whether it was held."""
    role = Role(role)
    _check_scope(role=role, agency=agency, area=area)
    deleted, _ = RoleGrant.objects.filter(user=user, role=role, agency=agency, area=area).delete()
    if deleted:
        audit_record(
            actor=by,
            action="role.revoked",
            target=user,
            details=_scope_details(role=role, agency=agency, area=area),
            ip=ip,
        )
    user_roles_forget(user=user)
    return bool(deleted)


def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """The authenticator a person is setting up: one not yet confirmed, made if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, token: str, ip: str | None) -> bool:
    """Confirm an authenticator with a code it shows; whether the code was right. Audited."""
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=device.user, action="2fa.enrolled", target=device.user, details={}, ip=ip)
    return True


def crew_save(*, crew: Crew, members: Iterable[User]) -> Crew:
    """A crew's name and agency as given, and exactly these members."""
    with transaction.atomic():
        crew.save()
        crew.members.set(members)
    return crew


def crew_upsert(*, agency: Agency, name: str, members: Iterable[User]) -> Crew:
    """The agency's crew of this name, made if missing, with exactly these members."""
    crew = Crew.objects.filter(agency=agency, name=name).first() or Crew(agency=agency, name=name)
    return crew_save(crew=crew, members=members)

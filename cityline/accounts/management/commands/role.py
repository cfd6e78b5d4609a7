from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.selectors import role_grants_of
from cityline.accounts.services import role_grant, role_revoke
from cityline.catalog.models import Agency
from cityline.core.errors import DomainError
from cityline.geo.models import BoundaryArea


class Command(BaseCommand):
    help = "Grant, revoke and list a person's roles; grants and revocations are audited."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name, text in [("grant", "Grant a role."), ("revoke", "Revoke a role.")]:
            sub = actions.add_parser(name, help=text)
            sub.add_argument("username")
            sub.add_argument("role", choices=Role.values)
            sub.add_argument("--agency", metavar="CODE", help="For an agency role.")
            sub.add_argument(
                "--area", metavar="LAYER:CODE", help="For a partner role, e.g. council:7."
            )
        listing = actions.add_parser("list", help="List a person's roles.")
        listing.add_argument("username")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        user = _user(options["username"])
        if action == "list":
            for grant in role_grants_of(user=user):
                scope = grant.agency.code if grant.agency else _area_label(grant.area)
                self.stdout.write(f"{grant.role}  {scope}" if scope else grant.role)
            return
        role = Role(options["role"])
        agency = _agency(options["agency"]) if options["agency"] else None
        area = _area(options["area"]) if options["area"] else None
        try:
            if action == "grant":
                role_grant(user=user, role=role, agency=agency, area=area, by=None)
                self.stdout.write(f"Granted {role} to {user.username}")
            elif role_revoke(user=user, role=role, agency=agency, area=area, by=None):
                self.stdout.write(f"Revoked {role} from {user.username}")
            else:
                raise CommandError(f"{user.username} does not hold {role} there")
        except DomainError as refused:
            raise CommandError(refused.message) from None


def _user(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(f"no user {username!r}") from None


def _agency(code: str) -> Agency:
    try:
        return Agency.objects.get(code=code)
    except Agency.DoesNotExist:
        raise CommandError(f"no agency {code!r}") from None


def _area(label: str) -> BoundaryArea:
    layer, separator, code = label.partition(":")
    if not separator:
        raise CommandError("--area is LAYER:CODE, e.g. council:7")
    try:
        return BoundaryArea.objects.get(layer__slug=layer, code=code)
    except BoundaryArea.DoesNotExist:
        raise CommandError(f"no area {code!r} in layer {layer!r}") from None


def _area_label(area: BoundaryArea | None) -> str:
    return f"{area.layer.slug}:{area.code}" if area else ""

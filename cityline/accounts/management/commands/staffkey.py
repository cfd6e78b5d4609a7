from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityline.accounts.models import StaffKey, User
from cityline.accounts.services import staff_key_create, staff_key_revoke
from cityline.core.clock import to_city_time
from cityline.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Issue, list and revoke staff API keys: a key acts as its member of staff, with their "
        "roles (the proactive batch API). Issuing and revoking are audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser(
            "create", help="Issue a key; it is printed once, alone on the last line."
        )
        create.add_argument("username")
        create.add_argument("name", help="What the key is for, e.g. 'street sweep 2026'.")
        actions.add_parser("list", help="List keys (never the keys themselves).")
        revoke = actions.add_parser("revoke", help="Revoke a key by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "create":
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"no user {options['username']!r}")
            try:
                staff_key, raw_key = staff_key_create(user=user, name=options["name"], by=None)
            except DomainError as refused:
                raise CommandError(refused.message) from None
            self.stdout.write(
                f"Created key {staff_key.key_prefix}… for {user.get_username()} ({staff_key.name}):"
            )
            self.stdout.write(raw_key)
        elif action == "list":
            for staff_key in StaffKey.objects.select_related("user"):
                state = (
                    f"revoked {to_city_time(staff_key.revoked_at):%Y-%m-%d}"
                    if staff_key.revoked_at
                    else "active"
                )
                self.stdout.write(
                    f"{staff_key.key_prefix}  {staff_key.user.get_username()}  "
                    f"{staff_key.name}  {state}"
                )
        else:
            matches = list(
                StaffKey.objects.filter(key_prefix=options["prefix"], revoked_at__isnull=True)
            )
            if len(matches) != 1:
                raise CommandError(f"{len(matches)} active keys start with {options['prefix']!r}")
            staff_key_revoke(staff_key=matches[0], by=None)
            self.stdout.write(f"Revoked {matches[0]}")

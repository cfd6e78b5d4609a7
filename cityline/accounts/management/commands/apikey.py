from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityline.accounts.models import ApiKey
from cityline.accounts.selectors import api_key_get_active
from cityline.accounts.services import api_key_create, api_key_revoke
from cityline.core.clock import to_city_time


class Command(BaseCommand):
    help = "Issue, list, check and revoke Open311 API keys."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser(
            "create", help="Issue a key; it is printed once, alone on the last line."
        )
        create.add_argument("name")
        create.add_argument(
            "--rate-limit", type=int, default=60, help="Requests per minute; 0 means unlimited."
        )
        actions.add_parser("list", help="List keys (never the keys themselves).")
        revoke = actions.add_parser("revoke", help="Revoke a key by its prefix.")
        revoke.add_argument("prefix")
        check = actions.add_parser("check", help="Exit 0 if the key is active.")
        check.add_argument("key")

    def handle(self, *args, action: str, **options) -> None:
        if action == "create":
            if options["rate_limit"] < 0:
                raise CommandError("--rate-limit must be 0 (unlimited) or more")
            api_key, raw_key = api_key_create(
                name=options["name"], rate_limit=options["rate_limit"]
            )
            limit = f"{api_key.rate_limit}/min" if api_key.rate_limit else "unlimited"
            self.stdout.write(f"Created key {api_key.key_prefix}… for {api_key.name} ({limit}):")
            self.stdout.write(raw_key)
        elif action == "list":
            for api_key in ApiKey.objects.all():
                state = (
                    f"revoked {to_city_time(api_key.revoked_at):%Y-%m-%d}"
                    if api_key.revoked_at
                    else "active"
                )
                limit = f"{api_key.rate_limit}/min" if api_key.rate_limit else "unlimited"
                self.stdout.write(f"{api_key.key_prefix}  {api_key.name}  {limit}  {state}")
        elif action == "revoke":
            matches = list(
                ApiKey.objects.filter(key_prefix=options["prefix"], revoked_at__isnull=True)
            )
            if len(matches) != 1:
                raise CommandError(f"{len(matches)} active keys start with {options['prefix']!r}")
            api_key_revoke(api_key=matches[0])
            self.stdout.write(f"Revoked {matches[0]}")
        elif action == "check":
            if api_key_get_active(raw_key=options["key"]) is None:
                raise CommandError("not an active key")
            self.stdout.write("active")

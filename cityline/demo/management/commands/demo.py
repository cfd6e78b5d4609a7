"""`cityline demo`: build the demo city, Port Meridian, with its catalog, map and history."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityline.demo.loader import DemoSummary, demo_catalog_exists, demo_city_build
from cityline.demo.staff import DemoStaffSummary, demo_staff_build


class Command(BaseCommand):
    help = (
        "Build the demo city: agencies, service types and SLAs, the knowledge base, boundary "
        "layers, address points and a generated history of requests. Running it again updates "
        "everything in place."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the catalog already has service types.",
        )
        parser.add_argument(
            "--requests",
            type=int,
            default=50_000,
            metavar="N",
            help="How many requests the generated history holds (default 50,000).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=311,
            metavar="S",
            help="The same seed gives the same city history on a given day (default 311).",
        )
        parser.add_argument(
            "--staff-password-file",
            metavar="PATH",
            help="Also make staff in every role, signing in with the password kept in PATH "
            "(generated there, readable by its owner only, if absent), and the first time their "
            "open requests at every SLA stage; print their logins.",
        )

    def handle(
        self,
        *args,
        if_empty: bool,
        requests: int,
        seed: int,
        staff_password_file: str | None,
        **options,
    ) -> None:
        if requests < 0:
            raise CommandError("--requests must be zero or more")
        if if_empty and demo_catalog_exists():
            self.stdout.write(
                "The catalog already has service types: the demo city was not loaded."
            )
        else:
            verbose = options["verbosity"] >= 1
            summary = demo_city_build(
                requests=requests, seed=seed, log=self.stdout.write if verbose else lambda _: None
            )
            self.stdout.write(self.style.SUCCESS(_summary_text(summary)))
        if staff_password_file:
            self.stdout.write(
                _staff_text(demo_staff_build(password_path=Path(staff_password_file)))
            )


def _summary_text(s: DemoSummary) -> str:
    layers = ", ".join(
        f"{layer.name} {layer.areas}{' (zip)' if layer.is_zipcode else ''}" for layer in s.layers
    )
    span = (
        f" from {s.first_request_at:%Y-%m-%d} to {s.last_request_at:%Y-%m-%d}"
        if s.first_request_at and s.last_request_at
        else ""
    )
    return "\n".join(
        [
            f"{s.city} is ready ({s.seconds:.1f} s):",
            f"  agencies        {s.agencies}",
            f"  service types   {s.service_types} in {s.groups} groups "
            f"({s.staff_only_types} staff-only)",
            f"  boundary areas  {layers}",
            f"  address points  {s.address_points:,} ({s.address_points_added:,} new)",
            f"  knowledge base  {s.articles} articles, {s.translations} translations",
            f"  requests        {s.requests:,}{span}: {s.open_requests:,} open; "
            f"{s.requests_created:,} created, {s.requests_updated:,} updated, "
            f"{s.requests_removed:,} removed",
            f"  contacts        {s.contacts:,} (calls, e-mails, texts and visits to match)",
            "  classifier      "
            + (
                f"learned from {s.classifier_descriptions:,} descriptions"
                if s.classifier_descriptions
                else "not trained: too few described requests"
            ),
        ]
    )


def _staff_text(s: DemoStaffSummary) -> str:
    width = max(len(login.username) for login in s.logins)
    lines = [f"Staff logins (console: /console/), password for all: {s.password}"]
    lines += [
        f"  {login.username:<{width}}  {login.role}{f' ({login.scope})' if login.scope else ''}"
        for login in s.logins
    ]
    if s.requests_filed:
        lines.append(f"  {s.requests_filed} open and closed requests at every SLA stage filed")
    return "\n".join(lines)

import threading

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityline.core.outbox import outbox_stop_on_signals
from cityline.integrations.delivery import work_order_sweep
from cityline.integrations.models import AgencyIntegration
from cityline.integrations.receiver import WorkOrderReceiver
from cityline.integrations.selectors import agency_get_by_code
from cityline.integrations.services import agency_integration_connect, agency_key_create


class Command(BaseCommand):
    help = "Agencies' systems: status keys, work-order endpoints, delivery, a demo receiver."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        key = actions.add_parser("key", help="Status keys of an agency's system.")
        key_actions = key.add_subparsers(dest="key_action", required=True)
        create = key_actions.add_parser(
            "create", help="Issue a key; it is printed once, alone on the last line."
        )
        create.add_argument("agency", help="The agency's code.")
        connect = actions.add_parser(
            "connect", help="Send an agency's work orders to URL (a new secret if it had none)."
        )
        connect.add_argument("agency", help="The agency's code.")
        connect.add_argument("url")
        deliver = actions.add_parser(
            "deliver",
            help="Send the work orders that are due; with --every, keep sending until stopped.",
        )
        deliver.add_argument("--every", type=float, default=0, help="Sweep every N seconds.")
        receiver = actions.add_parser(
            "receiver",
            help="Accept and log work orders on 127.0.0.1:PORT/agencies/<code>/work-orders, "
            "checking their signatures.",
        )
        receiver.add_argument("--port", type=int, required=True)

    def _agency(self, code: str):
        agency = agency_get_by_code(code=code)
        if agency is None:
            raise CommandError(f"no agency has the code {code!r}")
        return agency

    def handle(self, *args, action: str, **options) -> None:
        if action == "key":
            key, raw_key = agency_key_create(agency=self._agency(options["agency"]))
            self.stdout.write(f"Created status key {key.key_prefix}… for {key.agency}:")
            self.stdout.write(raw_key)
        elif action == "connect":
            integration = agency_integration_connect(
                agency=self._agency(options["agency"]), endpoint_url=options["url"]
            )
            self.stdout.write(f"{integration.agency.code} → {integration.endpoint_url}")
        elif action == "deliver":
            self._deliver(options["every"])
        elif action == "receiver":
            self._receive(options["port"])

    def _deliver(self, every: float) -> None:
        if every < 0:
            raise CommandError("--every must be 0 (sweep once) or more seconds")
        with outbox_stop_on_signals() as stop:
            while not stop.is_set():
                self.stdout.write(f"acknowledged {work_order_sweep(stop=stop)}")
                self.stdout.flush()
                if not every:
                    return
                stop.wait(every)

    def _receive(self, port: int) -> None:
        def secret_for(code: str) -> str | None:
            return (
                AgencyIntegration.objects.filter(agency__code=code)
                .values_list("signing_secret", flat=True)
                .first()
            )

        def log(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        server = WorkOrderReceiver(port, secret_for=secret_for, log=log)
        self.stdout.write(f"receiving work orders on http://127.0.0.1:{port}/agencies/<code>/")
        self.stdout.flush()
        with outbox_stop_on_signals() as stop:
            serving = threading.Thread(target=server.serve_forever, daemon=True)
            serving.start()
            stop.wait()
            server.shutdown()

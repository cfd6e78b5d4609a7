"""A fake agency system on loopback, and integrations pointed at it."""

import threading

import pytest

from cityline.integrations.models import AgencyIntegration
from cityline.integrations.receiver import WorkOrderReceiver


@pytest.fixture
def receiver():
    secrets: dict[str, str] = {}
    server = WorkOrderReceiver(0, secret_for=secrets.get)
    server.secrets = secrets
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    yield server
    server.shutdown()
    server.server_close()


def point_at(receiver: WorkOrderReceiver, integration: AgencyIntegration) -> AgencyIntegration:
    """Send the integration's work orders to the receiver, which knows its secret."""
    code = integration.agency.code
    integration.endpoint_url = (
        f"http://127.0.0.1:{receiver.server_address[1]}/agencies/{code}/work-orders"
    )
    integration.save()
    receiver.secrets[code] = integration.signing_secret  # type: ignore[attr-defined]
    return integration

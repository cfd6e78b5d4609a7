"""The agency's system is down while a thousand requests are filed; a real worker process, killed
with SIGKILL half-way and started again, delivers every work order once it is back.

The receiver keeps every delivery, duplicates included; it acts on each Idempotency-Key once, so
"exactly once in effect" is: every key arrived, and per request the keys arrived in sequence.
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import transaction

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core import outbox
from cityline.core.outbox import outbox_sweep
from cityline.integrations.tests.conftest import point_at
from cityline.integrations.tests.factories import AgencyIntegrationFactory
from cityline.notifications.tests.test_worker_killed_mid_sweep import Database
from cityline.servicerequests.models import Channel, Status
from cityline.servicerequests.services.lifecycle import service_request_change_status
from cityline.servicerequests.tests.factories import make_request

REQUESTS = 1000
# Bounds every wait: a worker that hangs fails the test instead of stalling the suite.
PATIENCE = 90.0
PENDING = "SELECT count(*) FROM integrations_workorderevent WHERE status <> 'delivered'"
DELIVERED = "SELECT count(*) FROM integrations_workorderevent WHERE status = 'delivered'"
TRIED = "SELECT count(*) FROM integrations_workorderevent WHERE attempts > 0"


def _wait(condition, worker, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert worker.poll() is None, "the worker stopped on its own"
        assert time.monotonic() < deadline, f"{what} did not happen in time"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_work_orders_filed_while_the_agency_is_down_all_arrive_in_order_despite_a_kill(
    receiver, tmp_path, monkeypatch
):
    # given: the agency's system answers 503; a thousand requests are filed, and every tenth
    # is acknowledged by staff, so it owes two work orders that must arrive in order
    monkeypatch.setattr(outbox, "_wake_worker", lambda: None)
    receiver.down.set()
    integration = point_at(receiver, AgencyIntegrationFactory())
    service_type = ServiceTypeFactory(agency=integration.agency)
    with transaction.atomic():
        for n in range(REQUESTS):
            request = make_request(service_type=service_type, channel=Channel.PHONE)
            if n % 10 == 0:
                service_request_change_status(
                    request=request, status=Status.ACKNOWLEDGED, by=None, via=Channel.STAFF
                )
    outbox_sweep(limit=10 * REQUESTS)
    expected = REQUESTS + REQUESTS // 10
    database = Database(tmp_path)
    environment = {
        **os.environ,
        "DATABASE_URL": database.url,
        "CITYLINE_VAR_DIR": str(tmp_path),
        "CITYLINE_WORKORDER_BACKOFF_BASE_SECONDS": "0.05",
        "CITYLINE_WORKORDER_BACKOFF_CAP_SECONDS": "0.5",
        "CITYLINE_WORKORDER_LEASE_SECONDS": "2",
    }

    def start_worker() -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "cityline.cli", "integration", "deliver", "--every", "0.1"],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    # when: the worker keeps failing for a while, the agency comes back, the worker is killed
    # half-way through the backlog and started again
    worker = start_worker()
    _wait(lambda: database.scalar(TRIED) >= 20, worker, "retries while the agency was down")
    delivered_while_down = len(receiver.received)
    receiver.down.clear()
    _wait(lambda: len(receiver.received) >= expected // 2, worker, "half the backlog")
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=PATIENCE)
    assert worker.returncode == -signal.SIGKILL
    worker = start_worker()
    _wait(lambda: database.scalar(PENDING) == 0, worker, "the whole backlog")
    worker.send_signal(signal.SIGTERM)
    _, errors = worker.communicate(timeout=PATIENCE)

    # then: every work order arrived; per request, in sequence; nothing is left to send
    assert worker.returncode == 0, errors
    assert delivered_while_down == 0
    keys = {item.idempotency_key for item in receiver.received}
    assert len(keys) == expected
    assert database.scalar(DELIVERED) == expected
    first_seen: dict[str, list[int]] = {}
    seen_keys: set[str] = set()
    for item in receiver.received:
        if item.idempotency_key in seen_keys:
            continue  # a duplicate: the agency acts on its key once
        seen_keys.add(item.idempotency_key)
        number = item.body["request"]["tracking_number"]
        first_seen.setdefault(number, []).append(item.body["event"]["sequence"])
    assert len(first_seen) == REQUESTS
    assert all(sequences == list(range(1, len(sequences) + 1)) for sequences in first_seen.values())
    # A duplicate can only be the one delivery in hand at the kill.
    assert len(receiver.received) - len(keys) <= 1

"""Webhook throughput: work orders delivered to an agency's system per second, end to end.

    .venv/bin/python bench/webhooks.py [--db sqlite|postgres|both] [--requests 2000]
                                       [--latency-requests 100] [--timeout 600]

For each database it migrates a fresh database, gives one agency an integration pointing at a
loopback receiver in this process (the `cityline integration receiver`'s server, on 127.0.0.1,
checking every signature and acknowledging with 200), and times the production worker
(`script/worker`, at normal priority) delivering:

- throughput: --requests requests routed to the agency are filed with the worker stopped; the
  worker is started and the work orders acknowledged per second are measured from the first
  acknowledgement to the last (the backlog a worker meets after an outage or a batch);
- latency: with the worker running, --latency-requests requests are filed one after another
  (ten a second); each one's delay from its commit to the receiver's acknowledgement is the
  delivery latency, given as p50 and p95. It is bounded below by the worker's wake-up and its
  delivery sweep every two seconds (`integration deliver --every 2` in script/worker).

Waits are bounded by --timeout; the receiver and the worker are stopped at the end.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import threading
import time

from common import REPO, VENV_BIN, cityline_shell, database, database_version, free_port, machine

from cityline.integrations.receiver import Received, WorkOrderReceiver

AGENCY = "BENCH"
SECRET = "bench-signing-secret"

PREPARE = """
from cityline.catalog.models import Agency, ServiceGroup, ServiceType
from cityline.integrations.models import AgencyIntegration
from cityline.integrations.services import agency_integration_connect

agency = Agency.objects.create(code={agency!r}, name="Bench Department")
group = ServiceGroup.objects.create(name="Bench")
ServiceType.objects.create(code="bench-pothole", name="Pothole", agency=agency, group=group)
agency_integration_connect(agency=agency, endpoint_url={url!r})
AgencyIntegration.objects.filter(agency=agency).update(signing_secret={secret!r})
"""

FILE = """
import json, time
from cityline.catalog.models import ServiceType
from cityline.servicerequests.models import Channel
from cityline.servicerequests.services.intake import Location, service_request_create

service_type = ServiceType.objects.get(code="bench-pothole")
filed = {{}}
for n in range({count}):
    request = service_request_create(
        service_type=service_type,
        description=f"Bench request {{n}}",
        location=Location(latitude=41.85 + n * 1e-5, longitude=-87.65),
        channel=Channel.STAFF,
    )
    filed[request.tracking_number] = time.time()
    if {pause}:
        time.sleep({pause})
print(json.dumps(filed))
"""


class TimedReceiver(WorkOrderReceiver):
    """The loopback receiver, noting when each request's work order was acknowledged."""

    def __init__(self, port: int) -> None:
        super().__init__(port, secret_for=lambda code: SECRET if code == AGENCY else None)
        self.acknowledged_at: dict[str, float] = {}

    def keep(self, item: Received) -> None:
        self.acknowledged_at.setdefault(item.body["request"]["tracking_number"], time.time())
        super().keep(item)

    def wait_for(self, tracking_numbers: set[str], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while not tracking_numbers <= self.acknowledged_at.keys():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.arrived.wait(left)
        return True


def _file(env: dict[str, str], count: int, pause: float) -> dict[str, float]:
    return json.loads(cityline_shell(env, FILE.format(count=count, pause=pause)))


def _worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [str(REPO / "script" / "worker")],
        env={**env, "CITYLINE_WORKER_NICE": "0"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        cwd=REPO,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=60)


def _percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def run(kind: str, requests: int, latency_requests: int, timeout: float) -> None:
    with database(kind) as env:
        subprocess.run([str(VENV_BIN / "cityline"), "migrate", "-v0"], env=env, check=True)
        port = free_port()
        receiver = TimedReceiver(port)
        serving = threading.Thread(target=receiver.serve_forever, daemon=True)
        serving.start()
        worker: subprocess.Popen | None = None
        try:
            url = f"http://127.0.0.1:{port}/agencies/{AGENCY}/work-orders"
            cityline_shell(env, PREPARE.format(agency=AGENCY, url=url, secret=SECRET))
            version = database_version(env)

            backlog = _file(env, requests, pause=0)
            worker = _worker(env)
            if not receiver.wait_for(set(backlog), timeout):
                raise RuntimeError(f"{len(receiver.acknowledged_at)}/{requests} acknowledged")
            times = sorted(receiver.acknowledged_at[number] for number in backlog)
            rate = (len(times) - 1) / (times[-1] - times[0])

            filed = _file(env, latency_requests, pause=0.1)
            if not receiver.wait_for(set(filed), timeout):
                raise RuntimeError("the latency run's work orders were not all acknowledged")
            delays = [receiver.acknowledged_at[number] - at for number, at in filed.items()]
        finally:
            if worker is not None:
                _stop(worker)
            receiver.shutdown()
            receiver.server_close()
        print(f"{kind} ({version}):")
        print(f"  throughput: {requests} work orders, {rate:.0f} acknowledged/s")
        print(
            f"  latency over {latency_requests} requests at 10/s: "
            f"p50 {_percentile(delays, 0.50):.2f} s, p95 {_percentile(delays, 0.95):.2f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--latency-requests", type=int, default=100)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    print(machine())
    for kind in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        run(kind, args.requests, args.latency_requests, args.timeout)


if __name__ == "__main__":
    main()

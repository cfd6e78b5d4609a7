"""SLA scan time over a large city, and two scans at once escalating nothing twice.

    .venv/bin/python bench/sla_scan.py [--db sqlite|postgres|both] [--requests 1000000]
                                       [--open 50000] [--runs 5]

For each database it builds the demo city with --requests requests on a fresh database, then
leaves exactly --open of them open with frozen SLA targets (received over the last ten days with
a five-day target, a day to acknowledge; most are assigned, and every agency has supervisors), so
the first scan meets a backlog: most open requests at risk, half breached. It times:

- the first scan, which escalates that backlog (one savepoint, notice and outbox message each);
- --runs scans after it (what the worker does every few minutes: find the few requests that
  reached a level since), and prints their median.

Then it removes the escalations and starts two `cityline sla_scan` processes at once, and checks
that each (request, stage, level) was escalated by one of them only, with one notice and one
outbox message per recipient.
"""

import json
import subprocess

from common import (
    LEAVE_OPEN,
    VENV_BIN,
    cityline_shell,
    demo_city,
    median,
    on_each_database,
    options,
)

PREPARE = (
    LEAVE_OPEN
    + """
from datetime import timedelta
from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.services import role_grant
from cityline.catalog.models import Agency

workers = [
    User.objects.create(username=f"bench-worker-{{n}}", email=f"w{{n}}@example.org", is_staff=True)
    for n in range(50)
]
for agency in Agency.objects.all():
    for n in range(2):
        boss = User.objects.create(
            username=f"bench-boss-{{agency.pk}}-{{n}}", email="boss@example.org", is_staff=True
        )
        role_grant(user=boss, role=Role.AGENCY_SUPERVISOR, agency=agency, by=None)
city = User.objects.create(username="bench-311", email="city@example.org", is_staff=True)
role_grant(user=city, role=Role.SUPERVISOR_311, by=None)
rows = []
for request in ServiceRequest.objects.filter(pk__in=chosen).only("pk"):
    received = now - timedelta(seconds=rng.uniform(0, 10 * 86400))
    request.status = Status.NEW if rng.random() < 0.2 else Status.IN_PROGRESS
    request.resolution = ""
    request.closed_at = None
    request.requested_at = received
    request.acknowledge_due_at = received + timedelta(days=1)
    request.resolve_target_at = request.expected_at = received + timedelta(days=5)
    request.assignee = rng.choice(workers) if rng.random() < 0.8 else None
    rows.append(request)
ServiceRequest.objects.bulk_update(
    rows,
    ["status", "resolution", "closed_at", "requested_at", "acknowledge_due_at",
     "resolve_target_at", "expected_at", "assignee"],
    batch_size=2000,
)
print(ServiceRequest.objects.exclude(status=Status.CLOSED).count())
"""
)

TIMED = """
import json, time
from cityline.sla.escalation import sla_scan
timings = []
for _ in range({runs}):
    started = time.perf_counter()
    result = sla_scan()
    timings.append([time.perf_counter() - started, result.escalated, result.skipped])
print(json.dumps(timings))
"""

RESET = """
from cityline.core.models import OutboxMessage
from cityline.sla.models import SlaEscalation
SlaEscalation.objects.all().delete()
OutboxMessage.objects.filter(topic="sla.escalated").delete()
"""

COUNTS = """
import json
from django.db.models import Count
from cityline.core.models import OutboxMessage
from cityline.sla.models import SlaEscalation, SlaNotice
twice = (
    SlaEscalation.objects.values("request", "stage", "level")
    .annotate(n=Count("id")).filter(n__gt=1).count()
)
print(json.dumps({{
    "escalations": SlaEscalation.objects.count(),
    "escalated_twice": twice,
    "notices": SlaNotice.objects.count(),
    "messages": OutboxMessage.objects.filter(topic="sla.escalated").count(),
}}))
"""


def scan_process(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [str(VENV_BIN / "cityline"), "sla_scan"], env=env, stdout=subprocess.PIPE, text=True
    )


def bench(kind: str, *, requests: int, open_requests: int, runs: int) -> None:
    with demo_city(kind, requests=requests) as (env, version):
        still_open = int(cityline_shell(env, PREPARE.format(open=open_requests)))
        print(f"  {kind}: {requests:,} requests, {still_open:,} open")
        timings = json.loads(cityline_shell(env, TIMED.format(runs=runs + 1)))
        first, repeats = timings[0], timings[1:]
        print(f"  {kind} first scan: {first[0]:.2f} s, {first[1]:,} escalations")
        for number, (seconds, escalated, _) in enumerate(repeats, 1):
            print(f"  {kind} scan {number} after it: {seconds:.3f} s, {escalated} escalations")
        print(
            f"{kind} ({version}): {requests:,} requests, {still_open:,} open: first scan "
            f"{first[0]:.2f} s ({first[1]:,} escalations), later scans median "
            f"{median([t[0] for t in repeats]):.3f} s over {runs}"
        )

        cityline_shell(env, RESET)
        scans = [scan_process(env), scan_process(env)]
        outputs = [scan.communicate()[0].strip() for scan in scans]
        counts = json.loads(cityline_shell(env, COUNTS.format()))
        escalated = sum(int(out.split()[1].rstrip(",")) for out in outputs)
        ok = (
            counts["escalated_twice"] == 0
            and escalated == counts["escalations"]
            and counts["messages"] == counts["notices"]
        )
        print(
            f"{kind} two scans at once: {' / '.join(outputs)}; {counts['escalations']:,} "
            f"escalations, {counts['notices']:,} notices, {counts['messages']:,} messages: "
            f"{'nothing escalated twice' if ok else 'FAILED'}"
        )


def main() -> None:
    parser = options(__doc__, runs=5)
    parser.add_argument("--open", type=int, default=50_000, dest="open_requests")
    on_each_database(parser, bench)


if __name__ == "__main__":
    main()

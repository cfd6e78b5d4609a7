"""Server time of the console's request page with 1,000,000 requests stored.

    .venv/bin/python bench/request_page.py [--db sqlite|postgres|both] [--requests 1000000]
                                           [--pages 20] [--history 300] [--samples 50] [--runs 3]

For each database it builds the demo city with --requests requests on a fresh database, then
gives --pages of them a long history (--history entries each: status changes, with pauses, and
public and internal notes, written as an import writes notes) plus a few duplicates and
followers, and times GETs of those requests' pages in the server process through Django's test
client (the view, its middleware, its templates and its queries; no network), signed in as an
agency worker of each request's agency, whose page shows internal notes and the action forms.
Each run makes --samples calls, cycling over the pages; it prints p50/p95 per run and the medians
of the runs' p50s and p95s.
"""

import json

from common import BENCH, cityline_shell, demo_city, on_each_database, options, report

PREPARE = """
import random
from datetime import timedelta
from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.services import role_grant
from cityline.servicerequests import events
from cityline.servicerequests.models import (
    Channel, Follower, RequestUpdate, ServiceRequest, Status, UpdateKind, Visibility,
)
from cityline.servicerequests.services.lifecycle import service_request_mark_duplicate

rng = random.Random(311)
ids = list(ServiceRequest.objects.filter(status="closed").values_list("pk", flat=True)[:200000])
chosen = rng.sample(ids, {pages})
numbers = []
MOVES = [Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.WAITING_ON_THIRD_PARTY, Status.IN_PROGRESS]
for n, pk in enumerate(chosen):
    request = ServiceRequest.objects.get(pk=pk)
    ServiceRequest.objects.filter(pk=pk).update(
        status=Status.IN_PROGRESS, resolution="", closed_at=None, late_close_reason=None
    )
    start = request.requested_at
    entries = []
    for step in range({history}):
        kind = UpdateKind.STATUS_CHANGED if step % 3 == 0 else UpdateKind.NOTE
        entries.append(RequestUpdate(
            request=request,
            kind=kind,
            status=MOVES[(step // 3) % len(MOVES)],
            note=f"Step {{step}}: the crew looked again." if kind == UpdateKind.NOTE else "",
            visibility=Visibility.INTERNAL if step % 2 else Visibility.PUBLIC,
            via=Channel.STAFF,
            occurred_at=start + timedelta(minutes=10 * (step + 1)),
        ))
    events.request_imported_notes_event(entries=entries)
    request.refresh_from_db()
    for m in range(3):
        duplicate = ServiceRequest.objects.filter(
            agency_id=request.agency_id, status=Status.NEW, parent__isnull=True
        ).exclude(pk__in=chosen).first()
        if duplicate is not None:
            service_request_mark_duplicate(request=duplicate, parent=request, by=None, via="staff")
    for m in range(5):
        Follower.objects.create(request=request, email=f"f{{n}}-{{m}}@example.org", language="en")
    worker, made = User.objects.get_or_create(
        username=f"bench-worker-{{request.agency_id}}", defaults={{"is_staff": True}}
    )
    if made:
        role_grant(user=worker, role=Role.AGENCY_WORKER, agency=request.agency, by=None)
    numbers.append([request.tracking_number, worker.username])
import json
print(json.dumps(numbers))
"""

TIMED = """
import json, sys
from django.test import Client
from cityline.accounts.models import User

sys.path.insert(0, {bench!r})
from common import timed_runs

pages = json.loads('''{pages}''')
clients = {{}}
for _, username in pages:
    if username not in clients:
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))


def page_got(sample):
    number, username = pages[sample % len(pages)]
    response = clients[username].get(f"/console/requests/{{number}}/", secure=True)
    assert response.status_code == 200, response.status_code


# Each page once first, to warm caches and connections; the runs then cycle over them.
timings = timed_runs(page_got, runs={runs}, samples={samples}, warm_up=len(pages))
print(json.dumps(timings))
"""


def bench(kind: str, *, requests: int, pages: int, history: int, samples: int, runs: int) -> None:
    with demo_city(kind, requests=requests) as (env, version):
        chosen = cityline_shell(env, PREPARE.format(pages=pages, history=history))
        print(f"  {kind}: {requests:,} requests, {pages} with {history} history entries each")
        timed = TIMED.format(bench=str(BENCH), pages=chosen, runs=runs, samples=samples)
        report(
            f"{kind} ({version}) request page with {history} history entries",
            json.loads(cityline_shell(env, timed)),
            of=f"calls, {requests:,} requests stored",
        )


def main() -> None:
    parser = options(__doc__, samples=50)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--history", type=int, default=300)
    on_each_database(parser, bench)


if __name__ == "__main__":
    main()
